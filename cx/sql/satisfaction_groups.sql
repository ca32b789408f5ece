-- NPS, CSAT and CES per group of one or more dimensions ({columns}: names from cx.satisfaction.DIMENSIONS
-- only), each group compared with the rest of the answers of its dimension (CX_REFERENCE §2):
-- Var = 100² · ((p + d) − (p − d)²) / n, MoE = 1.96 · √Var;
-- significant when |NPS_g − NPS_rest| / √(Var_g + Var_rest) > 1.96 and both sides have 30 answers or more.
with base as (
    /*@satisfaction_base.sql*/
),
long as (
    from base unpivot include nulls (grp for attribute in ({columns}))
),
counted as (
    select attribute, grp,
           count(nps) as n,
           count(*) filter (where nps >= 9) as promoters_n,
           count(*) filter (where nps >= 7 and nps < 9) as passives_n,
           count(*) filter (where nps < 7) as detractors_n,
           count(csat) as csat_n,
           count(*) filter (where csat_satisfied) as csat_satisfied_n,  -- the rules are in satisfaction_base.sql
           count(ces) as ces_n,
           count(*) filter (where ces_low_effort) as ces_low_effort_n,
           -- a mean only makes sense on one form (one scale, one direction)
           case when count(distinct (ces_scale, ces_higher_is_better)) filter (where ces is not null) = 1
                then avg(ces) end as ces_mean
    from long
    group by all
),
with_rest as (
    select *,
           sum(n) over (partition by attribute) - n as rest_n,
           sum(promoters_n) over (partition by attribute) - promoters_n as rest_promoters_n,
           sum(detractors_n) over (partition by attribute) - detractors_n as rest_detractors_n
    from counted
),
shares as (
    select *,
           promoters_n / nullif(n, 0) as p, detractors_n / nullif(n, 0) as d,
           rest_promoters_n / nullif(rest_n, 0) as rest_p, rest_detractors_n / nullif(rest_n, 0) as rest_d
    from with_rest
),
scored as (
    select *,
           100 * (p - d) as nps,
           10000 * ((p + d) - (p - d) ^ 2) / n as var,
           100 * (rest_p - rest_d) as rest_nps,
           10000 * ((rest_p + rest_d) - (rest_p - rest_d) ^ 2) / rest_n as rest_var
    from shares
),
final as (
    select attribute, grp as "group", n,
           nps, 1.96 * sqrt(var) as moe,
           p as promoters, passives_n / nullif(n, 0) as passives, d as detractors,
           var, rest_n, rest_nps,
           case when var + rest_var > 0 then abs(nps - rest_nps) / sqrt(var + rest_var)
                when nps <> rest_nps then 'infinity'::double end as z,
           -- under 30 answers on either side the test is not trusted: never significant (CX_REFERENCE §2)
           n >= 30 and rest_n >= 30
               and coalesce(abs(nps - rest_nps) / nullif(sqrt(var + rest_var), 0) > 1.96
                            or (var + rest_var = 0 and nps <> rest_nps), false) as significant,
           n < 30 as low_sample,
           csat_n, 100 * csat_satisfied_n / nullif(csat_n, 0) as csat,
           ces_n, ces_mean, ces_low_effort_n / nullif(ces_n, 0) as ces_low_effort_share
    from scored
)
select * from final
