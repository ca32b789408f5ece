-- Friction: the filtered web events with their session key (journey_session_keys.sql), lower-case name, device,
-- load time and page path (scheme, host and query removed; worked out once per distinct page): only what the
-- event-level detectors read, so that the 5M-event table stays small. The customer filters ($segment,
-- $persona) keep the events of the visitors in scope (fr_visitors, friction_visitors.sql). Kept in fr_keyed.
-- Bound: $start, $end_excl, $device, $channel, $segment, $persona, $gap_seconds, $split.
with session_input as (
    select event_time, visitor_id, event_name, session_id, page, channel, device, load_time_ms
    from events
),
keyed as (
    /*@journey_session_keys.sql*/
),
paths as (
    select page, coalesce(nullif(regexp_extract(
               page, '^(?:[a-zA-Z][a-zA-Z0-9+.-]*://[^/]*)?([^?#]*)', 1), ''), '/') as path
    from (select distinct page from events where page is not null)
),
final as (
    select hash(k.visitor_id, k.session_id, k.session_no) as session_key,  -- a 64-bit key: joins and groups on integers
           k.event_time, lower(k.event_name) as event_name, k.device, k.load_time_ms, p.path
    from keyed k
    left join paths p on p.page = k.page
    where ($segment is null and $persona is null)
       or k.visitor_id in (select visitor_id from fr_visitors where in_scope)
)
select * from final
