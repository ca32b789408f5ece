-- Funnel: visitors per (customer, furthest step reached), for the visitors linked to a customer (fx_customers:
-- the greatest customer id seen on their events); the caller groups the customers and accumulates the steps.
with final as (
    select c.customer_id, u.reached, count(*) as users
    from fx_users u
    join fx_customers c on c.visitor_id = u.visitor_id
    group by all
)
select * from final order by customer_id, reached
