-- Friction: how many sessions fr_sessions holds and the distinct event names they contain (which funnel steps
-- and which purchase event the data has), from fr_name_sets.
with names as (
    select distinct unnest(names) as name
    from fr_name_sets
),
final as (
    select (select count(*) from fr_sessions) as sessions, (select list(name) from names) as names
)
select * from final
