-- Erasing one person (cx/ingest/forget.py): how many rows of each table are theirs (the macros and visitors of
-- forget_setup.sql), and `mentions`: the free texts of other rows that write one of their e-mails in clear (loaded
-- without pseudonymisation), where forget_person.sql masks it. Bound: none.
with counts as (
    select 'events' as "table", count(*) as n from events
    where cx_forgotten(customer_id) or cx_forgotten(visitor_id)
       or visitor_id in (select visitor_id from forget_visitors) or cx_names_person(properties::varchar)
    union all
    select 'customers', count(*) from customers
    where cx_forgotten(customer_id) or cx_forgotten(email) or cx_names_person(extra::varchar)
    union all
    select 'orders', count(*) from orders where cx_forgotten(customer_id) or cx_names_person(extra::varchar)
    union all
    select 'tickets', count(*) from tickets where cx_forgotten(customer_id) or cx_names_person(extra::varchar)
    union all
    select 'responses', count(*) from responses where cx_forgotten(customer_id) or cx_names_person(extra::varchar)
    union all
    select 'rejects', count(*) from rejects where cx_forgotten_reject(value, code)
    union all
    select 'persona_members', count(*) from persona_members where cx_forgotten(customer_id)
),

mentions as (
    select 'mentions' as "table", count(*) as n
    from (
        select text as said, customer_id, extra from tickets
        union all
        select comment, customer_id, extra from responses
        union all
        select return_reason, customer_id, extra from orders
    )
    where regexp_matches(said, (select pattern from forget_mention))
      and not (cx_forgotten(customer_id) or cx_names_person(extra::varchar))
),

final as (
    select * from counts
    union all
    select * from mentions
)
select * from final
