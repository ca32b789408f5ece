-- Friction: per pair of consecutive funnel steps ($steps_from[i] → $steps_to[i]), day, dimension and group, the
-- sessions that contain the first step (n) and, among them, those that also contain the next (x): the step
-- conversion of GROUND_TRUTH's "sessions containing one step that also contain the next". dim is 'all' (g =
-- 'all') or one of device, channel, country, segment (g its value, null when unknown). One pass over fr_sessions
-- for every step, dimension and day, grouped on the fr_dims ids and spelt out after: the funnel detectors read
-- their slices of it. The steps are looked up once per set of names (fr_name_sets), not once per session.
with pairs as (
    select unnest($steps_from) as step_from, unnest($steps_to) as step_to
),
set_steps as (
    -- per set of names containing a first step: that pair, and whether the set also contains the next step
    select ns.name_set, p.step_from, p.step_to, list_contains(ns.names, p.step_to) as reached
    from fr_name_sets ns
    join pairs p on list_contains(ns.names, p.step_from)
),
flagged as (
    select t.step_from, t.step_to, s.day, s.device_id, s.channel_id, s.country_id, s.segment, t.reached
    from fr_sessions s
    join set_steps t on t.name_set = s.name_set
),
grouped as (
    select step_from, step_to, day, device_id, channel_id, country_id, segment,
           grouping(device_id) = 0 as by_device, grouping(channel_id) = 0 as by_channel,
           grouping(country_id) = 0 as by_country, grouping(segment) = 0 as by_segment,
           count(*) as n, count(*) filter (where reached) as x
    from flagged
    group by grouping sets ((step_from, step_to, day), (step_from, step_to, day, device_id),
                            (step_from, step_to, day, channel_id), (step_from, step_to, day, country_id),
                            (step_from, step_to, day, segment))
),
final as (
    select g.step_from, g.step_to, g.day,
           case when g.by_device then 'device' when g.by_channel then 'channel'
                when g.by_country then 'country' when g.by_segment then 'segment'
                else 'all' end as dim,
           case when g.by_device then d.value when g.by_channel then c.value
                when g.by_country then k.value when g.by_segment then g.segment
                else 'all' end as g,
           g.n, g.x
    from grouped g
    left join (select value, value_id from fr_dims where dim = 'device') d on d.value_id = g.device_id
    left join (select value, value_id from fr_dims where dim = 'channel') c on c.value_id = g.channel_id
    left join (select value, value_id from fr_dims where dim = 'country') k on k.value_id = g.country_id
)
select * from final order by step_from, step_to, dim, g, day
