-- Personas: visitors per persona and furthest funnel step, from the funnel's temp tables on this cursor (fx_users:
-- visitor_id, reached; fx_customers: visitor_id, customer_id — the greatest customer id seen on their events).
with final as (
    select m.persona_id, u.reached, count(*) as users
    from fx_users u
    join fx_customers c on c.visitor_id = u.visitor_id
    join persona_members m on m.customer_id = c.customer_id
    group by all
)
select * from final order by persona_id, reached
