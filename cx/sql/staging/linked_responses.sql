-- Staging: every survey answer (every column of responses, and record_key: its rowid) with its customer as the identity
-- link resolves it (staging/customer_alias.sql): keyed by the e-mail of a CRM customer, that customer's id; else its
-- own key. Every analysis reads responses through this fragment (tests/test_conventions.py), never the table: a new
-- reader cannot forget the link. Binds nothing.
with final as (
    select x.rowid as record_key, x.* replace (coalesce(a.customer_id, x.customer_id) as customer_id)
    from responses x
    left join cx_alias a on a.alias_key = cx_alias_key(x.customer_id)
)
select * from final
