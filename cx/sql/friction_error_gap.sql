-- Friction: sessions that hit the error event $name, and the other sessions that viewed the pages where it
-- happened; how many of each contain the purchase event $purchase. Reads fr_keyed, fr_sessions and fr_name_sets.
with hit as (
    select distinct session_key, path_id
    from fr_keyed
    where name_id in (select name_id from fr_names where name = $name)
),
on_page as (
    select distinct session_key
    from fr_keyed
    where path_id in (select distinct path_id from hit)
),
flagged as (
    select s.session_key in (select session_key from hit) as errored, list_contains(ns.names, $purchase) as bought
    from fr_sessions s
    join fr_name_sets ns on ns.name_set = s.name_set
    where s.session_key in (select session_key from on_page)
),
final as (
    select count(*) filter (where errored) as errored, count(*) filter (where errored and bought) as errored_bought,
           count(*) filter (where not errored) as others, count(*) filter (where not errored and bought) as others_bought
    from flagged
)
select * from final
