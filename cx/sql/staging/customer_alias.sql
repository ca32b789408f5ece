-- Staging: the identity link, read at every query, nothing stored is rewritten. An order, ticket, survey answer or web
-- event keyed by an e-mail (a guest checkout's "Billing email", a Google Forms "Email Address", a Zendesk "Requester
-- email") belongs to the CRM customer with that e-mail when the CRM keys its customers by another id (WooCommerce's
-- numbers and an Email column): alias_key (as staging/customer_emails.sql writes it) → customer_id. Only an e-mail held
-- by exactly one customer links (two customers sharing one: neither, the Overview counts them); an e-mail that is
-- itself a customer id (a mailing list keyed by e-mail) is that customer's (or shared, if a CRM row holds it too).
-- Deleting the CRM import unlinks at once. Readers resolve `coalesce(a.customer_id, x.customer_id)` joined on
-- `a.alias_key = cx_alias_key(x.customer_id)` (macros.sql; a hash join on this small table): staging/linked_orders.sql,
-- linked_tickets.sql, linked_responses.sql, and the web events' customer where it is read (seen_customers.sql,
-- scope_visitors.sql, the personas' sessions). Binds nothing.
with emails as (
    /*@staging/customer_emails.sql*/
),
final as (
    select alias_key, customer_id
    from emails
    where not shared
)
select * from final
