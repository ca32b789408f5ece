-- Funnel: the events a step can be chosen among, under the global filters, with the page paths at one and two
-- levels (host and query left out) worked out once per distinct page. Included by funnel_step_options.sql and
-- funnel_present_steps.sql.
with scoped as (
    /*@staging/scope_events.sql*/
),
filtered as (
    select visitor_id, event_name, page
    from scoped
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
