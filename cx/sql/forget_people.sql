-- Erasing one person (cx/ingest/forget.py): the CRM imports holding the customer id typed ($keys: its forms), one
-- row per import: its id, file name, rows of that id and how many e-mails they carry; `emails_in_all`: the distinct
-- e-mails over every import. Several imports with different e-mails (two CRMs' "5") are several people: the
-- erasure is refused with these counts (never the e-mails). Bound: $keys.
with rows as (
    select import_id, email
    from customers
    where list_contains($keys, customer_id)
       or (contains(customer_id, '@') and list_contains($keys, lower(trim(customer_id))))
),

final as (
    select
        r.import_id,
        i.file_name,
        count(*) as n_rows,
        count(distinct lower(r.email)) as emails,
        (select count(distinct lower(email)) from rows) as emails_in_all
    from rows r
    join imports i using (import_id)
    group by r.import_id, i.file_name
)
select * from final order by import_id
