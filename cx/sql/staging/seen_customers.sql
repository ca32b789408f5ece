-- Staging: the customers seen on the web in the period under the web filters: one row per event with a customer id kept
-- by $start, $end_excl, $device and $channel (customer_id — resolved by the identity link, staging/customer_alias.sql:
-- an event keyed by a CRM customer's e-mail is that customer's —, device, event_time). Orders, tickets and answers
-- follow the device / channel filters through it: `(($device is null and $channel is null) or customer_id in (select
-- customer_id from <this>))`. Bound: $start, $end_excl, $device, $channel.
with final as (
    select coalesce(a.customer_id, e.customer_id) as customer_id, e.device, e.event_time
    from events e
    left join cx_alias a on a.alias_key = cx_alias_key(e.customer_id)
    where e.customer_id is not null
      and ($start is null or e.event_time >= $start) and ($end_excl is null or e.event_time < $end_excl)
      and ($device is null or e.device = $device) and ($channel is null or e.channel = $channel)
)
select * from final
