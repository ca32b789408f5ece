-- Friction (cx/friction/): one row per session of the filtered web events (fr_keyed, whose events are already
-- those of the visitors in scope), with the day it started, the time of its last event, its first device /
-- channel / country (as their fr_dims ids: the small downstream queries spell them out after grouping), its
-- visitor's key (fr_keyed.visitor_key), the CRM segment and customer id of the visitor (fr_visitors), its revenue, and the distinct event names it contains as
-- the sorted list of their fr_names ids (name_set: as long as the session's set, however many names the log has).
-- Each distinct set of names is spelt out once, in fr_name_sets (friction_name_sets.sql), which the queries join on
-- name_set. Kept in fr_sessions.
with sessions as (
    select session_key,
           any_value(visitor_key) as visitor_key,  -- one visitor per session key
           min(event_time)::date as day,
           max(event_time) as last_event,
           arg_min(device_id, event_time) as device_id,
           arg_min(channel_id, event_time) as channel_id,
           arg_min(country_id, event_time) as country_id,
           list_sort(list_distinct(list(name_id))) as name_set,
           coalesce(sum(revenue), 0) as revenue,
           coalesce(sum(priced_revenue), 0) as priced_revenue  -- of the events whose currency is known
    from fr_keyed
    group by session_key
),
final as (
    select s.visitor_key, s.session_key, s.day, s.last_event, s.device_id, s.channel_id, s.country_id, v.segment,
           v.customer_id, s.name_set, s.revenue, s.priced_revenue
    from sessions s
    left join fr_visitors v on v.visitor_key = s.visitor_key
)
select * from final
