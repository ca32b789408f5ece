-- Ingest (cx/ingest/load.py, after every load of customers, orders, tickets or survey answers, in its transaction):
-- the identity link. An order, ticket or answer whose customer key is an e-mail (stored as its pseudonym, the same
-- keyed hash as customers.email; or the same clear e-mail when pseudonymisation is off) belongs to the CRM customer
-- with that e-mail, as in Mixpanel or PostHog: its customer_id becomes that customer's id, so every page, the
-- personas and the filters see one customer, not a buyer and a prospect. Pseudonyms are compared with pseudonyms,
-- never with clear text. A key that is itself a CRM customer id (a mailing list keyed by e-mail) stays; an e-mail
-- that two CRM customers share (latest rows) links to neither. Run again at each load, whichever comes first (the
-- answers or the CRM). Only a key that may be an e-mail (a pseudonym, or an @ when pseudonymisation is off) is
-- looked up: a CRM id is neither. Binds nothing.
create or replace temp table customer_link as
with latest as (
    /*@staging/latest_customers.sql*/
),
by_email as (
    select lower(trim(email)) as alias, min(customer_id) as customer_id
    from latest
    where nullif(trim(email), '') is not null
    group by all
    having count(distinct customer_id) = 1
),
final as (
    select * from by_email
    where alias not in (select lower(trim(customer_id)) from customers where customer_id is not null)
)
select * from final;
update orders set customer_id = l.customer_id
from customer_link l
where (starts_with(orders.customer_id, 'px_') or contains(orders.customer_id, '@'))
  and lower(trim(orders.customer_id)) = l.alias;
update tickets set customer_id = l.customer_id
from customer_link l
where (starts_with(tickets.customer_id, 'px_') or contains(tickets.customer_id, '@'))
  and lower(trim(tickets.customer_id)) = l.alias;
update responses set customer_id = l.customer_id
from customer_link l
where (starts_with(responses.customer_id, 'px_') or contains(responses.customer_id, '@'))
  and lower(trim(responses.customer_id)) = l.alias;
drop table customer_link;
