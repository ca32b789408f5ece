-- The forms of CSAT and CES in the answers: one row per (metric, scale, direction), so a screen can say which
-- form it shows. CSAT = share of the top 2 boxes × 100 (yes/no: share of yes); CES (a) mean on its scale,
-- (b) share of low-effort answers (top-3-box on 1–7, top-2-box on 1–5, at the easy end); `moe`: the CES mean's margin
-- of error at 95 % (1.96 × standard deviation / √n; null for one answer).
with base as (
    /*@satisfaction_base.sql*/
),
csat_form as (
    select 'csat' as metric, csat_scale as scale, true as higher_is_better, count(*) as n,
           100 * count(*) filter (where csat_satisfied) / count(*) as score,
           null::double as low_effort_share, null::double as moe
    from base
    where csat is not null
    group by all
),
ces_form as (
    select 'ces' as metric, ces_scale as scale, ces_higher_is_better as higher_is_better, count(*) as n,
           avg(ces) as score,
           count(*) filter (where ces_low_effort) / count(*) as low_effort_share,
           1.96 * stddev_samp(ces) / sqrt(count(*)) as moe
    from base
    where ces is not null
    group by all
),
final as (
    select * from csat_form
    union all
    select * from ces_form
)
select * from final
