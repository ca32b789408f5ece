-- One row per survey answer kept by the global filters, with every breakdown dimension as text.
-- Customer attributes come through customer_id: the CRM (a customer's latest import), their orders, tickets and
-- web events. An anonymous answer has them all null. Bound: $start, $end_excl, $device, $channel, $segment and the
-- support expectations $exp_channel, $exp_pattern, $exp_max_minutes (cx.support.EXPECTED_RESPONSE).
with scoped as (
    /*@staging/scope_responses.sql*/
),
seen as (  -- web events matching the device / channel filters, in the period: who was seen, on which device;
           -- of the customers who answered only (both uses below ask about them): no answer, no scan of the events
    select * from (/*@staging/seen_customers.sql*/)
    where customer_id in (select customer_id from scoped)
),
main_device as (  -- of the customers who answered only: it is joined to their answers
    select customer_id, device
    from (select customer_id, device, count(*) as n from seen
          where device is not null
          group by all)
    qualify row_number() over (partition by customer_id order by n desc, device) = 1
),
answer as (
    select record_key as answer_key, * exclude (record_key)
    from scoped
    where ($device is null and $channel is null) or customer_id in (select customer_id from seen)
),
customer as (  -- of the customers who answered only (left-joined to their answers)
    select * from (/*@staging/latest_customers.sql*/)
    where customer_id in (select customer_id from answer)
),
expected as (
    select unnest($exp_channel) as channel_group, unnest($exp_pattern) as pattern,
           unnest($exp_max_minutes) as max_minutes
),
linked_order as (
    /*@staging/linked_orders.sql*/
),
linked_ticket as (
    /*@staging/linked_tickets.sql*/
),
status_of as (  -- the orders of the customers who answered, their status read as every analysis reads it
    select customer_id, order_time, amount, refunded, status, promised_date, delivered_date
    from linked_order
    where customer_id in (select customer_id from answer)
),
answerer_order as (
    /*@staging/order_status.sql*/
),
latest_order as (  -- the customer's latest order placed before the answer
    select a.answer_key, o.order_time, o.cancelled, o.promised_date, o.delivered_date
    from answer a
    asof join answerer_order o on o.customer_id = a.customer_id and a.responded_at >= o.order_time
),
order_count as (
    select customer_id, count(*) filter (where not cancelled) as n
    from answerer_order
    group by all
),
ticket_count as (
    select customer_id, count(*) as n, bool_or(coalesce(is_complaint, false)) as complained
    from linked_ticket
    where customer_id in (select customer_id from answer)
    group by all
),
latest_ticket as (  -- the customer's latest ticket opened before the answer, and how long its first reply took
    select a.answer_key,
           epoch(t.first_response_at - t.created_at) / 60 as wait_minutes,
           (select e.max_minutes from expected e where regexp_matches(lower(t.channel), e.pattern) limit 1)
               as max_minutes
    from answer a
    asof join linked_ticket t on t.customer_id = a.customer_id and a.responded_at >= t.created_at
),
joined as (
    select a.*,
           c.segment as c_segment, c.loyalty_member, c.country, c.region, c.gender, c.acquisition_channel,
           coalesce(c.age, year(a.responded_at) - c.birth_year) as age_years,
           o.order_time is not null as has_order, o.cancelled as order_cancelled, o.promised_date, o.delivered_date,
           -- late: delivered after the promise, or still not delivered and overdue when the customer answered
           -- (a cancelled order is not late); unknown without a promised date
           case when o.promised_date is null then null
                when o.delivered_date is not null then o.delivered_date > o.promised_date
                when not o.cancelled then o.promised_date < a.responded_at::date
                else false
           end as late,
           case when o.delivered_date is not null then datediff('day', o.promised_date, o.delivered_date) end
               as days_late,
           coalesce(oc.n, 0) as orders_n,
           coalesce(tc.n, 0) as tickets_n,
           coalesce(tc.complained, false) as complained,
           lt.answer_key is not null as has_ticket, lt.wait_minutes, lt.max_minutes,
           d.device as main_device
    from answer a
    left join customer c on c.customer_id = a.customer_id
    left join latest_order o on o.answer_key = a.answer_key
    left join order_count oc on oc.customer_id = a.customer_id
    left join ticket_count tc on tc.customer_id = a.customer_id
    left join latest_ticket lt on lt.answer_key = a.answer_key
    left join main_device d on d.customer_id = a.customer_id
),
final as (
    select answer_key, responded_at, customer_id, nps, comment,
           csat, coalesce(csat_scale, 5) as csat_scale,
           -- CSAT: top-2-box on 1–5 (and 1–7, 1–10): a 3 of 5 is not satisfied; top box on yes/no (2) or 3 choices
           csat >= case when coalesce(csat_scale, 5) <= 3 then coalesce(csat_scale, 5)
                        else coalesce(csat_scale, 5) - 1 end as csat_satisfied,
           ces, coalesce(ces_scale, 7) as ces_scale, coalesce(ces_higher_is_better, true) as ces_higher_is_better,
           -- CES low effort: top-3-box on 1–7, top-2-box on 1–5, at the easy end of the scale
           case when coalesce(ces_higher_is_better, true)
                then ces > coalesce(ces_scale, 7) - (case when coalesce(ces_scale, 7) >= 7 then 3 else 2 end)
                else ces <= (case when coalesce(ces_scale, 7) >= 7 then 3 else 2 end) end as ces_low_effort,
           'all' as everyone,
           touchpoint, stage, channel, language,
           strftime(date_trunc('week', responded_at), '%Y-%m-%d') as week,
           strftime(responded_at, '%Y-%m') as month,
           c_segment as segment,
           case when loyalty_member then 'yes' when not loyalty_member then 'no' end as loyalty_member,
           country, region, gender, acquisition_channel,
           case when age_years is null or age_years < 0 or age_years > 120 then null
                when age_years < 25 then '18-24' when age_years < 35 then '25-34'
                when age_years < 45 then '35-44' when age_years < 55 then '45-54'
                when age_years < 65 then '55-64' else '65+' end as age_band,
           case when customer_id is null then null when not has_order then 'no_order'
                when late then 'late' when not late then 'on_time' end as late_delivery,
           case when customer_id is null then null when not has_order then 'no_order'
                when promised_date is null then null
                when order_cancelled then 'cancelled'
                when delivered_date is null then (case when late then 'overdue' else 'in_transit' end)
                when days_late <= 0 then 'on_time' when days_late <= 2 then 'late_1_2'
                when days_late <= 5 then 'late_3_5' else 'late_6_plus' end as delivery_delay,
           case when customer_id is null then null when orders_n = 0 then '0' when orders_n = 1 then '1'
                when orders_n <= 4 then '2-4' else '5+' end as orders,
           case when customer_id is null then null when tickets_n = 0 then '0' when tickets_n = 1 then '1'
                else '2+' end as tickets,
           case when customer_id is null then null when complained then 'yes' else 'no' end as complained,
           case when customer_id is null then null when not has_ticket then 'no_ticket'
                when wait_minutes is null then 'unanswered' when max_minutes is null then 'unknown_channel'
                when wait_minutes <= max_minutes then 'within' else 'over' end as ticket_wait,
           main_device
    from joined
)
select * from final
