-- Changes whenever an import is added or deleted (Workspace.data_version): the data half of the cache key.
with final as (
    select count(*) as imports, coalesce(max(import_id), 0) as last_import, coalesce(sum(rows_loaded), 0) as rows
    from imports
)
select * from final
