-- Funnel: which event names and page paths occur at all under the global filters (no counts: what the
-- proposed funnel looks for).
with option_events as (
    /*@funnel_option_events.sql*/
),
final as (
    select distinct event_name as step, 'event' as kind from option_events
    union
    select distinct one, 'page' from option_events where one is not null
    union
    select distinct two, 'page' from option_events where two is not null
)
select * from final
