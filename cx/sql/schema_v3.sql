-- Voice of the customer (issue 4): user-added theme keywords. Owned by the voice work; idempotent statements.
select 1;
