-- Cohorts (cx/cohorts.py): the orders of the customers kept by the segment filter (every date: the caller
-- restricts), each classified. A purchase is an order that was not cancelled or abandoned (returned
-- orders were bought, then sent back); returned: a return or refund status; delivered: a delivery date, or
-- returned (a return implies a delivery). Statuses are matched in French and English, any case. currency: the
-- order's, else its import's (as in currency_scope.sql), null when neither says one.
with kept as (
    select o.customer_id, o.order_time, o.amount, lower(trim(coalesce(o.status, ''))) as s, o.delivered_date,
           nullif(upper(trim(coalesce(o.currency, i.currency))), '') as currency
    from orders o
    left join imports i using (import_id)
    where o.customer_id is not null  -- guest orders belong to no cohort
      and cx_customer_in_scope(o.customer_id, $segment, $persona)
),
final as (
    select customer_id, order_time, amount, currency,
           not (s like 'cancel%' or s like 'annul%' or s like 'abandon%' or s in ('void', 'voided')) as purchase,
           (s like 'return%' or s like 'retour%' or s like 'retourn%' or s like 'refund%' or s like 'rembours%')
               as returned,
           delivered_date is not null
               or (s like 'return%' or s like 'retour%' or s like 'refund%' or s like 'rembours%') as delivered,
           delivered_date is not null as has_delivery_date
    from kept
)
select * from final
