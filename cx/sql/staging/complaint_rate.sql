-- Staging: the complaint rate (CX_REFERENCE §2: complaints / orders × 100), the one definition every page uses
-- (Support, the journey's retention stage, the report, `cx kpis`). One row per period: current (records from
-- $split on; every record when $split is null) and, when $split is set, the previous one (before $split).
-- Rated only over the days both exports cover: from the later of the tickets' and the orders' first day with
-- data to the earlier of their last days — days, not calendar months (orders ending on 3 March rate the
-- complaints of 1–3 March, not all of March's), and of the whole tables (what each export covers, not what the
-- filters keep: a segment's last order is not the end of the orders export). An export is taken to end on its
-- last record's day: one with sparse records (few tickets) may have covered a few days more, which this cannot
-- see — a bias of those days, where whole months add up to a month of complaints without their orders.
-- Tickets and orders are those of the period under the customer filters (staging/seen_tickets.sql,
-- scope_orders.sql; every order placed, cancelled ones included: a cancellation is often what a complaint is
-- about) and, under a device / channel filter, of the customers seen in matching web events of the same period.
-- Columns: current, complaints (all of the period), rated_complaints and orders (in the days both cover),
-- rate (0–100; null when reason is set), reason (no_tickets, no_complaint_flag, no_orders: nothing loaded;
-- no_overlap: no order on the days both cover; above_orders: more complaints than orders, the orders export
-- does not hold the orders the tickets are about), first_day and last_day (the days both cover, null without).
-- It reads the tables tickets and orders: a query including it names no CTE so. Bound: $start, $end_excl, $split,
-- $segment, $persona, $device, $channel.
with coverage as (
    select greatest(t.first_day, o.first_day) as first_day, least(t.last_day, o.last_day) as last_day,
           t.n as tickets_loaded, t.flagged, o.n as orders_loaded
    from (select min(created_at)::date as first_day, max(created_at)::date as last_day, count(*) as n,
                 count(is_complaint) as flagged
          from tickets) t,
         (select min(order_time)::date as first_day, max(order_time)::date as last_day, count(*) as n
          from orders) o
),
periods as (
    select true as current
    union all
    select false where $split is not null
),
seen as (  -- read only under a device / channel filter: without, the events are not scanned
    select distinct customer_id, ($split is null or event_time >= $split) as current
    from (/*@staging/seen_customers.sql*/)
    where $device is not null or $channel is not null
),
scoped_orders as (
    /*@staging/scope_orders.sql*/
),
kept_tickets as (
    select coalesce(is_complaint, false) as is_complaint, created_at::date as day, current
    from (/*@staging/seen_tickets.sql*/)
),
kept_orders as (
    select o.order_time::date as day, ($split is null or o.order_time >= $split) as current
    from scoped_orders o
    where ($device is null and $channel is null)
       or exists (select 1 from seen s
                  where s.customer_id = o.customer_id and s.current = ($split is null or o.order_time >= $split))
),
ticket_counts as (
    select k.current, count(*) filter (where k.is_complaint) as complaints,
           count(*) filter (where k.is_complaint and k.day between c.first_day and c.last_day) as rated_complaints
    from kept_tickets k, coverage c
    group by k.current
),
order_counts as (
    select k.current, count(*) as orders
    from kept_orders k, coverage c
    where k.day between c.first_day and c.last_day
    group by k.current
),
counted as (
    select p.current, coalesce(t.complaints, 0) as complaints, coalesce(t.rated_complaints, 0) as rated_complaints,
           coalesce(o.orders, 0) as orders,
           case when c.tickets_loaded = 0 then 'no_tickets'
                when c.flagged = 0 then 'no_complaint_flag'
                when c.orders_loaded = 0 then 'no_orders'
                when coalesce(o.orders, 0) = 0 then 'no_overlap'
                when coalesce(t.rated_complaints, 0) > o.orders then 'above_orders' end as reason,
           case when c.first_day <= c.last_day then c.first_day end as first_day,
           case when c.first_day <= c.last_day then c.last_day end as last_day
    from periods p
    cross join coverage c
    left join ticket_counts t using (current)
    left join order_counts o using (current)
),
final as (
    select current, complaints, rated_complaints, orders,
           case when reason is null then 100.0 * rated_complaints / orders end as rate,
           reason, first_day, last_day
    from counted
)
select * from final
