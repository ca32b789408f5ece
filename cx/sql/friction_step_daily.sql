-- Friction: per day and group, the sessions that contain $step_from (n) and, among them, those that also
-- contain $step_to (x): the step conversion of GROUND_TRUTH's "sessions containing one step that also contain
-- the next". $dim picks the grouping column from a fixed list ('all', device, channel, country, segment).
-- Reads the temp table fr_sessions (friction_sessions.sql).
with grouped as (
    select day,
           case $dim when 'device' then device when 'channel' then channel when 'country' then country
                     when 'segment' then segment else 'all' end as g,
           list_contains(names, $step_to) as reached
    from fr_sessions
    where list_contains(names, $step_from)
),
final as (
    select day, g, count(*) as n, count(*) filter (where reached) as x
    from grouped
    group by all
)
select * from final order by g, day
