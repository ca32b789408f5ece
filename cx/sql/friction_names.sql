-- Friction: every event name of the workspace (as exported) with its lower-case form and a small integer id per
-- lower-case name (0, 1, …, in name order): fr_keyed carries the id rather than the text, fr_sessions the
-- sorted ids of its names. Kept in fr_names.
with names as (
    select distinct event_name
    from events
),
final as (
    select event_name, lower(event_name) as name, (dense_rank() over (order by lower(event_name)) - 1)::integer as name_id
    from names
)
select * from final
