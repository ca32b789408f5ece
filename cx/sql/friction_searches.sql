-- Friction: per day, the sessions that searched ($search_events) and, among them, those that searched 3 times
-- or more and left without a purchase-like event (fr_name_sets.bought). Reads fr_keyed, fr_sessions and
-- fr_name_sets.
with searches as (
    select session_key, count(*) as searches
    from fr_keyed
    where name_id in (select name_id from fr_names where list_contains($search_events, name))
    group by session_key
),
final as (
    select f.day, count(*) as n,
           count(*) filter (where s.searches >= 3 and not ns.bought) as x
    from fr_sessions f
    join searches s on s.session_key = f.session_key
    join fr_name_sets ns on ns.name_set = f.name_set
    group by f.day
)
select * from final
