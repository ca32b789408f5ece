-- Staging: the support tickets opened (created_at) in the period [$start, $end_excl) whose customer is in the scope of
-- the customer filters (cx_customer_in_scope: $segment, $persona; a record without a customer drops out only when one
-- is set), its customer resolved by the identity link (staging/linked_tickets.sql): every column of tickets, and
-- record_key (its rowid). The web filters (device, channel) do not apply: a query that follows them adds `customer_id
-- in (select customer_id from seen)`, seen = staging/seen_customers.sql. Bound: $start, $end_excl, $segment, $persona.
with linked as (
    /*@staging/linked_tickets.sql*/
),
final as (
    select *
    from linked
    where ($start is null or created_at >= $start) and ($end_excl is null or created_at < $end_excl)
      and cx_customer_in_scope(customer_id, $segment, $persona)
)
select * from final
