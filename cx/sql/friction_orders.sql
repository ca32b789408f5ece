-- Friction: the orders of the period and customer scope ($start, $end_excl, $segment, $persona): day, customer,
-- amount, lower-case status, payment method, promised and delivered dates.
with final as (
    select order_time::date as day, customer_id, amount, lower(coalesce(status, '')) as status, payment_method,
           promised_date, delivered_date
    from orders
    where ($start is null or order_time >= $start) and ($end_excl is null or order_time < $end_excl)
      and cx_customer_in_scope(customer_id, $segment, $persona)
)
select * from final
