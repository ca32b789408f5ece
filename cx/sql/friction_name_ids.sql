-- Friction: the largest event-name id of fr_names (0 when there is no event): the width of fr_sessions' bit per
-- name.
with final as (
    select coalesce(max(name_id), 0) as max_name_id
    from fr_names
)
select * from final
