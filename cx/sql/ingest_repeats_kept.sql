-- The rows of `stg_numbered` not set aside (`stg_repeats`: exact repeats, other rows of a customer), each with
-- its index in the file's rows (cx/ingest/duplicates.py); `stg` is then made of them.
create or replace temp table stg_origin as
select * from stg_numbered
where src_row not in (select src_row from stg_repeats)
order by src_row
