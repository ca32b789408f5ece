-- Personas (cx/personas/features.py): one row per customer known anywhere in the workspace (CRM, orders, web
-- events, survey answers, tickets), with the features the segmentation and the cards use. Read through
-- cx.workspace.sql_file (sessions as in journey_sessions.sql, keyed by journey_session_keys.sql). Every date
-- counts up to $ref, the reference instant (the latest record of the workspace): recency and tenure are measured
-- from it.
-- Orders: one row per order id (the latest import wins; an order without an id is one row). A cancelled or
-- abandoned order is not a purchase; a returned or refunded order was bought then given back, so it counts in
-- neither the frequency nor the monetary value (it is counted in `returned`); a negative amount is a refund line
-- and is taken off the monetary value, and so is the part of a kept order refunded (`refunded`: WooCommerce's
-- "refunded total", Shopify's "Refunded Amount"). Two orders on the same day are two orders. Statuses are read by
-- staging/order_status.sql (as everywhere); `cancelled` counts the orders given up, not the deals still open.
-- Money (monetary, aov): an order without a currency (its own or its import's) is left out of it when any order has
-- one — an amount of no currency is never added to one (cx.money); priced_orders are the orders the AOV is over.
-- Otherwise every order counts.
-- Bound: $ref, $gap_seconds, $page_view_events, $start, $end_excl, $device, $channel, $split (nulls: all data),
-- $order_channel_code and $order_channel_pattern (cx.channels.order_channel_params).
with customer as (
    /*@staging/latest_customers.sql*/
),
linked_order as (
    /*@staging/linked_orders.sql*/
),
linked_response as (
    /*@staging/linked_responses.sql*/
),
linked_ticket as (
    /*@staging/linked_tickets.sql*/
),
status_of as (
    select o.customer_id, o.order_time, o.amount, o.refunded, o.channel, o.status,
           nullif(upper(trim(coalesce(o.currency, i.currency))), '') is not null as priced
    from linked_order o
    left join imports i using (import_id)
    where o.order_time <= $ref and o.customer_id is not null  -- guest orders describe no customer
    qualify row_number() over (partition by coalesce(o.order_id, '~' || o.record_key) order by o.import_id desc) = 1
),
order_row as (
    /*@staging/order_status.sql*/
),
classified as (
    select *, priced or not (select bool_or(priced) from order_row) as in_money
    from order_row
),
order_feature as (
    select customer_id,
           count(*) filter (where not cancelled and not returned and amount > 0) as n_orders,
           count(*) filter (where not cancelled and not returned and amount > 0 and in_money) as priced_orders,
           coalesce(sum(amount - coalesce(refunded, 0))
                        filter (where not cancelled and not returned and amount > 0 and in_money), 0)
               + coalesce(sum(amount) filter (where not cancelled and amount < 0 and in_money), 0) as monetary,
           min(order_time) filter (where not cancelled and not returned and amount > 0) as first_order,
           max(order_time) filter (where not cancelled and not returned and amount > 0) as last_order,
           count(*) filter (where returned) as returned,
           count(*) filter (where cancelled and not waiting) as cancelled,
           min(order_time) as first_order_any
    from classified
    group by customer_id
),
channel_pattern as (
    select unnest($order_channel_code) as code, unnest($order_channel_pattern) as pattern,
           generate_subscripts($order_channel_code, 1) as rank
),
channel_code as (
    -- each channel as written, read once as cx.channels.channel_code reads it (the Journey's touchpoints): the
    -- first matching pattern's code, else the channel as the export spells it, trimmed
    select c.channel, coalesce(arg_min(p.code, p.rank), trim(c.channel)) as code
    from (select distinct channel from classified where channel is not null) c
    left join channel_pattern p on regexp_matches(lower(trim(c.channel)), p.pattern)
    group by c.channel
),
order_channel as (
    -- over the orders n_orders counts (bought, kept, amount > 0): a customer whose only orders were returned has
    -- 0 orders and the RFM segment "no purchase", so no channel of purchase either (the cards said "orders: 0"
    -- beside order-channel shares). By channel code: "Site web" and "web" are one channel
    select customer_id, code as main_order_channel
    from (select customer_id, code, count(*) as n from classified join channel_code using (channel)
          where not cancelled and not returned and amount > 0 group by all)
    qualify row_number() over (partition by customer_id order by n desc, code) = 1
),
customer_visitor as materialized (
    -- the visitors seen with a customer id, listed once: both branches of the session keys read the list (as a
    -- subquery of session_input, each branch scanned the events for it again)
    select distinct visitor_id
    from events
    where customer_id is not null
),
session_input as not materialized (
    -- only the visitors seen with a customer id: the others' sessions describe no customer, and sessionising
    -- them was most of the work (a session's customer is the greatest customer id on its events)
    select event_time, visitor_id, event_name, session_id, customer_id, channel, device
    from events
    where visitor_id in (select visitor_id from customer_visitor)
),
keyed as (
    /*@journey_session_keys.sql*/
),
sessions as (
    -- the columns of journey_sessions.sql that the features use, computed the same way
    select max(customer_id) as customer_id,
           min(event_time) as session_start,
           max(event_time) as session_end,
           count(*) filter (where list_contains($page_view_events, lower(event_name))) as page_views,
           arg_min(device, event_time) as device,
           arg_min(channel, event_time) as channel
    from keyed
    group by hash(visitor_id, current, session_id, session_no)  -- one 64-bit key per session: a grouping on integers
),
customer_session as (
    -- the session's customer as the identity link resolves it (an e-mail user id of a CRM customer: that customer)
    select s.* replace (coalesce(a.customer_id, s.customer_id) as customer_id)
    from sessions s
    left join cx_alias a on a.alias_key = cx_alias_key(s.customer_id)
    where s.customer_id is not null and s.session_start <= $ref
),
web_feature as (
    select customer_id, count(*) as sessions, sum(page_views) as page_views,
           count(*) filter (where device = 'mobile') / count(*) as mobile_share,
           count(distinct session_start::date) as active_days,
           min(session_start) as first_visit, max(session_end) as last_visit
    from customer_session
    group by customer_id
),
main_device as (
    select customer_id, device as main_device
    from (select customer_id, device, count(*) as n from customer_session where device is not null group by all)
    qualify row_number() over (partition by customer_id order by n desc, device) = 1
),
main_channel as (
    select customer_id, channel as main_channel
    from (select customer_id, channel, count(*) as n from customer_session where channel is not null group by all)
    qualify row_number() over (partition by customer_id order by n desc, channel) = 1
),
answer_feature as (
    select customer_id, count(*) as answers,
           count(nps) as nps_n, avg(nps) as nps_mean,
           count(*) filter (where nps >= 9) as promoters, count(*) filter (where nps <= 6) as detractors,
           count(csat) as csat_n,
           -- CSAT top-2-box as in satisfaction_base.sql: 4–5 of 5; yes/no (2) or 3 choices: the top box
           count(*) filter (where csat >= case when coalesce(csat_scale, 5) <= 3 then coalesce(csat_scale, 5)
                                               else coalesce(csat_scale, 5) - 1 end) as csat_satisfied,
           min(responded_at) as first_answer
    from linked_response
    where customer_id is not null and responded_at <= $ref
    group by customer_id
),
ticket_feature as (
    select customer_id, count(*) as tickets, count(*) filter (where is_complaint) as complaints,
           min(created_at) as first_ticket
    from linked_ticket
    where customer_id is not null and created_at <= $ref
    group by customer_id
),
everyone as (
    select customer_id from customer
    union select customer_id from order_feature
    union select customer_id from web_feature
    union select customer_id from answer_feature
    union select customer_id from ticket_feature
),
final as (
    select e.customer_id,
           coalesce(o.n_orders, 0) as n_orders,
           coalesce(o.monetary, 0) as monetary,
           case when o.priced_orders > 0 then o.monetary / o.priced_orders end as aov,
           coalesce(o.priced_orders, 0) as priced_orders,
           o.first_order, o.last_order,
           datediff('day', o.last_order::date, $ref::date) as recency_days,
           coalesce(o.returned, 0) as returned, coalesce(o.cancelled, 0) as cancelled,
           oc.main_order_channel,
           coalesce(w.sessions, 0) as sessions, coalesce(w.page_views, 0) as page_views,
           coalesce(w.active_days, 0) as active_days, w.mobile_share, d.main_device, mc.main_channel,
           coalesce(a.answers, 0) as answers, coalesce(a.nps_n, 0) as nps_n, a.nps_mean,
           coalesce(a.promoters, 0) as promoters, coalesce(a.detractors, 0) as detractors,
           coalesce(a.csat_n, 0) as csat_n, coalesce(a.csat_satisfied, 0) as csat_satisfied,
           coalesce(t.tickets, 0) as tickets, coalesce(t.complaints, 0) as complaints,
           -- tenure: from the first thing known of the customer (sign-up, order, visit, answer, ticket)
           datediff('day', least(c.signup_date::timestamp, o.first_order_any, w.first_visit, a.first_answer,
                                 t.first_ticket)::date, $ref::date) as tenure_days,
           coalesce(c.age, year($ref) - c.birth_year) as age,
           cx_age_band(coalesce(c.age, year($ref) - c.birth_year)) as age_band,
           c.gender, c.city, c.country, c.segment, c.loyalty_member
    from everyone e
    left join customer c on c.customer_id = e.customer_id
    left join order_feature o on o.customer_id = e.customer_id
    left join order_channel oc on oc.customer_id = e.customer_id
    left join web_feature w on w.customer_id = e.customer_id
    left join main_device d on d.customer_id = e.customer_id
    left join main_channel mc on mc.customer_id = e.customer_id
    left join answer_feature a on a.customer_id = e.customer_id
    left join ticket_feature t on t.customer_id = e.customer_id
)
select * from final order by customer_id
