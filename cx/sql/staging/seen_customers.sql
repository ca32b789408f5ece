-- Staging: the customers seen on the web in the period under the web filters: one row per event with a customer id
-- kept by $start, $end_excl, $device and $channel (customer_id, device, event_time). Orders, tickets and answers
-- follow the device / channel filters through it: `(($device is null and $channel is null) or customer_id in
-- (select customer_id from <this>))`. Bound: $start, $end_excl, $device, $channel.
with final as (
    select customer_id, device, event_time
    from events
    where customer_id is not null
      and ($start is null or event_time >= $start) and ($end_excl is null or event_time < $end_excl)
      and ($device is null or device = $device) and ($channel is null or channel = $channel)
)
select * from final
