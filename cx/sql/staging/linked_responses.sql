-- Staging: every survey answer (every column of responses, and record_key: its rowid) with its customer as the identity
-- link resolves it (staging/customer_alias.sql): keyed by the e-mail of a CRM customer, that customer's id; else its
-- own key. An answer several imports loaded (the same id and responded_at: the same export loaded again, a newer export
-- of it) is read once, as the newest import has it (as a customer's latest row, staging/latest_customers.sql).
-- Every analysis reads responses through this fragment (tests/test_conventions.py), never the table: a new
-- reader cannot forget the link. Binds nothing.
with final as (
    select x.rowid as record_key, x.* replace (coalesce(a.customer_id, x.customer_id) as customer_id)
    from responses x
    left join cx_alias a on a.alias_key = cx_alias_key(x.customer_id)
    qualify x.response_id is null or x.import_id = max(x.import_id) over (partition by x.response_id, x.responded_at)
)
select * from final
