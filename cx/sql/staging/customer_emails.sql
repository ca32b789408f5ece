-- Staging: every e-mail of the CRM as the identity link reads it (staging/customer_alias.sql), one row per e-mail:
-- alias_key, the e-mail as a record keyed by it holds it — its pseudonym (px_…: the keyed hash of the trimmed,
-- lower-cased address, the same in every table, cx.workspace.pseudonymise) or, when pseudonymisation was off, the
-- address lower-cased (a record's key is looked up lower-cased too: cx_alias_key in macros.sql) —, customer_id (the
-- least of its holders) and holders: how many customers hold it on any of their CRM rows (a customer whose address
-- changed holds both; an address that went from one customer to another is held by two, and links to neither). A value
-- of the e-mail column that is no address (no @, not a pseudonym) is left out. Binds nothing.
with final as (
    select lower(email) as alias_key, min(customer_id) as customer_id, count(distinct customer_id) as holders
    from customers
    where starts_with(email, 'px_') or contains(email, '@')
    group by lower(email)
)
select * from final
