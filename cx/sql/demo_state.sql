-- Demo (cx/demo.py): the workspace as the demo sees it, one row: imports (loaded now), demo_imports (those of the
-- sample data) and dismissed (the user chose their own data: cx_meta $dismissed_key = '1'). Bound: $dismissed_key.
-- (Whether an import id was ever handed out is cx/keys.py ever_imported: a sequence in a file, a counter in a lake.)
with counts as (
    select count(*) as imports, count(*) filter (where is_demo) as demo_imports from imports
),
choice as (
    select count(*) > 0 as dismissed from cx_meta where key = $dismissed_key and value = '1'
),
final as (
    select counts.imports, counts.demo_imports, choice.dismissed
    from counts, choice
)
select * from final
