-- Overview (cx/inventory.py import_quality): per import, its rows read, loaded and rejected, the rejected share
-- (0–1; 0 when nothing was read), its currency and whether it is demo data.
with final as (
    select import_id, file_name, kind, rows_read, rows_loaded, rows_rejected,
           case when rows_read > 0 then rows_rejected / rows_read else 0 end as rejected_share, currency, is_demo
    from imports
)
select * from final order by import_id
