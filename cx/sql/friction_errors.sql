-- Friction: error-like events (their lower-case name matches $error_pattern, RE2, tested once per distinct name
-- of fr_names) of the filtered sessions, per day, device, event name and page path: events and distinct
-- sessions. Reads the temp table fr_keyed (the filtered events with their session key).
with error_names as (
    select distinct name_id, name
    from fr_names
    where regexp_matches(name, $error_pattern)
),
errors as (
    select k.event_time::date as day, k.device_id, n.name, k.path_id, k.session_key
    from fr_keyed k
    join error_names n on n.name_id = k.name_id
),
grouped as (
    select day, device_id, name, path_id, count(*) as events, count(distinct session_key) as sessions
    from errors
    group by all
),
final as (
    select g.day, d.value as device, g.name, p.path, g.events, g.sessions
    from grouped g
    left join (select value, value_id from fr_dims where dim = 'device') d on d.value_id = g.device_id
    left join (select distinct path_id, path from fr_paths) p on p.path_id = g.path_id
)
select * from final order by name, day
