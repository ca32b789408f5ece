-- After the orders' roll-up: `stg_origin.src_row` counted the rows left once the repeats were set aside
-- (`stg_kept` holds the file's row index of each of them, in order); make it the file's row index again.
create or replace temp table stg_origin as
with
rolled as (select row_number() over () - 1 as k, src_row from stg_origin),
kept as (select row_number() over (order by src_row) - 1 as i, src_row from stg_kept),
final as (select kept.src_row, rolled.k from rolled join kept on rolled.src_row = kept.i)
select src_row from final order by k
