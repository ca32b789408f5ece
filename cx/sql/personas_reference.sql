-- Personas: the reference instant — the latest record of the workspace (order, web event, answer, ticket).
with instants as (
    select max(order_time) as t from orders
    union all select max(event_time) from events
    union all select max(responded_at) from responses
    union all select max(created_at) from tickets
),
final as (
    select max(t) as ref from instants
)
select * from final
