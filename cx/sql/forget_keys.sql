-- Erasing one person (cx/ingest/forget.py): the keys that name them in the CRM rows carrying one of $keys — each
-- row's customer id and e-mail (a pseudonym, or a clear e-mail when loaded without pseudonymisation) — so a person
-- typed by e-mail is found under their CRM id too, and the other way round. Run until no new key comes.
with matched as (
    select customer_id, email
    from customers
    where list_contains($keys, customer_id)
       or list_contains($keys, email)
       or (contains(customer_id, '@') and list_contains($keys, lower(trim(customer_id))))
       or (contains(email, '@') and list_contains($keys, lower(trim(email))))
),

keys as (
    select customer_id as key from matched
    union
    select email from matched
),

final as (
    select key from keys where key is not null
)
select * from final
