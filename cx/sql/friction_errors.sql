-- Friction: error-like events (their lower-case name matches $error_pattern, RE2) of the filtered sessions, per
-- day, device, event name and page path: events and distinct sessions. Reads the temp table fr_keyed
-- (the filtered events with their session key).
with errors as (
    select event_time::date as day, device, event_name as name, path, session_key
    from fr_keyed
    where regexp_matches(lower(event_name), $error_pattern)
),
final as (
    select day, device, name, path, count(*) as events, count(distinct session_key) as sessions
    from errors
    group by all
)
select * from final order by name, day
