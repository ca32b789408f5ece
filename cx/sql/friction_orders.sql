-- Friction: the orders of the period and customer scope ($start, $end_excl, $segment, $persona): day, customer,
-- amount, payment method, promised and delivered dates; priced: the order has a currency (its own, else its
-- import's); cancelled, returned: as staging/order_status.sql reads the status (the status itself is not returned:
-- the detectors read those two, and its text cost ~0.1 CPU s in pandas for 345k orders).
with scoped as (
    /*@staging/scope_orders.sql*/
),
status_of as (
    select o.order_time::date as day, o.customer_id, o.amount, o.refunded, lower(coalesce(o.status, '')) as status,
           o.payment_method, o.promised_date, o.delivered_date,
           nullif(upper(trim(coalesce(o.currency, i.currency))), '') is not null as priced
    from scoped o
    left join imports i using (import_id)
),
classified as (
    /*@staging/order_status.sql*/
),
final as (
    select * exclude (status, refunded)
    from classified
)
select * from final
