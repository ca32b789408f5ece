-- Friction: the filtered web events, read once, with their session (journey_session_keys.sql) as one key, the
-- day, the page path (scheme, host and query removed; worked out once per distinct page) and what the session
-- summaries need. The customer filters ($segment, $persona) keep the events of the visitors in scope
-- (fr_visitors, friction_visitors.sql). Kept in fr_keyed; every other friction query reads it, not the events.
-- Bound: $start, $end_excl, $device, $channel, $segment, $persona, $gap_seconds, $split.
with session_input as (
    select event_time, visitor_id, event_name, session_id, customer_id, page, channel, device, country,
           load_time_ms, revenue
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
    select k.visitor_id,
           k.visitor_id || '|' || coalesce(k.session_id, '~' || k.session_no) as session_key,
           k.event_time, lower(k.event_name) as event_name, k.device, k.channel, k.country, k.load_time_ms,
           k.revenue, k.event_time::date as day, p.path
    from keyed k
    left join paths p on p.page = k.page
    where ($segment is null and $persona is null)
       or k.visitor_id in (select visitor_id from fr_visitors where in_scope)
)
select * from final
