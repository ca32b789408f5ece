-- Demo (cx/demo.py demo_removal): what "use my own data" would remove, one row — the demo's imports and the rows
-- they loaded, and the work saved while the workspace held only the demo (demo_era.sql), counted as
-- demo_forget.sql deletes it: journey notes (non-empty), persona names, finding statuses, maturity workshops,
-- maturity thresholds, theme keywords.
with era as (
    /*@demo_era.sql*/
),
demo as (
    select count(*) as imports, coalesce(sum(rows_loaded), 0)::bigint as rows from imports where is_demo
),
final as (
    select
        demo.imports,
        demo.rows,
        (select count(*) from journey_notes, era
         where trim(note) <> '' and updated_at >= era.since and (updated_at < era.until or era.until is null)) as notes,
        (select count(*) from persona_names, era
         where renamed_at >= era.since and (renamed_at < era.until or era.until is null)) as persona_names,
        (select count(*) from friction_status, era
         where updated_at >= era.since and (updated_at < era.until or era.until is null)) as statuses,
        (select count(*) from maturity_workshops, era
         where saved_at >= era.since and (saved_at < era.until or era.until is null)) as workshops,
        (select count(*) from maturity_thresholds, era
         where edited_at >= era.since and (edited_at < era.until or era.until is null)) as thresholds,
        (select count(*) from theme_keywords, era
         where added_at >= era.since and (added_at < era.until or era.until is null)) as keywords
    from demo
)
select * from final
