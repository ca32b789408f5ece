-- DuckLake only (cx/workspace.py _migrate_lake): how many of the turn tables of lake_turns.sql the lake has (a lake
-- made before them has none).
with final as (
    select count(*) as turns
    from duckdb_tables()
    where database_name = current_database()
        and table_name in ('cx_turn_settings', 'cx_turn_attached', 'cx_turn_results')
)
select * from final
