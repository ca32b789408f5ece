-- An import (cx/ingest/load.py) into a workspace that erased people: the lines set aside whole (unreadable by the CSV
-- reader, repeated rows) that name one of them — their field at a key column's position (customer id, e-mail,
-- visitor id; split and trimmed by erased_lines), whose keyed hash is in erased_keys (schema_v12.sql) —, by their
-- index among the lines, with the time of that erasure. They are not kept among the rejected rows.
-- Bound: $at (each field's line index), $fields (the fields, in the same order).
with fields as (
    select unnest($at::integer[]) as i, unnest($fields::varchar[]) as field
),

final as (
    select f.i, max(e.erased_at) as erased_at
    from fields f
    join erased_keys e on e.key_hash = cx_erased_key(f.field)
    group by f.i
)
select * from final
