-- Funnel: the events a step can be chosen among, under the global filters, with the page paths at one and two
-- levels (host and query left out) worked out once per distinct page. Included by funnel_step_options.sql and
-- funnel_present_steps.sql.
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
paths as (
    select page,
           nullif(regexp_extract(page, '^(?:[a-zA-Z][a-zA-Z0-9+.-]*://[^/]*)?(/[^/?#]+)(/[^/?#]+)?', 1), '') as one,
           nullif(regexp_extract(page, '^(?:[a-zA-Z][a-zA-Z0-9+.-]*://[^/]*)?(/[^/?#]+/[^/?#]+)', 1), '') as two
    from (select distinct page from filtered where page is not null)
),
final as (
    select f.visitor_id, f.event_name, p.one, p.two
    from filtered f
    left join paths p on p.page = f.page
)
select * from final
