-- A fragment, nested as a CTE in a query that defines `session_input` (the events table, or a projection of it
-- with at least event_time, visitor_id, session_id, device and channel): its rows kept by the filters, each with
-- its session. A session is (visitor_id, session_id) when the export has a session id (GA4's ga_session_id is
-- the session start in seconds: unique per visitor only, never alone); otherwise a visitor's new session starts
-- after more than $gap_seconds without an event (exactly the gap still continues the session). Sessions never
-- cross $split (null: no split): the events before and after it are in different sessions, so a period gives the
-- same sessions whether computed alone or beside another.
-- A session is identified by (visitor_id, current, session_id, session_no): session_no numbers a visitor's
-- inactivity sessions 1, 2, … and is null when the export gave the session id.
-- Bound: $start, $end_excl, $device, $channel, $gap_seconds, $split.
with ev as not materialized (  -- read twice below: inlined, not copied (a copy of the events costs more than a second scan)
    select *, ($split is null or event_time >= $split) as current
    from session_input
    where ($start is null or event_time >= $start) and ($end_excl is null or event_time < $end_excl)
      and ($device is null or device = $device) and ($channel is null or channel = $channel)
),
with_id as (
    select *, null::bigint as session_no
    from ev
    where session_id is not null
),
without_id as (
    select *, event_time - lag(event_time) over by_visitor as since_previous
    from ev
    where session_id is null
    window by_visitor as (partition by visitor_id, current order by event_time)
),
gapped as (
    -- the running sum uses the default RANGE frame, so events at the same instant share their session whatever
    -- their order
    select * exclude (since_previous),
           sum(case when since_previous is null or since_previous > to_seconds($gap_seconds) then 1 else 0 end)
               over (partition by visitor_id, current order by event_time) as session_no
    from without_id
),
final as (
    select * from with_id
    union all
    select * from gapped
)
select * from final
