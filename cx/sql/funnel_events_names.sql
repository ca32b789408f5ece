-- Funnel (cx/funnel.py): funnel_events.sql when every step is an event name (the usual case), matched
-- by a join on the names instead of a per-row test: the same columns, the same key.
with names as (
    select name, min(k) as first_k, list(k order by k) as ks
    from (select unnest($steps) as name, unnest(range(1, len($steps) + 1)) as k)
    group by name
),
linked as (
    select distinct e.visitor_id
    from events e
    join customers c on c.customer_id = e.customer_id
    where ($segment is not null or $persona is not null)
      and cx_customer_in_scope(c.customer_id, $segment, $persona)
),
filtered as (
    select visitor_id, event_time, event_name, device, channel, country
    from events
    where ($start is null or event_time >= $start)
      and ($end_excl is null or event_time < $end_excl)
      and ($device is null or device = $device)
      and ($channel is null or channel = $channel)
      and (($segment is null and $persona is null) or visitor_id in (select visitor_id from linked))
      and ($all_events or list_contains($steps, event_name))
),
final as (
    select f.visitor_id, epoch_us(f.event_time) * 64 + coalesce(n.first_k, 63) as key, f.event_time as t,
           coalesce(n.ks, []::bigint[]) as ks,
           case $by when 'device' then f.device when 'channel' then f.channel when 'country' then f.country end as g
    from filtered f
    left join names n on n.name = f.event_name
)
select * from final
