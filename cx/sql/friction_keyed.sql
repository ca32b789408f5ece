-- Friction: the filtered web events with their session key (journey_session_keys.sql), read once: the event
-- name's id (fr_names), the page path's id (fr_paths) and what the sessions (friction_sessions.sql) and the
-- event-level detectors read, so that the 5M-event table stays small. The ids replace the texts before the
-- session keys are worked out, so that the events in flight are narrow. The customer filters ($segment,
-- $persona) keep the events of the visitors in scope (fr_visitors, friction_visitors.sql; the list is empty
-- without them, so the test costs nothing then). Kept in fr_keyed.
-- Bound: $start, $end_excl, $device, $channel, $segment, $persona, $gap_seconds, $split.
with session_input as (
    select e.event_time, e.visitor_id, n.name_id, e.session_id, p.path_id, e.channel, e.device, e.country,
           e.load_time_ms, e.revenue
    from events e
    join fr_names n on n.event_name = e.event_name
    left join fr_paths p on p.page = e.page
),
keyed as (
    /*@journey_session_keys.sql*/
),
final as (
    select hash(visitor_id, session_id, session_no) as session_key,  -- a 64-bit key: joins and groups on integers
           visitor_id, event_time, name_id, device, channel, country, load_time_ms, revenue, path_id
    from keyed
    where ($segment is null and $persona is null)
       or visitor_id in (select visitor_id from fr_visitors
                         where in_scope and ($segment is not null or $persona is not null))
)
select * from final
