-- Complaints by category × severity × recurrence, with the complaint rate per 100 orders of the same period
-- and customers (CX_REFERENCE §2: complaint rate = complaints / orders). The rate is taken only over the months
-- both exports cover: from the later of the first ticket's and the first order's month to the earlier of the
-- last ones' (whole calendar months); complaints and orders outside that overlap are not rated (rated_complaints,
-- orders count only the overlap; no overlap: orders = 0 and the rate is null).
with tickets as (
    /*@support_tickets.sql*/
),
seen as (  -- customers seen on the web in the period under the device / channel filters; read only under
    -- one of them: without, it is empty and the events are not scanned (at 5M events, ~0.2 CPU-s a query)
    select * from (/*@staging/seen_customers.sql*/) where $device is not null or $channel is not null
),
scoped_orders as (
    /*@staging/scope_orders.sql*/
),
kept_orders as (
    select order_time
    from scoped_orders
    where ($device is null and $channel is null) or customer_id in (select customer_id from seen)
),
overlap as (  -- the months both the tickets and the orders cover
    select greatest(t.first_month, o.first_month) as first_month, least(t.last_month, o.last_month) as last_month
    from (select date_trunc('month', min(created_at)) as first_month, date_trunc('month', max(created_at)) as last_month
          from tickets) t,
         (select date_trunc('month', min(order_time)) as first_month, date_trunc('month', max(order_time)) as last_month
          from kept_orders) o
),
period_orders as (
    select count(*) filter (where date_trunc('month', order_time) between overlap.first_month and overlap.last_month)
               as n,
           count(*) as all_n
    from kept_orders, overlap
),
complaint as (
    select category, severity, recurrent, count(*) as complaints,
           count(*) filter (where date_trunc('month', created_at) between overlap.first_month and overlap.last_month)
               as rated_complaints
    from tickets, overlap
    where is_complaint
    group by category, severity, recurrent
),
final as (
    select c.category, c.severity, c.recurrent, c.complaints,
           c.complaints / sum(c.complaints) over () as share,
           c.rated_complaints,
           100 * c.rated_complaints / nullif(o.n, 0) as per_100_orders,
           o.n as orders, o.all_n as orders_any_month
    from complaint c, period_orders o
)
select * from final
