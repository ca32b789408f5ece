-- Friction: every distinct set of tracked event names of the sessions (fr_sessions.name_set, one bit per name of
-- $tracked_names: fr_names.name_bit) spelt out once: the lower-case names of its bits, in the list's order,
-- whether one of them is purchase-like ($purchase_events), and how many sessions have exactly that set. Tens of
-- rows where fr_sessions has one per session: the queries test names here and join fr_sessions on name_set. The
-- names asked about here are tracked ones (the funnel steps and the purchase event). Kept in fr_name_sets.
with sets as (
    select name_set, count(*) as sessions
    from fr_sessions
    group by name_set
),
spelt as (
    select name_set, sessions, list_filter($tracked_names, lambda name, i: (name_set >> (i - 1)) & 1 = 1) as names
    from sets
),
final as (
    select name_set, names, list_has_any(names, $purchase_events) as bought, sessions
    from spelt
)
select * from final
