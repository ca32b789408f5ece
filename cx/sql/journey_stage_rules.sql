-- Journey (cx/journey/rules.py stage_rules): the stored stage rules, in the order they are tried (position: the
-- order they were written in, for equal rule_order).
with final as (
    select rule_order, match_type, pattern, stage, enabled, rowid as position from journey_stage_rules
)
select * from final order by rule_order, position
