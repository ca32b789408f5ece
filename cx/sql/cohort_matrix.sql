-- Cohorts (cx/cohorts.py): retention matrix. A cohort = the members whose first activity (ever) falls in
-- the period [$start, $end_excl), grouped by its $period ('week' from Monday, or 'month'). Members are web
-- visitors and their events ($by_first = 'activity'; device and channel filters apply, the segment keeps
-- visitors linked to a customer of it) or customers and their purchases ('purchase', from co_orders).
-- Period N of a cohort counts its members active in their N-th $period after the first ("on",
-- $mode = 'on') or in that one or any later one ("unbounded"). Activity counts up to the end of the period
-- filter (else the data's "as of" day, cx_as_of(): the latest record of any dated table, never today);
-- complete = the period ended before that (the last one of each cohort may still be running).
with scoped as (
    /*@staging/scope_events_all_time.sql*/
),
activity as (
    -- a member as a 64-bit hash of their id: integers group several times faster than text ids, and the members
    -- are only counted (a collision among a million ids has a chance of about 1 in 10^7)
    select hash(visitor_id) as who, event_time as t
    from scoped
    where $by_first = 'activity'
    union all
    select hash(customer_id), order_time
    from co_orders
    where $by_first = 'purchase' and purchase
),
by_period as (
    -- one pass over the activity: who was active in which period, and when first
    select who, date_trunc($period, t) as p, min(t) as first_t, max(t) as last_t
    from activity
    where $end_excl is null or t < $end_excl
    group by who, p
),
observed as (
    -- activity is observed up to here (exclusive): the end of the filter, else the day after the as-of day
    select coalesce($end_excl::timestamp, date_trunc('day', cx_as_of()) + interval 1 day) as until
),
members as (
    -- every activity of a member is after $start, since their first one is
    select who, min(p) as cohort
    from by_period
    group by who
    having ($start is null or min(first_t) >= $start)
),
indexed as (
    select m.who, m.cohort,
           case when $period = 'week' then date_diff('day', m.cohort, b.p) // 7
                else date_diff('month', m.cohort, b.p) end as n
    from members m
    join by_period b on b.who = m.who
),
sizes as (
    select cohort, count(*) as size from members group by cohort
),
grid as (
    select s.cohort, s.size, o.until,
           unnest(range(0, (case when $period = 'week'
                                 then date_diff('day', s.cohort, date_trunc($period, o.until - interval 1 microsecond)) // 7
                                 else date_diff('month', s.cohort, date_trunc($period, o.until - interval 1 microsecond))
                            end) + 1)) as n
    from sizes s, observed o
),
on_counts as (
    select cohort, n, count(*) as active from indexed group by cohort, n
),
reach as (
    select who, cohort, max(n) as last_n from indexed group by who, cohort
),
unbounded as (
    select g.cohort, g.n, count(r.who) as active
    from grid g
    left join reach r on r.cohort = g.cohort and r.last_n >= g.n
    where $mode = 'unbounded'
    group by g.cohort, g.n
),
final as (
    select g.cohort::date as cohort, g.size, g.n as period,
           coalesce(case when $mode = 'on' then o.active else u.active end, 0) as active,
           coalesce(case when $mode = 'on' then o.active else u.active end, 0) / g.size as share,
           g.cohort + (case when $period = 'week' then to_days(7 * (g.n + 1)::integer)
                            else to_months((g.n + 1)::integer) end) <= g.until as complete
    from grid g
    left join on_counts o on o.cohort = g.cohort and o.n = g.n
    left join unbounded u on u.cohort = g.cohort and u.n = g.n
)
select * from final order by cohort, period
