-- Cohorts: the customer base at the edges of each period i in [$starts[i], $ends[i]) (timestamps): a
-- customer is active on a date when they made a purchase in the $active_days days before it. at_start,
-- at_end = active customers then; new_customers = customers whose first purchase ever is in the period.
with purchases as (
    select customer_id, order_time from co_orders where purchase
),
firsts as (
    select customer_id, min(order_time) as first_t from purchases group by customer_id
),
periods as (
    select unnest($starts) as s, unnest($ends) as e, unnest(range(len($starts))) as i
),
edges as (
    select p.i,
           count(distinct c.customer_id) filter (where c.order_time < p.s) as at_start,
           count(distinct c.customer_id) filter (where c.order_time >= p.e - to_days($active_days)) as at_end
    from periods p
    join purchases c on c.order_time >= p.s - to_days($active_days) and c.order_time < p.e
    group by p.i
),
news as (
    select p.i, count(f.customer_id) as new_customers
    from periods p
    left join firsts f on f.first_t >= p.s and f.first_t < p.e
    group by p.i
),
final as (
    select p.i, p.s, p.e, coalesce(x.at_start, 0) as at_start, coalesce(x.at_end, 0) as at_end, n.new_customers,
           (select min(order_time) from purchases) as first_purchase
    from periods p
    left join edges x on x.i = p.i
    join news n on n.i = p.i
)
select * from final order by i
