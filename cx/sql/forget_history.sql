-- The erasures of one person done in this workspace (cx/ingest/forget.py), newest first: when, with which kind of
-- identifier, how many rows of each table — never who.
with final as (
    select erased_at, asked_with, rows, total from erasures
)
select * from final order by erased_at desc
