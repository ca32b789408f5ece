-- Erasing one person (a right-to-erasure request, cx/ingest/forget.py): a record that an erasure happened, when and
-- how many rows of each table went — never who: a register of erasures must not keep the identifier it erased.
-- `asked_with`: 'email' or 'customer_id', the kind of identifier typed; `rows`: {table: rows erased}.
create table if not exists erasures (
    erased_at timestamp not null,
    asked_with varchar not null,
    rows json not null,
    total bigint not null
);
