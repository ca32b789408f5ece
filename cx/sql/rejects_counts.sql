-- Data page's import history (cx/rejects.py): the imports that hold rejected rows or cells, with how many and the
-- file they came from, newest first. Read from `rejects` itself: an attached folder's rows left out (events with no
-- visitor) count in imports.rows_rejected but have no row here, and a cell left empty (an unreadable rating) has a
-- row here but its line was loaded.
with final as (
    select r.import_id, i.file_name, count(*) as rejects
    from rejects r
    join imports i using (import_id)
    group by all
)
select * from final order by import_id desc
