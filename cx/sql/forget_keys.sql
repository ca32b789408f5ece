-- Erasing one person (cx/ingest/forget.py): the keys that name them, one step from what was typed ($keys: its
-- forms). The typed key leads to the person's customer id (the id typed, or the one CRM customer holding the e-mail
-- typed), then to that id's e-mails held by it alone (staging/customer_emails.sql counts holders the same way: an
-- address shared or moved between customers names none of them). Nothing is followed further, and a customer id that
-- names several people (the same id in two imports with different e-mails: two CRMs' "5") is not followed from an
-- e-mail: its rows cannot be told apart (forget_people.sql refuses it typed). Each key as stored: a pseudonym, or a
-- clear e-mail when loaded without pseudonymisation.
with holders as (
    select lower(email) as email, count(distinct customer_id) as holders, min(customer_id) as customer_id
    from customers
    where starts_with(email, 'px_') or contains(email, '@')
    group by lower(email)
),

several as (  -- a customer id whose rows come from several imports with different e-mails
    select customer_id
    from customers
    group by customer_id
    having count(distinct import_id) > 1 and count(distinct lower(email)) > 1
),

typed as (
    select unnest($keys::varchar[]) as key
),

person as (  -- the customer id typed, or the one CRM customer holding the e-mail typed
    select c.customer_id
    from customers c
    where list_contains($keys, c.customer_id)
       or (contains(c.customer_id, '@') and list_contains($keys, lower(trim(c.customer_id))))
    union
    select h.customer_id
    from holders h
    where h.holders = 1 and list_contains($keys, h.email)
      and h.customer_id not in (select customer_id from several)
),

emails as (  -- the person's e-mails held by them alone
    select h.email from holders h where h.holders = 1 and h.customer_id in (select customer_id from person)
),

keys as (
    select key from typed
    union
    select customer_id from person
    union
    select email from emails
),

final as (
    select key from keys where key is not null
)
select * from final
