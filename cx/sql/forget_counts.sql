-- Erasing one person (cx/ingest/forget.py): how many rows of each table are theirs — keyed by one of their keys
-- (the macros and visitors of forget_setup.sql) —, and `mentions`: the rows of other people that name them in a free
-- text (an e-mail in clear, loaded without pseudonymisation) or in kept extra columns (an e-mail or its pseudonym),
-- where forget_person.sql masks it. Bound: none.
with counts as (
    select 'events' as "table", count(*) as n from events
    where cx_forgotten(customer_id) or cx_forgotten(visitor_id) or visitor_id in (select visitor_id from forget_visitors)
    union all
    select 'customers', count(*) from customers where cx_forgotten(customer_id) or cx_forgotten(email)
    union all
    select 'orders', count(*) from orders where cx_forgotten(customer_id)
    union all
    select 'tickets', count(*) from tickets where cx_forgotten(customer_id)
    union all
    select 'responses', count(*) from responses where cx_forgotten(customer_id)
    union all
    select 'rejects', count(*) from rejects where cx_forgotten_reject(value, code, import_id)
    union all
    select 'persona_members', count(*) from persona_members where cx_forgotten(customer_id)
),

mentions as (
    select 'mentions' as "table", count(*) as n
    from (
        select 1 from events
        where not (cx_forgotten(customer_id) or cx_forgotten(visitor_id)
                   or visitor_id in (select visitor_id from forget_visitors))
          and cx_names_person(properties::varchar)
        union all
        select 1 from customers
        where not (cx_forgotten(customer_id) or cx_forgotten(email)) and cx_names_person(extra::varchar)
        union all
        select 1 from orders where not cx_forgotten(customer_id) and cx_mentions(return_reason, extra)
        union all
        select 1 from tickets where not cx_forgotten(customer_id) and cx_mentions(text, extra)
        union all
        select 1 from responses where not cx_forgotten(customer_id) and cx_mentions(comment, extra)
    )
),

final as (
    select * from counts
    union all
    select * from mentions
)
select * from final
