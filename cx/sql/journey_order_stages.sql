-- The filtered orders with their journey stage: a customer's first order (earliest order_time among all their
-- loaded orders) matches 'order_first' rules, the later ones 'order_repeat'; the enabled rule with the lowest
-- rule_order wins, else stage is null. Bound: $rules, $start, $end_excl, $segment.
with rules as (
    select unnest($rules, recursive := true)
),
linked as (
    /*@staging/linked_orders.sql*/
),
ranked as (
    select record_key, customer_id, order_time, amount, channel, status,
           -- a guest order (no customer) is its buyer's first
           customer_id is null
               or row_number() over (partition by customer_id order by order_time, order_id) = 1 as is_first
    from linked
),
ord as (
    select *
    from ranked
    where ($start is null or order_time >= $start) and ($end_excl is null or order_time < $end_excl)
      and cx_customer_in_scope(customer_id, $segment, $persona)
),
kinds as (
    select unnest([true, false]) as is_first
),
matched as (
    select k.is_first, arg_min(r.stage, r.rule_order) as stage
    from kinds k
    join rules r
      on (r.match_type = 'order_first' and k.is_first)
      or (r.match_type = 'order_repeat' and not k.is_first)
    group by k.is_first
),
final as (
    select o.*, m.stage
    from ord o
    left join matched m using (is_first)
)
select * from final
