-- Friction (cx/friction/): one row per session of the filtered web events (fr_keyed, whose events are already
-- those of the visitors in scope), with the day it started, the time of its last event, its first device /
-- channel / country (ids of fr_dims until the end), the CRM segment and customer id of the visitor (fr_visitors), the distinct lower-case event
-- names it contains, whether one of them is purchase-like ($purchase_events) and its revenue. The names are
-- gathered as one bit per name id ($max_name_id: the largest id of fr_names), then spelt out once per distinct
-- set of names. Kept in fr_sessions.
with sessions as (
    select session_key,
           any_value(visitor_id) as visitor_id,  -- one visitor per session key
           min(event_time)::date as day,
           max(event_time) as last_event,
           arg_min(device_id, event_time) as device_id,
           arg_min(channel_id, event_time) as channel_id,
           arg_min(country_id, event_time) as country_id,
           bitstring_agg(name_id, 0, $max_name_id) as name_bits,
           coalesce(sum(revenue), 0) as revenue
    from fr_keyed
    group by session_key
),
name_sets as (
    select b.name_bits, list(n.name order by n.name_id) as names
    from (select distinct name_bits from sessions) b
    join (select distinct name_id, name from fr_names) n on get_bit(b.name_bits, n.name_id) = 1
    group by b.name_bits
),
final as (
    select s.visitor_id, s.session_key, s.day, s.last_event, d.value as device, c.value as channel,
           k.value as country, v.segment,
           v.customer_id, ns.names, list_has_any(ns.names, $purchase_events) as bought, s.revenue
    from sessions s
    join name_sets ns on ns.name_bits = s.name_bits
    left join fr_visitors v on v.visitor_id = s.visitor_id
    left join (select value, value_id from fr_dims where dim = 'device') d on d.value_id = s.device_id
    left join (select value, value_id from fr_dims where dim = 'channel') c on c.value_id = s.channel_id
    left join (select value, value_id from fr_dims where dim = 'country') k on k.value_id = s.country_id
)
select * from final
