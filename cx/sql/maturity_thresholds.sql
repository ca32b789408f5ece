-- The thresholds users edited (cx.maturity.maturity_criteria overrides the shipped criteria with them).
with final as (
    select criterion, comparison, threshold from maturity_thresholds
)
select * from final
