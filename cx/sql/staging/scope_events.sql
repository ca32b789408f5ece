-- Staging: the web events kept by every global filter: the period [$start, $end_excl), device, channel, and the
-- customer filters through the visitor (scope_events_all_time.sql). Every column of events: a query selects the
-- columns it needs and adds its own conditions. Bound: $start, $end_excl, $device, $channel, $segment, $persona.
with scoped as (
    /*@staging/scope_events_all_time.sql*/
),
final as (
    select *
    from scoped
    where ($start is null or event_time >= $start)
      and ($end_excl is null or event_time < $end_excl)
)
select * from final
