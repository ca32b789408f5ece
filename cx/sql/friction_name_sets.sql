-- Friction: every distinct set of event names of the sessions (fr_sessions.name_set, the sorted fr_names ids)
-- spelt out once: the lower-case names in id order, whether one of them is purchase-like ($purchase_events), and
-- how many sessions have exactly that set. Tens of rows where fr_sessions has one per session: the queries test
-- names here and join fr_sessions on name_set. Its cost follows the sets' sizes, not sets × names. Kept in
-- fr_name_sets.
with sets as (
    select name_set, count(*) as sessions
    from fr_sessions
    group by name_set
),
members as (
    select name_set, unnest(name_set) as name_id
    from sets
),
spelt as (
    select m.name_set, list(n.name order by n.name_id) as names
    from members m
    join (select distinct name_id, name from fr_names) n on n.name_id = m.name_id
    group by m.name_set
),
final as (
    select s.name_set, s.names, list_has_any(s.names, $purchase_events) as bought, b.sessions
    from spelt s
    join sets b on b.name_set = s.name_set
)
select * from final
