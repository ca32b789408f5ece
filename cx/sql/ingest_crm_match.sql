-- An import's report (cx/ingest/crm_match.py): how many of the customers keying the orders, tickets and survey answers
-- are CRM customers once the identity link resolves them (a CRM id, or the e-mail of one: staging/linked_*.sql), per
-- table. An import of orders, tickets or answers ($import_id) is compared with the CRM already loaded; an import of
-- the CRM ($crm) compares every table's rows with the whole CRM. `keys`: the distinct customers keying the rows read;
-- `matched`: those that are CRM customers; `crm`: the CRM's customers (none: nothing to say). Bound: $import_id, $crm.
with linked_orders as (
    /*@staging/linked_orders.sql*/
),

linked_tickets as (
    /*@staging/linked_tickets.sql*/
),

linked_responses as (
    /*@staging/linked_responses.sql*/
),

keyed as (
    select 'orders' as "table", customer_id from linked_orders where ($crm or import_id = $import_id)
    union all
    select 'tickets', customer_id from linked_tickets where ($crm or import_id = $import_id)
    union all
    select 'responses', customer_id from linked_responses where ($crm or import_id = $import_id)
),

final as (
    select
        "table",
        count(distinct customer_id) as keys,
        count(distinct customer_id) filter (where customer_id in (select customer_id from customers)) as matched,
        (select count(distinct customer_id) from customers) as crm
    from keyed
    where customer_id is not null
    group by "table"
)
select * from final order by "table"
