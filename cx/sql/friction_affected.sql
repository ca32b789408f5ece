-- Friction: the visitors behind a finding on web events, for a download. $kind picks the rule:
-- 'dropped': sessions of group $value of $dim (or every session when $dim = 'all') between $from_day and $to_day
--            that contain $step_from but not $step_to;
-- 'error':   sessions with an event named $name (on device $value when given) between $from_day and $to_day;
-- 'exit':    sessions whose last page view is $path (fr_sessions.exit_path_id).
-- Reads fr_sessions (visitor keys and device, channel and country ids, spelt out at the end: fr_visitor_ids,
-- fr_dims), fr_name_sets and fr_keyed.
with errored as (
    select distinct session_key
    from fr_keyed
    where name_id in (select name_id from fr_names where name = $name)
      and ($value is null or device_id in (select value_id from fr_dims where dim = 'device' and value = $value))
),
dim_value as (
    -- $value as its fr_dims id in $dim (device, channel, country): null for a null $value, -1 (no session) for a
    -- value fr_dims does not hold
    select case when $value is null then null else coalesce(max(value_id), -1) end as value_id
    from fr_dims
    where dim = $dim and value = $value
),
picked as (
    select s.*
    from fr_sessions s
    where ($from_day is null or s.day >= $from_day) and ($to_day is null or s.day <= $to_day)
      and case $kind
          when 'dropped' then s.name_set in (select name_set from fr_name_sets
                                              where list_contains(names, $step_from)
                                                and not list_contains(names, $step_to))
               and ($dim = 'all'
                    or ($dim = 'segment' and $value is not distinct from s.segment)
                    or ($dim <> 'segment' and (select value_id from dim_value) is not distinct from
                        (case $dim when 'device' then s.device_id when 'channel' then s.channel_id
                                   when 'country' then s.country_id end)))
          when 'error' then s.session_key in (select session_key from errored)
          when 'exit' then s.exit_path_id in (select path_id from fr_paths where path = $path)
          else false end
),
latest as (
    -- device, channel and segment of the visitor's latest session (the largest session key breaks a tie between
    -- sessions ending at the same time), so that the download is the same from one run to the next
    select visitor_key, customer_id, min(day) as first_day, max(day) as last_day, count(*) as sessions,
           arg_max(device_id, (last_event, session_key)) as device_id,
           arg_max(channel_id, (last_event, session_key)) as channel_id,
           arg_max(segment, (last_event, session_key)) as segment
    from picked
    group by visitor_key, customer_id
),
final as (
    select v.visitor_id, l.customer_id, l.first_day, l.last_day, l.sessions, d.value as device, c.value as channel,
           l.segment
    from latest l
    join fr_visitor_ids v on v.visitor_key = l.visitor_key
    left join (select value, value_id from fr_dims where dim = 'device') d on d.value_id = l.device_id
    left join (select value, value_id from fr_dims where dim = 'channel') c on c.value_id = l.channel_id
)
select * from final order by last_day, visitor_id
