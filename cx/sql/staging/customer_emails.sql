-- Staging: every e-mail of the CRM as the identity link reads it (staging/customer_alias.sql), one row per e-mail:
-- alias_key, the e-mail as a record keyed by it holds it — its pseudonym (px_…: the keyed hash of the trimmed,
-- lower-cased address, the same in every table, cx.workspace.pseudonymise) or, when pseudonymisation was off, the
-- address lower-cased (cx_alias_key in macros.sql, as a record's key is looked up) —, customer_id (the least of its
-- holders) and shared: several customers hold it on their CRM rows (a customer whose address changed holds both; an
-- address that went from one customer to another is held by two, and links to neither). A customer id that is itself
-- an e-mail (a mailing list keyed by e-mail) holds it too: that e-mail is that customer's, or shared. A value that is
-- no address (no @, not a pseudonym) is left out. Binds nothing.
with held as (
    select cx_alias_key(email) as alias_key, customer_id
    from customers
    where starts_with(email, 'px_') or contains(email, '@')
    union all
    select cx_alias_key(customer_id), customer_id
    from customers
    where starts_with(customer_id, 'px_') or contains(customer_id, '@')
),
final as (
    select alias_key, min(customer_id) as customer_id, min(customer_id) <> max(customer_id) as shared
    from held
    group by alias_key
)
select * from final
