-- DuckLake only (cx/keys.py next_import_id): take the next import id in the import's own transaction. Two
-- imports at once both update this one row, so DuckLake commits only the first; the other runs again.
update cx_import_ids set last_id = greatest(last_id, (select coalesce(max(import_id), 0) from imports)) + 1;
