-- Funnel: what a step can be, under the global filters: the event names and the page paths at one and
-- two levels (host and query left out), with their events; the $limit most frequent of each.
with option_events as (
    /*@funnel_option_events.sql*/
),
names as (
    select event_name as step, 'event' as kind, count(*) as events
    from option_events
    group by event_name
),
pages as (
    select step, 'page' as kind, count(*) as events
    from (select one as step from option_events where one is not null
          union all
          select two from option_events where two is not null)
    group by step
),
final as (
    select * from names
    qualify row_number() over (order by events desc, step) <= $limit
    union all
    select * from pages
    qualify row_number() over (order by events desc, step) <= $limit
)
select * from final order by kind, events desc, step
