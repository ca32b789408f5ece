-- Cohorts: the customer base at the edges of each period i in [$starts[i], $ends[i]) (timestamps): a
-- customer is active on a date when they made a purchase in the $active_days days before it. at_start,
-- at_end = active customers then; new_customers = customers whose first purchase ever is in the period;
-- returned_customers = customers active at the end, not at the start and not new (they came back after lapsing);
-- retained = customers active at both edges: the customers of the start still in the base at the end (never more
-- than at_start, so the retention retained / at_start stays within 0–100 %, whatever the period's length: a new
-- customer who lapsed before the end of a long period is neither retained nor at the end).
with purchases as (
    select customer_id, order_time from co_orders where purchase
),
firsts as (
    select customer_id, min(order_time) as first_t from purchases group by customer_id
),
periods as (
    select unnest($starts) as s, unnest($ends) as e, unnest(range(len($starts))) as i
),
per_customer as (
    select p.i, c.customer_id,
           bool_or(c.order_time < p.s) as active_start,
           bool_or(c.order_time >= p.e - to_days($active_days)) as active_end,
           any_value(f.first_t) >= p.s as is_new
    from periods p
    join purchases c on c.order_time >= p.s - to_days($active_days) and c.order_time < p.e
    join firsts f on f.customer_id = c.customer_id
    group by p.i, p.s, c.customer_id
),
edges as (
    select i,
           count(*) filter (where active_start) as at_start,
           count(*) filter (where active_end) as at_end,
           count(*) filter (where active_end and not active_start and not is_new) as returned_customers,
           count(*) filter (where active_start and active_end) as retained
    from per_customer
    group by i
),
news as (
    select p.i, count(f.customer_id) as new_customers
    from periods p
    left join firsts f on f.first_t >= p.s and f.first_t < p.e
    group by p.i
),
final as (
    select p.i, p.s, p.e, coalesce(x.at_start, 0) as at_start, coalesce(x.at_end, 0) as at_end, n.new_customers,
           coalesce(x.returned_customers, 0) as returned_customers, coalesce(x.retained, 0) as retained,
           (select min(order_time) from purchases) as first_purchase
    from periods p
    left join edges x on x.i = p.i
    join news n on n.i = p.i
)
select * from final order by i
