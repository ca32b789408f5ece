-- Friction (cx/friction/): one row per session of the filtered web events (fr_keyed, whose events are already
-- those of the visitors in scope), with the day it started, the time of its last event, its first device /
-- channel / country (as their fr_dims ids: the small downstream queries spell them out after grouping), its
-- visitor's key (fr_keyed.visitor_key), the CRM segment and customer id of the visitor (fr_visitors), its revenue,
-- and which of the tracked event names it contains (name_set: the bits of fr_names.name_bit OR-ed together; an
-- integer, so grouping and joining on it is cheap), and its exit: the page path of its last page view and when
-- (null without a page view with a page; friction_pages.sql and the exit downloads read them). Each distinct set
-- is spelt out once, in fr_name_sets (friction_name_sets.sql), which the queries join on name_set. Kept in
-- fr_sessions.
with sessions as (
    select session_key,
           any_value(visitor_key) as visitor_key,  -- one visitor per session key
           min(event_time)::date as day,
           max(event_time) as last_event,
           arg_min(device_id, event_time) as device_id,
           arg_min(channel_id, event_time) as channel_id,
           arg_min(country_id, event_time) as country_id,
           bit_or(name_bit) as name_set,
           coalesce(sum(revenue), 0) as revenue,
           coalesce(sum(priced_revenue), 0) as priced_revenue,  -- of the events whose currency is known
           arg_max(path_id, event_time) filter (where page_view and path_id is not null) as exit_path_id,
           max(event_time) filter (where page_view and path_id is not null) as exit_time
    from fr_keyed
    group by session_key
),
final as (
    select s.visitor_key, s.session_key, s.day, s.last_event, s.device_id, s.channel_id, s.country_id, v.segment,
           v.customer_id, s.name_set, s.revenue, s.priced_revenue, s.exit_path_id, s.exit_time
    from sessions s
    left join fr_visitors v on v.visitor_key = s.visitor_key
)
select * from final
