-- Cohorts (cx/cohorts.py): the orders of the customers kept by the segment filter (every date: the caller
-- restricts), each classified. A purchase is an order that was not cancelled or abandoned (returned
-- orders were bought, then sent back); returned: a return or refund status; delivered: a delivery date, or
-- returned (a return implies a delivery). Statuses are read by staging/order_status.sql. currency: the
-- order's, else its import's (as in currency_scope.sql), null when neither says one.
with linked as (
    /*@staging/linked_orders.sql*/
),
status_of as (
    select o.customer_id, o.order_time, o.amount, o.refunded, o.status, o.delivered_date,
           nullif(upper(trim(coalesce(o.currency, i.currency))), '') as currency
    from linked o
    left join imports i using (import_id)
    where o.customer_id is not null  -- guest orders belong to no cohort
      and cx_customer_in_scope(o.customer_id, $segment, $persona)
),
kept as (
    /*@staging/order_status.sql*/
),
final as (
    select customer_id, order_time, amount, currency,
           not cancelled as purchase,
           returned,
           delivered_date is not null or returned as delivered,
           delivered_date is not null as has_delivery_date
    from kept
)
select * from final
