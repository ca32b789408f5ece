-- Friction: per page path viewed (page-view-like events: fr_keyed.page_view), the page views, the median load time,
-- the sessions that viewed it, those whose last page view it is (exits), those that came back to it after another
-- page (loops) and, among them, those that left right there without buying (loop exits), and those whose last
-- page view it is with at least $dwell_seconds between that view and the session's last event (long dwell, then
-- exit). Reads fr_keyed (paths as their fr_paths id until the end), fr_sessions (each session's exit, counted
-- there) and fr_name_sets (whether it bought).
-- No ordering of every page view: only the sessions that viewed a page twice (the only ones that can loop) have
-- their page views put in order.
with page_views as (
    select session_key, event_time, path_id, load_time_ms
    from fr_keyed
    where page_view and path_id is not null
),
viewed_pairs as (
    -- one row per session and page it viewed, with how many times
    select session_key, path_id, count(*) as views
    from page_views
    group by session_key, path_id
),
ordered as (
    -- a loop (back to a page right after one other page) needs a page viewed twice: only those sessions' page
    -- views are put in order
    select session_key, path_id,
           lag(path_id, 2) over by_time = path_id and lag(path_id) over by_time <> path_id as back
    from page_views
    where session_key in (select session_key from viewed_pairs where views > 1)
    window by_time as (partition by session_key order by event_time)
),
looped as (
    select distinct session_key, path_id
    from ordered
    where back
),
viewed as (
    select path_id, count(*) as sessions
    from viewed_pairs
    group by path_id
),
loops as (
    select path_id, count(*) as loops
    from looped
    group by path_id
),
exited as (
    -- the exits, with their session's last event and whether it bought
    select s.exit_path_id as path_id, count(*) as exits,
           count(*) filter (where l.session_key is not null and not ns.bought) as loop_exits,
           count(*) filter (where epoch(s.last_event - s.exit_time) >= $dwell_seconds) as dwell_exits
    from fr_sessions s
    join fr_name_sets ns on ns.name_set = s.name_set
    left join looped l on l.session_key = s.session_key and l.path_id = s.exit_path_id
    where s.exit_path_id is not null
    group by s.exit_path_id
),
loads as (
    select path_id, count(*) as views, median(load_time_ms) as median_load_ms, count(load_time_ms) as timed_views
    from page_views
    group by path_id
),
final as (
    select n.path, l.views, l.timed_views, l.median_load_ms, v.sessions, coalesce(e.exits, 0) as exits,
           coalesce(o.loops, 0) as loops, coalesce(e.loop_exits, 0) as loop_exits,
           coalesce(e.dwell_exits, 0) as dwell_exits
    from viewed v
    join loads l on l.path_id = v.path_id
    left join loops o on o.path_id = v.path_id
    left join exited e on e.path_id = v.path_id
    join (select distinct path_id, path from fr_paths) n on n.path_id = v.path_id
)
select * from final order by sessions desc, path
