-- Erasing one person (cx/ingest/forget.py): how many customers hold the e-mail typed ($keys: its forms) on their CRM
-- rows. Held by several (a family's address), it names none of them alone: the erasure asks for a customer id.
with final as (
    select count(distinct customer_id) as holders
    from customers
    where list_contains($keys, email) or list_contains($keys, lower(trim(email)))
)
select * from final
