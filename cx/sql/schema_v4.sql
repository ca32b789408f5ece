-- Friction (issue 5): finding status (dismissed / in progress). Owned by the friction work; idempotent statements.
select 1;
