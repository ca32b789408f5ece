-- Friction (cx/friction.py): one row per session of the filtered web events (sessions from
-- journey_session_keys.sql), with the day it started, its first device / channel / country, the CRM segment of
-- the visitor's customer (the greatest customer id seen on the visitor's events, whatever the filters) and the
-- distinct lower-case event names it contains. The customer segment filter keeps the visitors of that segment.
-- Bound: $start, $end_excl, $device, $channel, $segment, $gap_seconds, $split.
with session_input as (
    select event_time, visitor_id, event_name, session_id, customer_id, page, channel, device, country, revenue
    from events
),
keyed as (
    /*@journey_session_keys.sql*/
),
customer as (
    select customer_id, segment
    from customers
    qualify row_number() over (partition by customer_id order by import_id desc) = 1
),
visitor_segment as (
    select v.visitor_id, v.customer_id, c.segment
    from (select visitor_id, max(customer_id) as customer_id from events where customer_id is not null
          group by visitor_id) v
    left join customer c on c.customer_id = v.customer_id
),
final as (
    select k.visitor_id,
           k.visitor_id || '|' || coalesce(k.session_id, '~' || k.session_no) as session_key,
           min(k.event_time)::date as day,
           arg_min(k.device, k.event_time) as device,
           arg_min(k.channel, k.event_time) as channel,
           arg_min(k.country, k.event_time) as country,
           any_value(v.segment) as segment,
           any_value(v.customer_id) as customer_id,
           list_distinct(list(lower(k.event_name))) as names,
           coalesce(sum(k.revenue), 0) as revenue
    from keyed k
    left join visitor_segment v on v.visitor_id = k.visitor_id
    where ($segment is null and $persona is null) or cx_customer_in_scope(v.customer_id, $segment, $persona)
    group by k.visitor_id, k.current, k.session_id, k.session_no
)
select * from final
