-- Every currency the workspace ever recorded (orders, web revenue, imports), whatever the filters.
with found as (
    select currency from orders where currency is not null
    union
    select currency from events where currency is not null and revenue is not null
    union
    select currency from imports where currency is not null
),
final as (
    select distinct upper(trim(currency)) as currency
    from found
    where trim(currency) <> ''
)
select * from final
order by currency
