-- The filtered web events, each with its session (journey_session_keys.sql): every column of `events`, plus
-- current, session_no. Bound: $start, $end_excl, $device, $channel, $gap_seconds, $split.
with session_input as not materialized (  -- read twice by the session keys: not copied first
    select * exclude (import_id, properties) from events
),
keyed as (
    /*@journey_session_keys.sql*/
),
final as (
    select * from keyed
)
select * from final
