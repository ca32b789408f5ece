-- Workspace (cx/workspace.py): does the imports table exist yet (1) or not (0)? A file opened for the first time
-- has no schema; its key may be created only when it holds no import.
with final as (
    select count(*) as n
    from duckdb_tables()
    where table_name = 'imports' and schema_name = 'main'
)
select * from final
