-- The currencies of the money an analysis covers: per currency (null = not known), the amount and count of the
-- orders in scope (cancelled ones left out, as staging/order_status.sql says) and of the web events with revenue in
-- scope. An order or event
-- without its own currency takes its import's (imports.currency: the file's single currency). Amounts are summed
-- as DECIMAL(38, 6) (each double rounded to a millionth, then added exactly): a sum of doubles depends on the order
-- DuckDB's threads add them in, and its last digits moved between runs (4525163.419999983 vs …982).
-- Bound: $start, $end_excl, $segment, $persona, $device, $channel.
with scoped_orders as (
    /*@staging/scope_orders.sql*/
),
status_of as (
    select coalesce(o.currency, i.currency) as currency, o.amount, o.refunded, o.status
    from scoped_orders o
    left join imports i using (import_id)
),
classified as (
    /*@staging/order_status.sql*/
),
ord as (
    select currency, amount
    from classified
    where not cancelled
),
web as (
    select coalesce(e.currency, i.currency) as currency, e.revenue as amount
    from events e
    left join imports i using (import_id)
    where e.revenue is not null and e.revenue <> 0
      and ($start is null or e.event_time >= $start) and ($end_excl is null or e.event_time < $end_excl)
      and ($device is null or e.device = $device) and ($channel is null or e.channel = $channel)
),
final as (
    select 'orders' as source, upper(trim(currency)) as currency, count(*) as n,
           sum(amount::decimal(38, 6))::double as amount
    from ord
    group by all
    union all
    select 'events', upper(trim(currency)), count(*), sum(amount::decimal(38, 6))::double
    from web
    group by all
)
select * from final
order by source desc, amount desc nulls last
