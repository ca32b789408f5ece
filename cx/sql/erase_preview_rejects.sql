-- Deleting an import (cx/ingest/erase.py), what its list of rejects holds now: `rejected`, the rows rejected whole
-- (their lines: a line may list several problems), and `cells`, the unreadable values left empty in rows that were
-- loaded (listed with the rejected rows, $cells: ratings.CELL_CODES) — two different things the confirmation counts
-- apart. Bound: $import_id, $cells.
with listed as (
    select line, list_contains($cells, code) as cell from rejects where import_id = $import_id
),

final as (
    select
        count(distinct coalesce(line, -1)) filter (where not cell) as rejected,
        count(*) filter (where cell and line not in (select line from listed where not cell and line is not null)) as cells
    from listed
)
select * from final
