-- Friction (issue 5): finding status (dismissed / in progress). Owned by the friction work; idempotent statements.
-- A finding is known by its key (code | step or page | segment) and its window; a recomputed finding whose window
-- moved by a few days keeps its status (cx.friction.DRIFT_DAYS).
create table if not exists friction_status (
    key varchar not null,
    code varchar not null,
    window_start date,
    window_end date,
    status varchar not null,
    updated_at timestamp
);
