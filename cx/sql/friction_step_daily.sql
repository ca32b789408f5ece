-- Friction: per pair of consecutive funnel steps ($steps_from[i] → $steps_to[i]), day, dimension and group, the
-- sessions that contain the first step (n) and, among them, those that also contain the next (x): the step
-- conversion of GROUND_TRUTH's "sessions containing one step that also contain the next". dim is 'all' (g =
-- 'all') or one of device, channel, country, segment (g its value, null when unknown). One pass over fr_sessions
-- for every step, dimension and day: the funnel detectors read their slices of it.
with pairs as (
    select unnest($steps_from) as step_from, unnest($steps_to) as step_to
),
flagged as (
    select p.step_from, p.step_to, s.day, s.device, s.channel, s.country, s.segment,
           list_contains(s.names, p.step_to) as reached
    from fr_sessions s
    join pairs p on list_contains(s.names, p.step_from)
),
grouped as (
    select step_from, step_to, day,
           case when grouping(device) = 0 then 'device' when grouping(channel) = 0 then 'channel'
                when grouping(country) = 0 then 'country' when grouping(segment) = 0 then 'segment'
                else 'all' end as dim,
           case when grouping(device) = 0 then device when grouping(channel) = 0 then channel
                when grouping(country) = 0 then country when grouping(segment) = 0 then segment
                else 'all' end as g,
           count(*) as n, count(*) filter (where reached) as x
    from flagged
    group by grouping sets ((step_from, step_to, day), (step_from, step_to, day, device),
                            (step_from, step_to, day, channel), (step_from, step_to, day, country),
                            (step_from, step_to, day, segment))
),
final as (
    select * from grouped
)
select * from final order by step_from, step_to, dim, g, day
