-- Personas (issue 6): the membership snapshot (which persona each customer is in, so a recomputation keeps the
-- same customers in the same persona) and the names users gave to personas.
-- Owned by the personas work (cx/personas.py); idempotent statements (cx.personas also runs them on first use).
create table if not exists persona_members (
    customer_id varchar primary key,
    persona_id integer not null
);

create table if not exists persona_names (
    persona_id integer primary key,
    name varchar not null,
    renamed_at timestamp
);
