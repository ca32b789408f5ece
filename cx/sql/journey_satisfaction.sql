-- Satisfaction per journey stage from the survey responses the rules assign to it (journey_response_stages.sql):
-- CSAT = share of answers in the top 2 boxes of their scale (top box on a 3-point scale) × 100, NPS =
-- %promoters (9–10) − %detractors (0–6). Bound: those of journey_response_stages.sql.
with staged as (
    /*@journey_response_stages.sql*/
),
final as (
    select stage,
           count(*) as responses,
           count(csat) as csat_n,
           count(*) filter (where csat >= case when csat_scale <= 3 then csat_scale else csat_scale - 1 end)
               as csat_satisfied,
           count(nps) as nps_n,
           count(*) filter (where nps >= 9) as promoters,
           count(*) filter (where nps <= 6) as detractors
    from staged
    where stage is not null
    group by stage
)
select * from final
