-- The rows of `stg_numbered` that repeat no earlier row (`stg_repeats`), each with its index in the file's
-- rows (cx/ingest/duplicates.py); `stg` is then made of them.
create or replace temp table stg_origin as
select * from stg_numbered
where src_row not in (select src_row from stg_repeats)
order by src_row
