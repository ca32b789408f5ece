-- Funnel: what the visitors who reached step $step and no further did just before and just after their
-- last event at that step (events at that same instant left out), within the same visit: a visit ends at a
-- new session id or after more than $gap_us microseconds without an event. A node is the event name, or
-- for page views the page path at two levels. edge: the visit starts before (entry) / ends after (exit)
-- the $length events shown.
with dropped as (
    select visitor_id, last_t from fx_users where reached = $step
),
scoped as (
    /*@staging/scope_events.sql*/
),
filtered as (
    select visitor_id, event_time, session_id,
           case when list_contains($page_events, lower(event_name)) and page is not null
                then coalesce(nullif(regexp_extract(regexp_extract(
                    page, '^(?:[a-zA-Z][a-zA-Z0-9+.-]*://[^/]*)?([^?#]*)', 1), '^(/[^/]*(/[^/]*)?)', 1), ''), '/')
                else event_name end as label
    from scoped
    where visitor_id in (select visitor_id from dropped)
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
    select f.visitor_id, min(f.pos) as first_pos, max(f.pos) as last_pos
    from flagged f
    join dropped d on d.visitor_id = f.visitor_id and f.event_time = d.last_t
    group by f.visitor_id
),
anchors as (
    -- the visit of the last of them: from its start (the last new visit at or before last_pos) to its end (the
    -- position before the next new visit, else the visitor's last), so that each visitor's events are ordered
    -- once
    select a.visitor_id, a.first_pos, a.last_pos,
           max(f.pos) filter (where f.new_visit = 1 and f.pos <= a.last_pos) as visit_start,
           coalesce(min(f.pos) filter (where f.new_visit = 1 and f.pos > a.last_pos) - 1, max(f.pos)) as visit_end
    from anchor_pos a
    join flagged f on f.visitor_id = a.visitor_id
    group by a.visitor_id, a.first_pos, a.last_pos
),
sides as (
    select a.visitor_id,
           coalesce(list(v.label order by v.pos) filter (where v.pos < a.first_pos and v.pos >= a.first_pos - $length), [])
               as before_nodes,
           greatest(a.first_pos - a.visit_start, 0) <= $length as entry,
           coalesce(list(v.label order by v.pos) filter (where v.pos > a.last_pos and v.pos <= a.last_pos + $length), [])
               as after_nodes,
           a.visit_end - a.last_pos <= $length as exit
    from anchors a
    join flagged v on v.visitor_id = a.visitor_id and v.pos between a.visit_start and a.visit_end
    group by a.visitor_id, a.first_pos, a.visit_start, a.last_pos, a.visit_end
),
paths as (
    select 'before' as direction, before_nodes as nodes, entry as edge from sides
    union all
    select 'after', after_nodes, exit from sides
),
final as (
    select direction, nodes, edge, count(*) as users,
           count(*) / (select count(*) from dropped) as share
    from paths
    group by direction, nodes, edge
)
select * from final order by direction, users desc
