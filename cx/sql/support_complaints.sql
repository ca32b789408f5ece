-- Complaints by category × severity × recurrence, with the complaints per 100 orders of each row, rated as the
-- complaint rate is (staging/complaint_rate.sql, the one definition): only the complaints and orders of the days
-- both the tickets and the orders cover (rated_complaints, orders); per_100_orders is null when that rate is
-- (no order on those days, or more complaints than orders).
with ticket_rows as (  -- not named `tickets`: the fragment below reads the table
    /*@support_tickets.sql*/
),
rate as (
    select *
    from (/*@staging/complaint_rate.sql*/)
    where current
),
complaint as (
    select category, severity, recurrent, count(*) as complaints,
           count(*) filter (where created_at::date between rate.first_day and rate.last_day) as rated_complaints
    from ticket_rows, rate
    where is_complaint
    group by category, severity, recurrent
),
final as (
    select c.category, c.severity, c.recurrent, c.complaints,
           c.complaints / sum(c.complaints) over () as share,
           c.rated_complaints,
           case when r.reason is null then 100 * c.rated_complaints / r.orders end as per_100_orders,
           r.orders
    from complaint c, rate r
)
select * from final
