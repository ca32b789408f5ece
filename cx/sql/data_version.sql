-- Changes whenever an import is added or deleted, or a person erased (Workspace.data_version): the data half of the
-- cache key.
with loaded as (
    select count(*) as imports, coalesce(max(import_id), 0) as last_import, coalesce(sum(rows_loaded), 0) as rows
    from imports
),

final as (
    select loaded.*, (select count(*) from erasures) as erasures from loaded
)
select * from final
