-- NPS of the journey map, one row per period (current = responded_at from $split on): promoters answer 9–10,
-- detractors 0–6; NPS = %promoters − %detractors, never a mean. Segment: through customer_id.
-- Bound: $start, $end_excl, $split, $segment.
with scoped as (
    /*@staging/scope_responses.sql*/
),
resp as (
    select nps, ($split is null or responded_at >= $split) as current
    from scoped
),
final as (
    select current,
           count(*) as responses,
           count(nps) as nps_n,
           count(*) filter (where nps >= 9) as promoters,
           count(*) filter (where nps <= 6) as detractors
    from resp
    group by current
)
select * from final
