-- Funnel: what the visitors who reached step $step and no further did just before and just after their
-- last event at that step (events at that same instant left out), within the same visit: a visit ends at a
-- new session id or after more than $gap_us microseconds without an event. $step null: every step one can
-- drop at (1 … $n-1) in one pass, each visitor under the one step they stopped at (the Funnel page's funnel
-- computes them with its counts). A node is the event name, or for page views the page path at two levels. edge: the visit starts before (entry) / ends after (exit)
-- the $length events shown.
with dropped as (
    select vid, visitor_id, last_t, reached as step
    from fx_users
    where reached = $step or ($step is null and reached < $n)
),
dropped_per_step as (
    select step, count(*) as users from dropped group by step
),
scoped as (
    /*@staging/scope_events.sql*/
),
filtered as (
    -- the integer vid rather than the text id: the window below partitions on it
    select d.vid as visitor_id, s.event_time, s.session_id,
           case when list_contains($page_events, lower(event_name)) and page is not null
                then coalesce(nullif(regexp_extract(regexp_extract(
                    page, '^(?:[a-zA-Z][a-zA-Z0-9+.-]*://[^/]*)?([^?#]*)', 1), '^(/[^/]*(/[^/]*)?)', 1), ''), '/')
                else event_name end as label
    from scoped s
    -- only the events near the drop-off: the $length + 1 events before it (or after it) within its visit are
    -- at most ($length + 1) gaps away, and whatever lies further cannot change what is shown (a visit that starts
    -- earlier shows no entry either way)
    join dropped d on d.visitor_id = s.visitor_id
                  and s.event_time between d.last_t - to_microseconds(($length + 1)::bigint * $gap_us)
                                       and d.last_t + to_microseconds(($length + 1)::bigint * $gap_us)
),
flagged as (
    select *,
           case when lag(event_time) over w is null
                  or session_id is distinct from lag(session_id) over w
                  or event_time - lag(event_time) over w > to_microseconds($gap_us) then 1 else 0 end as new_visit,
           row_number() over w as pos
    from filtered
    window w as (partition by visitor_id order by event_time, label)
),
anchor_pos as (
    -- the events at the drop-off instant: positions first_pos … last_pos
    select f.visitor_id, d.step, min(f.pos) as first_pos, max(f.pos) as last_pos
    from flagged f
    join dropped d on d.vid = f.visitor_id and f.event_time = d.last_t
    group by f.visitor_id, d.step
),
anchors as (
    -- the visit of the last of them: from its start (the last new visit at or before last_pos) to its end (the
    -- position before the next new visit, else the visitor's last), so that each visitor's events are ordered
    -- once
    select a.visitor_id, a.step, a.first_pos, a.last_pos,
           max(f.pos) filter (where f.new_visit = 1 and f.pos <= a.last_pos) as visit_start,
           coalesce(min(f.pos) filter (where f.new_visit = 1 and f.pos > a.last_pos) - 1, max(f.pos)) as visit_end
    from anchor_pos a
    join flagged f on f.visitor_id = a.visitor_id
    group by a.visitor_id, a.step, a.first_pos, a.last_pos
),
sides as (
    select a.visitor_id, a.step,
           coalesce(list(v.label order by v.pos) filter (where v.pos < a.first_pos and v.pos >= a.first_pos - $length), [])
               as before_nodes,
           greatest(a.first_pos - a.visit_start, 0) <= $length as entry,
           coalesce(list(v.label order by v.pos) filter (where v.pos > a.last_pos and v.pos <= a.last_pos + $length), [])
               as after_nodes,
           a.visit_end - a.last_pos <= $length as exit
    from anchors a
    -- only the events that can be shown: at most $length on each side, within the visit
    join flagged v on v.visitor_id = a.visitor_id
                  and v.pos between greatest(a.visit_start, a.first_pos - $length)
                                and least(a.visit_end, a.last_pos + $length)
    group by a.visitor_id, a.step, a.first_pos, a.visit_start, a.last_pos, a.visit_end
),
paths as (
    select step, 'before' as direction, before_nodes as nodes, entry as edge from sides
    union all
    select step, 'after', after_nodes, exit from sides
),
final as (
    select p.step, p.direction, p.nodes, p.edge, count(*) as users, count(*) / any_value(s.users) as share
    from paths p
    join dropped_per_step s on s.step = p.step
    group by p.step, p.direction, p.nodes, p.edge
)
select * from final order by step, direction, users desc
