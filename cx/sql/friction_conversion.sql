-- Friction: among the sessions that contain $step (every session when $step is null), those that also contain
-- the purchase event $purchase: summed over the sets of names of fr_name_sets (each with its sessions).
with final as (
    select coalesce(sum(sessions), 0)::bigint as sessions,
           coalesce(sum(sessions) filter (where list_contains(names, $purchase)), 0)::bigint as converted
    from fr_name_sets
    where $step is null or list_contains(names, $step)
)
select * from final
