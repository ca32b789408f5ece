-- Funnel: what a step can be, under the global filters: the event names and the page paths at one and
-- two levels (host and query left out), with their events and visitors; the $limit most frequent of each.
with linked as (
    select distinct e.visitor_id
    from events e
    join customers c on c.customer_id = e.customer_id
    where ($segment is not null or $persona is not null)
      and cx_customer_in_scope(c.customer_id, $segment, $persona)
),
filtered as (
    select visitor_id, event_name, page
    from events
    where ($start is null or event_time >= $start)
      and ($end_excl is null or event_time < $end_excl)
      and ($device is null or device = $device)
      and ($channel is null or channel = $channel)
      and (($segment is null and $persona is null) or visitor_id in (select visitor_id from linked))
),
names as (
    select event_name as step, 'event' as kind, count(*) as events, count(distinct visitor_id) as visitors
    from filtered
    group by event_name
),
paths as (
    select visitor_id, regexp_extract(page, '^(?:[a-zA-Z][a-zA-Z0-9+.-]*://[^/]*)?(/[^/?#]+)(/[^/?#]+)?', 1) as one,
           regexp_extract(page, '^(?:[a-zA-Z][a-zA-Z0-9+.-]*://[^/]*)?(/[^/?#]+/[^/?#]+)', 1) as two
    from filtered
    where page is not null
),
pages as (
    select step, 'page' as kind, count(*) as events, count(distinct visitor_id) as visitors
    from (select visitor_id, one as step from paths where one <> ''
          union all
          select visitor_id, two from paths where two <> '')
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
