-- Cohorts: purchase figures of the period [$start, $end_excl): customers with a purchase, with two or more,
-- purchases, revenue, delivered and returned orders (guest orders included in these two and in all_purchases,
-- the return rate's base without delivery dates, as on the Journey page); and the span of the purchases. revenue and priced_orders: the
-- purchases with a currency; unknown_revenue and unknown_orders: those without one (cx.cohorts.find_retention keeps
-- them apart when the period has any purchase with a currency: an amount of no currency is never added to one).
with in_period as (
    select * from co_orders
    where ($start is null or order_time >= $start) and ($end_excl is null or order_time < $end_excl)
),
per_customer as (
    select customer_id, count(*) as n from in_period where purchase group by customer_id
),
final as (
    select (select count(*) from per_customer) as customers,
           (select count(*) from per_customer where n >= 2) as repeat_customers,
           (select count(*) from in_period where purchase) as orders,
           (select sum(amount) from in_period where purchase and currency is not null) as revenue,
           (select count(*) from in_period where purchase and currency is not null) as priced_orders,
           (select sum(amount) from in_period where purchase and currency is null) as unknown_revenue,
           (select count(*) from in_period where purchase and currency is null) as unknown_orders,
           (select count(*) from in_period where any_purchase) as all_purchases,
           (select count(*) from in_period where delivered) as delivered,
           (select count(*) from in_period where returned) as returned,
           (select count(*) from in_period where purchase and not returned) as kept_orders,
           (select bool_or(has_delivery_date) from co_orders) as has_delivery_dates,
           (select min(order_time) from co_orders where purchase) as first_purchase,
           (select max(order_time) from co_orders where purchase) as last_purchase
)
select * from final
