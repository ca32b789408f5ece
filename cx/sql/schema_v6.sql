-- Maturity (issue 7): editable level criteria/thresholds, workshop questionnaire answers. Owned by the maturity work; idempotent statements.
select 1;
