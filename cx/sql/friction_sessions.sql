-- Friction (cx/friction/): one row per session of the filtered web events (sessions from
-- journey_session_keys.sql, keyed as in friction_keyed.sql), with the day it started, the time of its last
-- event, its first device / channel / country, the CRM segment and customer id of the visitor (fr_visitors),
-- the distinct lower-case event names it contains and its revenue. The customer filters ($segment, $persona)
-- keep the visitors in scope. Kept in fr_sessions.
-- Bound: $start, $end_excl, $device, $channel, $segment, $persona, $gap_seconds, $split.
with session_input as (
    select event_time, visitor_id, event_name, session_id, channel, device, country, revenue
    from events
),
keyed as (
    /*@journey_session_keys.sql*/
),
sessions as (
    select visitor_id,
           hash(visitor_id, session_id, session_no) as session_key,  -- as in friction_keyed.sql
           min(event_time)::date as day,
           max(event_time) as last_event,
           arg_min(device, event_time) as device,
           arg_min(channel, event_time) as channel,
           arg_min(country, event_time) as country,
           list_distinct(list(lower(event_name))) as names,
           coalesce(sum(revenue), 0) as revenue
    from keyed
    group by visitor_id, current, session_id, session_no
),
final as (
    select s.visitor_id, s.session_key, s.day, s.last_event, s.device, s.channel, s.country, v.segment,
           v.customer_id, s.names, s.revenue
    from sessions s
    left join fr_visitors v on v.visitor_id = s.visitor_id
    where ($segment is null and $persona is null) or v.in_scope
)
select * from final
