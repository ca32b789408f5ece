-- Friction: the value of one conversion. From the web events: revenue per converting session (sessions with a
-- purchase-like event and revenue); from the orders: AOV (revenue / orders, cancelled ones left out: as
-- staging/order_status.sql says). Bound: $start, $end_excl, $segment, $persona. Reads fr_sessions (may be empty). priced_orders,
-- priced_revenue: the orders with a currency (the order's, else its import's); the AOV is over those when there
-- are any (cx.money: an amount of no currency is never added to one); priced_sessions, priced_web_revenue: the
-- converting sessions with revenue of a known currency and that revenue (fr_sessions.priced_revenue).
with web as (
    select count(*) filter (where revenue > 0) as sessions,
           sum(revenue order by session_key) filter (where revenue > 0) as revenue,  -- in one order: the same total every run
           count(*) filter (where priced_revenue > 0) as priced_sessions,
           sum(priced_revenue order by session_key) filter (where priced_revenue > 0) as priced_revenue
    from fr_sessions
    where revenue > 0 or priced_revenue > 0
),
scoped as (
    /*@staging/scope_orders.sql*/
),
status_of as (
    select o.amount, o.refunded, o.status, nullif(upper(trim(coalesce(o.currency, i.currency))), '') is not null as priced
    from scoped o
    left join imports i using (import_id)
),
classified as (
    /*@staging/order_status.sql*/
),
shop as (
    select count(*) as orders, sum(amount) as revenue,
           count(*) filter (where priced) as priced_orders, sum(amount) filter (where priced) as priced_revenue
    from classified
    where not cancelled
),
final as (
    select web.sessions as web_conversions, web.revenue as web_revenue, web.priced_sessions as priced_web_conversions,
           web.priced_revenue as priced_web_revenue, shop.orders, shop.revenue as order_revenue,
           shop.priced_orders, shop.priced_revenue
    from web, shop
)
select * from final
