-- Journey (issue 3): stage rules, workshop notes. Owned by the journey work; keep statements idempotent.
select 1;
