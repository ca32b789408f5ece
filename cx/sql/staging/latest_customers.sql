-- Staging: one row per customer, their latest CRM row (the import with the greatest id wins), every column.
-- Included as a CTE wherever a customer attribute (segment, country…) is read; binds nothing.
with final as (
    select *
    from customers
    qualify row_number() over (partition by customer_id order by import_id desc) = 1
)
select * from final
