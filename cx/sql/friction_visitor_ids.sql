-- Friction: every visitor id of the events with its 64-bit key (fr_keyed.visitor_key, fr_sessions.visitor_key):
-- the downloads of affected visitors (friction_affected.sql) spell the keys out through it. Built on the first
-- download of a run only. Kept in fr_visitor_ids.
with final as (
    select distinct visitor_id, hash(visitor_id) as visitor_key
    from events
)
select * from final
