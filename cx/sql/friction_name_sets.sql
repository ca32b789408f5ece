-- Friction: every distinct set of event names of the sessions (fr_sessions.name_bits, one bit per fr_names id)
-- spelt out once: the lower-case names in id order, whether one of them is purchase-like ($purchase_events), and
-- how many sessions have exactly that set. Tens of rows where fr_sessions has one per session: the queries test
-- names here and join fr_sessions on name_bits. Kept in fr_name_sets.
with sets as (
    select name_bits, count(*) as sessions
    from fr_sessions
    group by name_bits
),
spelt as (
    select b.name_bits, list(n.name order by n.name_id) as names
    from sets b
    join (select distinct name_id, name from fr_names) n on get_bit(b.name_bits, n.name_id) = 1
    group by b.name_bits
),
final as (
    select s.name_bits, s.names, list_has_any(s.names, $purchase_events) as bought, b.sessions
    from spelt s
    join sets b on b.name_bits = s.name_bits
)
select * from final
