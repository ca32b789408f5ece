-- Friction: the filtered web events with their session key, day, page path (scheme, host and query removed) and
-- the session's segment (friction_sessions.sql must have filled fr_sessions). Bound: $start, $end_excl, $device,
-- $channel, $gap_seconds, $split.
with session_input as (
    select event_time, visitor_id, event_name, session_id, customer_id, page, channel, device, country,
           load_time_ms
    from events
),
keyed as (
    /*@journey_session_keys.sql*/
),
final as (
    select k.visitor_id || '|' || coalesce(k.session_id, '~' || k.session_no) as session_key,
           k.event_time, lower(k.event_name) as event_name, k.customer_id, k.device, k.load_time_ms,
           k.event_time::date as day,
           case when k.page is not null then coalesce(nullif(regexp_extract(
               k.page, '^(?:[a-zA-Z][a-zA-Z0-9+.-]*://[^/]*)?([^?#]*)', 1), ''), '/') end as path
    from keyed k
    where k.visitor_id || '|' || coalesce(k.session_id, '~' || k.session_no) in (select session_key from fr_sessions)
)
select * from final
