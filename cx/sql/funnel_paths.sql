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
visits as (
    select *, sum(new_visit) over (partition by visitor_id order by pos rows unbounded preceding) as visit
    from flagged
),
anchors as (
    select v.visitor_id, max(v.visit) as visit, min(v.pos) as first_pos, max(v.pos) as last_pos
    from visits v
    join dropped d on d.visitor_id = v.visitor_id and v.event_time = d.last_t
    group by v.visitor_id
),
sides as (
    select a.visitor_id,
           coalesce(list(v.label order by v.pos) filter (where v.pos < a.first_pos and v.pos >= a.first_pos - $length), [])
               as before_nodes,
           count(*) filter (where v.pos < a.first_pos) <= $length as entry,
           coalesce(list(v.label order by v.pos) filter (where v.pos > a.last_pos and v.pos <= a.last_pos + $length), [])
               as after_nodes,
           count(*) filter (where v.pos > a.last_pos) <= $length as exit
    from anchors a
    join visits v on v.visitor_id = a.visitor_id and v.visit = a.visit
    group by a.visitor_id
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
