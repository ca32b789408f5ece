-- Demo (cx/demo.py remove_demo): keep the demo era ($since, $until: demo_era.sql, read before its imports are
-- deleted) for demo_forget.sql, in the same transaction.
create or replace temp table demo_era as select $since::timestamp as since, $until::timestamp as until;
