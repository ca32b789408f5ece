-- Funnel (cx/funnel.py): the visitors' events under the global filters, with the funnel steps each one
-- matches. A step is an event name, or a page path prefix when it starts with "/" (the event's page, host
-- and query removed, equals it or lies below it). key orders a visitor's events: time in microseconds,
-- then the first step the event matches (simultaneous events are taken in funnel order; events matching no
-- step come after them). g is the event's value of the breakdown column ($by, from an allow-list).
with scoped as (
    /*@staging/scope_events.sql*/
),
filtered as (
    select visitor_id, event_time, event_name, page, device, channel, country
    from scoped
    where ($all_events or list_contains($names, event_name) or ($has_pages and page is not null))
),
matched as (
    select visitor_id, event_time,
           list_filter(range(1, len($steps) + 1), lambda k: case
               when $is_page[k] then (path = $steps[k] or starts_with(path, $steps[k] || '/'))
               else event_name = $steps[k] end) as ks,
           case $by when 'device' then device when 'channel' then channel when 'country' then country end as g
    from (select *, case when $has_pages then coalesce(nullif(regexp_extract(
                 page, '^(?:[a-zA-Z][a-zA-Z0-9+.-]*://[^/]*)?([^?#]*)', 1), ''), '/') end as path
          from filtered)
),
final as (
    select visitor_id, epoch_us(event_time) * 64 + coalesce(list_min(ks), 63) as key, event_time as t, ks, g
    from matched
    where $all_events or len(ks) > 0
)
select * from final
