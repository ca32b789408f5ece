-- Friction (cx/friction/): one row per visitor seen with a customer id on any of their events (whatever the
-- filters), with its 64-bit key (fr_keyed.visitor_key): the greatest such customer id (resolved by the identity link,
-- staging/customer_alias.sql), that customer's latest CRM segment, and whether the customer is in
-- the scope of the customer filters ($segment, $persona; always true without them). Kept in fr_visitors.
with customer as (
    /*@staging/latest_customers.sql*/
),
visitor as (  -- its customer as the identity link resolves it (a CRM customer's e-mail as user id: that customer)
    select v.visitor_id, coalesce(a.customer_id, v.customer_id) as customer_id
    from (select visitor_id, max(customer_id) as customer_id
          from events
          where customer_id is not null
          group by visitor_id) v
    left join cx_alias a on a.alias_key = cx_alias_key(v.customer_id)
),
final as (
    select v.visitor_id, hash(v.visitor_id) as visitor_key, v.customer_id, c.segment,
           coalesce(($segment is null and $persona is null)
                    or cx_customer_in_scope(v.customer_id, $segment, $persona), false) as in_scope
    from visitor v
    left join customer c on c.customer_id = v.customer_id
)
select * from final
