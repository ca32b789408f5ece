-- Data page's import history and `python -m cx rejects` (cx/rejects.py): the rejected rows of one import
-- ($import_id) or of every import (null), with the file they came from, in import then file order.
with final as (
    select r.import_id, i.file_name, r.line, r."column", r.value, r.code, r.reason
    from rejects r
    join imports i using (import_id)
    where ($import_id is null or r.import_id = $import_id)
)
select * from final order by import_id, line
