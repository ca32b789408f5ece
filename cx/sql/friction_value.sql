-- Friction: the value of one conversion. From the web events: revenue per converting session (sessions with a
-- purchase-like event and revenue); from the orders: AOV (revenue / orders, cancelled ones left out). Bound:
-- $start, $end_excl, $segment, $cancelled (lower-case statuses). Reads fr_sessions (may be empty).
with web as (
    select count(*) as sessions, sum(revenue order by session_key) as revenue  -- in one order: the same total every run
    from fr_sessions
    where revenue > 0
),
shop as (
    select count(*) as orders, sum(amount) as revenue
    from orders
    where ($start is null or order_time >= $start) and ($end_excl is null or order_time < $end_excl)
      and not list_contains($cancelled, lower(coalesce(status, '')))
      and cx_customer_in_scope(customer_id, $segment, $persona)
),
final as (
    select web.sessions as web_conversions, web.revenue as web_revenue, shop.orders, shop.revenue as order_revenue
    from web, shop
)
select * from final
