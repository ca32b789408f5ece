-- The first and last day with data in each dated table: the period when the filters leave it open, and whether
-- the data reaches back into the previous period (when a table starts inside the period, the previous period has
-- no value rather than a zero). The same statement counts the rows of the whole table (no filter) with a value in
-- the optional columns the KPIs need (`cx.coverage.filled`): status_filled (orders.status), is_complaint_filled
-- and csat_filled (tickets); null on the other sources' rows; and as_of, the data's as-of day (`cx.asof`, the
-- macro cx_as_of(): the default end of the period), the same on every row.
with dated as (
    select 'events' as source, min(event_time) as first, max(event_time) as last,
           null::bigint as status_filled, null::bigint as is_complaint_filled, null::bigint as csat_filled
    from events
    union all
    select 'orders', min(order_time), max(order_time), count(status), null, null from orders
    union all
    select 'tickets', min(created_at), max(created_at), null, count(is_complaint), count(csat) from tickets
    union all
    select 'responses', min(responded_at), max(responded_at), null, null, null from responses
),
final as (
    select source, first::date as first, last::date as last, status_filled, is_complaint_filled, csat_filled,
           cx_as_of()::date as as_of
    from dated
)
select * from final
