-- Demo (cx/demo.py): the workspace as the demo sees it, one row: imports (loaded now), demo_imports (those of the
-- sample data), ever_imported (an import id was ever handed out, even to an import deleted since) and dismissed
-- (the user chose their own data: cx_meta $dismissed_key = '1'). Bound: $dismissed_key.
with counts as (
    select count(*) as imports, count(*) filter (where is_demo) as demo_imports from imports
),
sequence as (
    select coalesce(bool_or(last_value is not null), false) as ever_imported
    from duckdb_sequences()
    where sequence_name = 'import_ids'
),
choice as (
    select count(*) > 0 as dismissed from cx_meta where key = $dismissed_key and value = '1'
),
final as (
    select counts.imports, counts.demo_imports, sequence.ever_imported, choice.dismissed
    from counts, sequence, choice
)
select * from final
