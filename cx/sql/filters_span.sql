-- Global filters (cx/filters.py): the first and last day of any dated record (events, orders, tickets, answers).
with dated as (
    select event_time as d from events
    union all select order_time from orders
    union all select created_at from tickets
    union all select responded_at from responses
),
final as (
    select min(d)::date as first, max(d)::date as last from dated
)
select * from final
