-- Erasing one person (cx/ingest/forget.py): the keys that name them in the CRM rows carrying one of $keys — each
-- row's customer id and e-mail (a pseudonym, or a clear e-mail when loaded without pseudonymisation) — so a person
-- typed by e-mail is found under their CRM id too, and the other way round. Run until no new key comes. An e-mail
-- several customers hold on their CRM rows (a family's address) is nobody's alone: it is not followed, as the
-- identity link links it to neither (staging/customer_emails.sql counts holders the same way).
with holders as (
    select lower(email) as email, count(distinct customer_id) as holders
    from customers
    where starts_with(email, 'px_') or contains(email, '@')
    group by lower(email)
),

matched as (
    select c.customer_id, c.email, coalesce(h.holders, 0) as holders
    from customers c
    left join holders h on h.email = lower(c.email)
    where list_contains($keys, c.customer_id)
       or (contains(c.customer_id, '@') and list_contains($keys, lower(trim(c.customer_id))))
       or (h.holders = 1 and (list_contains($keys, c.email) or list_contains($keys, lower(trim(c.email)))))
),

keys as (
    select customer_id as key from matched
    union
    select email from matched where holders = 1
),

final as (
    select key from keys where key is not null
)
select * from final
