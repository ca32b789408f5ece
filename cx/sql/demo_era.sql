-- Demo (cx/demo.py): when the workspace held only the sample data — from the first demo import until the first
-- import of the user's own data (open when there is none). Work saved then (notes, renames, statuses, workshops,
-- thresholds, keywords) was done on the demo and leaves with it. When the user's own data was there before the
-- demo came in, nothing was demo-only: the era is empty (since is null).
with demo as (
    select min(started_at) as since from imports where is_demo
),
own as (
    select min(started_at) as first_own from imports where not coalesce(is_demo, false)
),
final as (
    select case when own.first_own is null or own.first_own >= demo.since then demo.since end as since,
           case when own.first_own >= demo.since then own.first_own end as until
    from demo, own
)
select * from final
