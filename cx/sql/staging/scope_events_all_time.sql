-- Staging: the web events kept by the global filters except the period: device, channel, and the customer
-- filters through the visitor (scope_visitors.sql: a visitor linked to a customer of $segment / $persona).
-- Every column of events. Cohorts use it (a member's first activity is looked for in all time); the other
-- analyses use scope_events.sql. Bound: $device, $channel, $segment, $persona.
with linked as (
    /*@staging/scope_visitors.sql*/
),
final as (
    select *
    from events
    where ($device is null or device = $device)
      and ($channel is null or channel = $channel)
      and (($segment is null and $persona is null) or visitor_id in (select visitor_id from linked))
)
select * from final
