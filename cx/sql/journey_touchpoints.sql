-- What each journey stage is made of in the filtered data: one row per (stage, kind, touchpoint) with how many
-- records: kind 'event' (event name), 'page' (first path segment, e.g. '/produit/…'), 'order' (order channel),
-- 'ticket' (ticket channel) and 'survey' (response touchpoint). Records no rule assigns have stage null.
-- Bound: $rules, $start, $end_excl, $device, $channel, $segment.
with event_keys as (
    /*@journey_event_keys.sql*/
),
order_stages as (
    /*@journey_order_stages.sql*/
),
ticket_stages as (
    /*@journey_ticket_stages.sql*/
),
response_stages as (
    /*@journey_response_stages.sql*/
),
pages as (
    select stage, 'page' as kind,
           case when path is null or path = '/' then path
                when length(string_split(path, '/')) > 2 then '/' || string_split(path, '/')[2] || '/…'
                else path end as touchpoint,
           events as n
    from event_keys
    where path is not null
),
final as (
    select stage, 'event' as kind, event_name as touchpoint, sum(events) as n from event_keys group by all
    union all
    select stage, kind, touchpoint, sum(n) from pages group by all
    union all
    select stage, 'order', channel, count(*) from order_stages group by all
    union all
    select stage, 'ticket', channel, count(*) from ticket_stages group by all
    union all
    select stage, 'survey', touchpoint, count(*) from response_stages group by all
)
select * from final
