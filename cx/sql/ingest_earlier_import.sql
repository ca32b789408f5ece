-- The latest import still in the workspace of a file of the same bytes ($sha256) and the same sheet ($sheet: a
-- workbook's other sheet is another import; a CSV's is null): the one loading it again skips, or replaces when asked
-- (cx/ingest/load.py `earlier_import`, shown on the Data page before the load; `_duplicate_of`, at the load).
with final as (
    select import_id, file_name, finished_at, rows_loaded, rows_rejected
    from imports
    where sha256 = $sha256 and sheet is not distinct from $sheet and status = 'loaded'
)
select * from final order by import_id desc limit 1
