-- The first and last day with data in each dated table: the period when the filters leave it open, and whether
-- the data reaches back into the previous period (when a table starts inside the period, the previous period has
-- no value rather than a zero).
with dated as (
    select 'events' as source, min(event_time) as first, max(event_time) as last from events
    union all
    select 'orders', min(order_time), max(order_time) from orders
    union all
    select 'tickets', min(created_at), max(created_at) from tickets
    union all
    select 'responses', min(responded_at), max(responded_at) from responses
),
final as (
    select source, first::date as first, last::date as last
    from dated
)
select * from final
