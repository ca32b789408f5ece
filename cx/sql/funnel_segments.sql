-- Funnel: each visitor's customer id (the greatest seen on their events, whatever the filters: linking a
-- visitor to the CRM is not a measure; resolved by the identity link, staging/customer_alias.sql: a CRM customer's
-- e-mail is that customer) and that customer's segment.
with visitor_customer as (
    select v.visitor_id, coalesce(a.customer_id, v.customer_id) as customer_id
    from (select visitor_id, max(customer_id) as customer_id
          from events
          where customer_id is not null and visitor_id in (select visitor_id from fx_users)
          group by visitor_id) v
    left join cx_alias a on a.alias_key = cx_alias_key(v.customer_id)
),
final as (
    select v.visitor_id, v.customer_id, (select max(c.segment) from customers c
                                         where c.customer_id = v.customer_id) as segment
    from visitor_customer v
)
select * from final
