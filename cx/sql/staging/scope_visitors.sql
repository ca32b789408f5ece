-- Staging: the web visitors linked to a customer in the scope of the customer filters (one of their events carries the
-- id, or the e-mail (staging/customer_alias.sql), of a customer of $segment / $persona: cx_customer_in_scope). Empty
-- when neither filter is set, so a query keeps a visitor with `(($segment is null and $persona is null) or visitor_id
-- in (select visitor_id from <this>))`. Bound: $segment, $persona.
with final as (
    select distinct e.visitor_id
    from events e
    left join cx_alias a on a.alias_key = cx_alias_key(e.customer_id)
    join customers c on c.customer_id = coalesce(a.customer_id, e.customer_id)
    where ($segment is not null or $persona is not null)
      and cx_customer_in_scope(c.customer_id, $segment, $persona)
)
select * from final
