-- Cohorts (cx/cohorts.py): the orders kept by the segment filter (every date: the caller restricts), each
-- classified. guest: an order of no customer — it belongs to no cohort and to no customer count, but its return
-- counts in the return rate as on the Journey page (a return is the order's, whoever placed it). A purchase is a
-- customer's order that was not cancelled or abandoned (returned orders were bought, then sent back); any_purchase:
-- the same, guests' included; returned: a return or refund status; delivered: a delivery date, or
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
    where (o.customer_id is null and $segment is null and $persona is null)
       or cx_customer_in_scope(o.customer_id, $segment, $persona)
),
kept as (
    /*@staging/order_status.sql*/
),
final as (
    select customer_id, order_time, amount, currency,
           customer_id is null as guest,
           not cancelled and customer_id is not null as purchase,
           not cancelled as any_purchase,
           returned,
           delivered_date is not null or returned as delivered,
           delivered_date is not null as has_delivery_date
    from kept
)
select * from final
