-- Erasing one person (cx/ingest/forget.py): how many rows of each table are theirs — keyed by one of their keys
-- (the macros and visitors of forget_setup.sql) —, and `mentions`: the rows of other people that name them in a free
-- text (an e-mail in clear, loaded without pseudonymisation) or in kept extra columns (an e-mail or its pseudonym),
-- where forget_mask.sql masks it. One scan of each table. Bound: none.
with events_keyed as (
    select
        cx_forgotten(customer_id) or cx_forgotten(visitor_id)
        or visitor_id in (select visitor_id from forget_visitors) as keyed,
        properties
    from events
),

counts as (
    select
        'events' as "table",
        count(*) filter (where keyed) as n,
        count(*) filter (where not keyed and cx_names_person(properties::varchar)) as mentioned
    from events_keyed
    union all
    select
        'customers',
        count(*) filter (where cx_forgotten(customer_id) or cx_forgotten(email)),
        count(*) filter (where not (cx_forgotten(customer_id) or cx_forgotten(email)) and cx_names_person(extra::varchar))
    from customers
    union all
    select 'orders', count(*) filter (where cx_forgotten(customer_id)),
        count(*) filter (where not cx_forgotten(customer_id) and cx_mentions(return_reason, extra))
    from orders
    union all
    select 'tickets', count(*) filter (where cx_forgotten(customer_id)),
        count(*) filter (where not cx_forgotten(customer_id) and cx_mentions(text, extra))
    from tickets
    union all
    select 'responses', count(*) filter (where cx_forgotten(customer_id)),
        count(*) filter (where not cx_forgotten(customer_id) and cx_mentions(comment, extra))
    from responses
    union all
    select 'rejects', count(*) filter (where cx_forgotten_reject(value, code, import_id)), 0 from rejects
    union all
    select 'persona_members', count(*) filter (where cx_forgotten(customer_id)), 0 from persona_members
),

final as (
    select "table", n from counts
    union all
    select 'mentions', sum(mentioned) from counts
)
select * from final
