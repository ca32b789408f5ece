-- Friction: per page path viewed (page-view-like events, $page_view_events), the page views, the median load time,
-- the sessions that viewed it, those whose last page view it is (exits), those that came back to it after another
-- page (loops) and, among them, those that left right there without buying (loop exits), and those whose last
-- page view it is with at least $dwell_seconds between that view and the session's last event (long dwell, then
-- exit). Reads fr_keyed and fr_sessions.
with views as (
    -- one ordering of each session's page views for the three (the last view: nothing after it)
    select session_key, event_time, path, load_time_ms,
           lead(1) over by_time is null as last_view,
           lag(path) over by_time as previous_path,
           lag(path, 2) over by_time as two_back
    from fr_keyed
    where list_contains($page_view_events, event_name) and path is not null
    window by_time as (partition by session_key order by event_time)
),
sessions as (
    select session_key, last_event, list_has_any(names, $purchase_events) as bought
    from fr_sessions
),
per_session as (
    select v.session_key, v.path,
           bool_or(v.last_view) as exited,
           bool_or(v.two_back = v.path and v.previous_path <> v.path) as looped,
           bool_or(v.last_view and epoch(s.last_event - v.event_time) >= $dwell_seconds) as dwell_exit,
           bool_or(s.bought) as bought
    from views v
    join sessions s on s.session_key = v.session_key
    group by v.session_key, v.path
),
loads as (
    -- from fr_keyed, not from views: the ordered page views are then read once, never kept whole
    select path, count(*) as views, median(load_time_ms) as median_load_ms, count(load_time_ms) as timed_views
    from fr_keyed
    where list_contains($page_view_events, event_name) and path is not null
    group by path
),
final as (
    select p.path, l.views, l.timed_views, l.median_load_ms,
           count(*) as sessions,
           count(*) filter (where p.exited) as exits,
           count(*) filter (where p.looped) as loops,
           count(*) filter (where p.looped and p.exited and not p.bought) as loop_exits,
           count(*) filter (where p.dwell_exit) as dwell_exits
    from per_session p
    join loads l on l.path = p.path
    group by all
)
select * from final order by sessions desc
