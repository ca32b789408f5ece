-- One saved workshop's answers ($workshop_id; cx.maturity.workshop_answers).
with final as (
    select question, answer from maturity_answers where workshop_id = $workshop_id
)
select * from final
