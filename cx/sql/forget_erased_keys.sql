-- Erasing one person (cx/ingest/forget.py), in the erasure's transaction: the keyed hash of each of their keys
-- (forget_person, forget_keys.sql) and of each web visitor id the erasure deletes (forget_visitors, whose events
-- without a customer id are theirs too) joins the workspace's list of erased keys, so an import of the same file
-- later leaves their rows out. The time is the erasure's (now(): the transaction's start, as in `erasures`).
insert into erased_keys
select distinct cx_erased_key(key), now()::timestamp
from (
    select key from forget_person
    union all
    select visitor_id from forget_visitors
)
where key is not null;
