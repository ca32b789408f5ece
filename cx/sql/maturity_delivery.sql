-- Maturity (cx/maturity.py): the delivery promise kept — orders of the period (customers kept by the segment
-- filter) that have both a promised and a delivered date, and how many arrived on or before the promise.
with scoped as (
    /*@staging/scope_orders.sql*/
),
kept as (
    select promised_date, delivered_date
    from scoped
    where promised_date is not null
      and delivered_date is not null
),
final as (
    select count(*) as delivered_with_promise,
           count(*) filter (where delivered_date <= promised_date) as on_time
    from kept
)
select * from final
