-- Personas (issue 6): persona names users chose, membership snapshot. Owned by the personas work; idempotent statements.
select 1;
