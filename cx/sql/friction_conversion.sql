-- Friction: among the sessions (fr_sessions) that contain $step (every session when $step is null), those
-- that also contain the purchase event $purchase.
with final as (
    select count(*) as sessions, count(*) filter (where list_contains(names, $purchase)) as converted
    from fr_sessions
    where $step is null or list_contains(names, $step)
)
select * from final
