-- Friction: every event name of the workspace (as exported) with its lower-case form, a small integer id per
-- lower-case name (0, 1, …, in name order: fr_keyed carries the id rather than the text) and, for the names the
-- detectors ask a session about ($tracked_names, at most 64: cx.friction.context.TRACKED_NAMES), one bit of a
-- 64-bit integer (name_bit: bit i for the name at position i + 1 of the list; 0 for the other names): a session
-- keeps the bits of its names OR-ed together (fr_sessions.name_set); page_view: the name is page-view-like
-- ($page_view_events). Kept in fr_names.
with names as (
    select distinct event_name
    from events
),
final as (
    select event_name, lower(event_name) as name,
           (dense_rank() over (order by lower(event_name)) - 1)::integer as name_id,
           coalesce(1::ubigint << (list_position($tracked_names, lower(event_name)) - 1), 0) as name_bit,
           list_contains($page_view_events, lower(event_name)) as page_view
    from names
)
select * from final
