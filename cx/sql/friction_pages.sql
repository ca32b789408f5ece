-- Friction: per page path viewed (page-view-like events, $page_view_events), the page views, the median load time,
-- the sessions that viewed it, those whose last page view it is (exits), those that came back to it after another
-- page (loops) and, among them, those that left right there without buying (loop exits), and those whose last
-- page view it is with at least $dwell_seconds between that view and the session's last event (long dwell, then
-- exit). Reads fr_keyed (paths as their fr_paths id until the end) and fr_sessions (only for the exits).
with page_views as (
    select session_key, event_time, path_id, load_time_ms
    from fr_keyed
    where name_id in (select name_id from fr_names where list_contains($page_view_events, name))
      and path_id is not null
),
views as (
    -- one ordering of each session's page views for the three (the last view: nothing after it)
    select session_key, event_time, path_id,
           lead(1) over by_time is null as last_view,
           lag(path_id) over by_time as previous_path,
           lag(path_id, 2) over by_time as two_back
    from page_views
    window by_time as (partition by session_key order by event_time)
),
per_session as (
    -- one row per session and page it viewed; exited: the session's last page view is this page (one per session)
    select session_key, path_id,
           bool_or(last_view) as exited,
           bool_or(two_back = path_id and previous_path <> path_id) as looped,
           max(event_time) filter (where last_view) as exit_time
    from views
    group by session_key, path_id
),
viewed as (
    select path_id, count(*) as sessions, count(*) filter (where exited) as exits,
           count(*) filter (where looped) as loops
    from per_session
    group by path_id
),
exited as (
    -- the exits only, with their session's last event and whether it bought
    select p.path_id,
           count(*) filter (where p.looped and not s.bought) as loop_exits,
           count(*) filter (where epoch(s.last_event - p.exit_time) >= $dwell_seconds) as dwell_exits
    from per_session p
    join fr_sessions s on s.session_key = p.session_key
    where p.exited
    group by p.path_id
),
loads as (
    -- from the page views, not from views: the ordered page views are then read once, never kept whole
    select path_id, count(*) as views, median(load_time_ms) as median_load_ms, count(load_time_ms) as timed_views
    from page_views
    group by path_id
),
final as (
    select n.path, l.views, l.timed_views, l.median_load_ms, v.sessions, v.exits, v.loops,
           coalesce(e.loop_exits, 0) as loop_exits, coalesce(e.dwell_exits, 0) as dwell_exits
    from viewed v
    join loads l on l.path_id = v.path_id
    left join exited e on e.path_id = v.path_id
    join (select distinct path_id, path from fr_paths) n on n.path_id = v.path_id
)
select * from final order by sessions desc, path
