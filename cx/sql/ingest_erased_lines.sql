-- An import (cx/ingest/load.py) into a workspace that erased people: the lines set aside whole (unreadable by the CSV
-- reader, repeated rows) that name one of them — a field, split on the file's delimiter (or the "; " of a row of too
-- many cells), trimmed and unquoted, whose keyed hash is in erased_keys (schema_v12.sql) —, by their index in
-- $lines, with the time of that erasure. They are not kept among the rejected rows. Bound: $lines, $delimiter.
with lines as (
    select unnest(range(len($lines::varchar[]))) as i, unnest($lines::varchar[]) as line
),

fields as (
    select i, trim(trim(unnest(string_split(line, $delimiter) || string_split(line, ';'))), '"') as field
    from lines
),

final as (
    select f.i, max(e.erased_at) as erased_at
    from fields f
    join erased_keys e on e.key_hash = cx_erased_key(f.field)
    group by f.i
)
select * from final
