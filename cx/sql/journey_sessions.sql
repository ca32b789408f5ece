-- One row per session of the filtered web events (sessions from journey_session_keys.sql).
-- Bound: $start, $end_excl, $device, $channel, $gap_seconds, $split, $page_view_events (lower-case names).
with session_input as not materialized (  -- read twice by the session keys: not copied first
    select event_time, visitor_id, event_name, session_id, customer_id, page, channel, device, revenue
    from events
),
keyed as (
    /*@journey_session_keys.sql*/
),
final as (
    select visitor_id,
           -- the export's session id, or '~n' for the visitor's n-th inactivity session (a '~' never starts a
           -- GA4 or Matomo id)
           coalesce(session_id, '~' || session_no) as session_id,
           current,
           min(event_time) as session_start,
           max(event_time) as session_end,
           epoch(max(event_time) - min(event_time)) as duration_s,
           count(*) as events,
           count(*) filter (where list_contains($page_view_events, lower(event_name))) as page_views,
           count(distinct page) as pages,
           count(*) filter (where list_contains($page_view_events, lower(event_name))) <= 1 as bounced,
           arg_min(device, event_time) as device,
           arg_min(channel, event_time) as channel,
           max(customer_id) as customer_id,
           arg_min(page, event_time) as entry_page,
           arg_max(page, event_time) as exit_page,
           sum(revenue) as revenue
    from keyed
    group by visitor_id, current, session_id, session_no
)
select * from final
