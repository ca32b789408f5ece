-- Funnel (cx/funnel.py): funnel_events.sql when every step is an event name (the usual case), matched
-- by a join on the names instead of a per-row test: the same columns, the same key.
with names as (
    select name, min(k) as first_k, list(k order by k) as ks
    from (select unnest($steps) as name, unnest(range(1, len($steps) + 1)) as k)
    group by name
),
scoped as (
    /*@staging/scope_events.sql*/
),
filtered as (
    select visitor_id, event_time, event_name, device, channel, country
    from scoped
    where ($all_events or list_contains($steps, event_name))
),
final as (
    select f.visitor_id, epoch_us(f.event_time) * 64 + coalesce(n.first_k, 63) as key, f.event_time as t,
           coalesce(n.ks, []::bigint[]) as ks,
           case $by when 'device' then f.device when 'channel' then f.channel when 'country' then f.country end as g
    from filtered f
    left join names n on n.name = f.event_name
)
select * from final
