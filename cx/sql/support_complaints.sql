-- Complaints by category × severity × recurrence, with the complaint rate per 100 orders of the same period
-- and customers (CX_REFERENCE §2: complaint rate = complaints / orders).
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
period_orders as (
    select count(*) as n
    from scoped_orders
    where ($device is null and $channel is null) or customer_id in (select customer_id from seen)
),
complaint as (
    select category, severity, recurrent, count(*) as complaints
    from tickets
    where is_complaint
    group by all
),
final as (
    select c.category, c.severity, c.recurrent, c.complaints,
           c.complaints / sum(c.complaints) over () as share,
           100 * c.complaints / nullif(o.n, 0) as per_100_orders,
           o.n as orders
    from complaint c, period_orders o
)
select * from final
