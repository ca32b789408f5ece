-- Order KPIs of the journey map, one row per period: current = order_time from $split on, else the previous
-- period [$start, $split). An order counts unless it is cancelled, and returned orders are those
-- staging/order_status.sql says (as on Retention); delivered orders are the returned ones and the counted ones with
-- a delivery date (every counted one when the export has no delivery date at all). Segment: through customer_id.
-- priced_orders, priced_revenue: the counted orders with a currency (the order's, else its import's, as in
-- currency_scope.sql); any_priced: some counted order of either period has one — the AOV of both periods is then
-- over the priced orders only (cx.money: an amount of no currency is never added to, nor compared with, one).
-- Bound: $start, $end_excl, $split, $segment.
with has_delivery as (
    select count(delivered_date) > 0 as known
    from orders
),
scoped as (
    /*@staging/scope_orders.sql*/
),
status_of as (
    select s.customer_id, s.amount, s.refunded, s.delivered_date, s.status,
           ($split is null or s.order_time >= $split) as current,
           nullif(upper(trim(coalesce(s.currency, i.currency))), '') is not null as priced
    from scoped s
    left join imports i using (import_id)
),
ord as (
    /*@staging/order_status.sql*/
),
flagged as (
    select *, not cancelled as counted
    from ord
),
per_customer as (
    -- the customers who ordered, as Retention counts them (cohort_purchases.sql): guest orders (no customer id)
    -- belong to no customer — grouped here, they made one "buyer", a repeat one from two guest orders on
    select current, customer_id, count(*) filter (where counted) as orders
    from flagged
    where customer_id is not null
    group by all
),
buyers as (
    select current,
           count(*) filter (where orders >= 1) as buyers,
           count(*) filter (where orders >= 2) as repeat_buyers
    from per_customer
    group by current
),
totals as (
    select current,
           count(*) as records,
           count(*) filter (where counted) as orders,
           sum(amount) filter (where counted) as revenue,
           count(*) filter (where counted and priced) as priced_orders,
           sum(amount) filter (where counted and priced) as priced_revenue,
           count(*) filter (where returned) as returned_orders,
           count(*) filter (where returned or (counted and (delivered_date is not null
                                                            or not (select known from has_delivery))))
               as delivered_orders
    from flagged
    group by current
),
final as (  -- a period of guest orders only has no buyer row: its totals stay, with 0 buyers
    select t.*, coalesce(b.buyers, 0) as buyers, coalesce(b.repeat_buyers, 0) as repeat_buyers,
           max(t.priced_orders) over () > 0 as any_priced
    from totals t
    left join buyers b using (current)
)
select * from final
