-- Friction (cx/friction/): one row per session of fr_keyed (the filtered web events, friction_keyed.sql), with
-- the day it started, its first device / channel / country, the CRM segment and customer id of the visitor
-- (fr_visitors), the distinct lower-case event names it contains and its revenue. Kept in fr_sessions.
with sessions as (
    select visitor_id, session_key,
           min(event_time)::date as day,
           arg_min(device, event_time) as device,
           arg_min(channel, event_time) as channel,
           arg_min(country, event_time) as country,
           list_distinct(list(event_name)) as names,
           coalesce(sum(revenue), 0) as revenue
    from fr_keyed
    group by visitor_id, session_key
),
final as (
    select s.visitor_id, s.session_key, s.day, s.device, s.channel, s.country, v.segment, v.customer_id, s.names,
           s.revenue
    from sessions s
    left join fr_visitors v on v.visitor_id = s.visitor_id
)
select * from final
