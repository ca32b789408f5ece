-- Overview (cx/inventory.py summarise_tables): per data table, its rows, the first and last day of its time column,
-- how many imports filled it and, for the customers, how many distinct customer ids (a customer listed by several
-- exports is one customer: the pages read their latest row, staging/latest_customers.sql) and how many e-mails
-- several of them hold (shared_emails: an order, ticket or answer keyed by one belongs to neither, as
-- staging/customer_alias.sql says).
with emails as (
    /*@staging/customer_emails.sql*/
),
spans as (
    select 'events' as table_name, count(*) as rows, min(event_time)::date as first, max(event_time)::date as last,
           count(distinct import_id) as imports, null::bigint as customers,
           null::bigint as shared_emails
    from events
    union all
    select 'customers', count(*), min(signup_date)::date, max(signup_date)::date, count(distinct import_id),
           count(distinct customer_id), (select count(*) from emails where shared) from customers
    union all
    select 'orders', count(*), min(order_time)::date, max(order_time)::date, count(distinct import_id), null, null
    from orders
    union all
    select 'tickets', count(*), min(created_at)::date, max(created_at)::date, count(distinct import_id), null,
           null
    from tickets
    union all
    select 'responses', count(*), min(responded_at)::date, max(responded_at)::date, count(distinct import_id), null,
           null
    from responses
),
final as (
    select table_name as "table", rows, first, last, imports, customers, shared_emails from spans
)
select * from final
