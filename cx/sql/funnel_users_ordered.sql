-- Funnel, ordered and strict modes: one row per visitor who entered the funnel. reached = furthest step;
-- the best attempt is the first arrival at that step (smallest key), t0 its start, g its breakdown value;
-- last_key/last_t = the visitor's last event at that step (where a visitor who dropped left the funnel).
-- Visitors who never passed step 1 are read with plain min/max from the step-1 events.
with upper as (
    select vid, max(k) as reached,
           arg_max({'key': key, 't': t, 't0': t0, 'g': g}, (k, -key)) as first,
           arg_max({'key': key, 't': t}, (k, key)) as last
    from fx_levels
    group by vid
),
lower as (
    select vid, 1 as reached, min(key) as key, min(t) as t, min(t) as t0, arg_min_null(g, key) as g,
           max(key) as last_key, max(t) as last_t
    from fx_steps
    where k = 1 and vid not in (select vid from upper)
    group by vid
),
best as (
    select vid, reached, first.key as key, first.t as t, first.t0 as t0, first.g as g,
           last.key as last_key, last.t as last_t
    from upper
    union all
    select * from lower
),
final as (
    select v.visitor_id, b.*
    from best b
    join fx_visitors v on v.vid = b.vid
)
select * from final
