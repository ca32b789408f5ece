-- The import report's word on an orders import's statuses: each status value of import $import_id that the pages
-- read as no sale (`cancelled`) or as returned — the one reading, staging/order_status.sql — with its orders. The
-- status alone: an order refunded in full is returned whatever its status says, but that is its amount's doing, not
-- its status's, so neither amounts nor refunds are read here, and each distinct status is read once (1M orders:
-- 0.9 CPU s when every row went through the fragment's patterns).
with status_of as (
    select trim(status) as status, count(*) as orders, null::double as amount, null::double as refunded
    from orders
    where import_id = $import_id and nullif(trim(status), '') is not null
    group by 1
),
said as (/*@staging/order_status.sql*/),
final as (
    select status, case when cancelled then 'no_sale' else 'returned' end as reading, orders
    from said
    where cancelled or returned
)
select * from final order by reading, orders desc, status
