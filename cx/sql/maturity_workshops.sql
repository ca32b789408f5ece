-- The saved workshops, oldest first, with how many questions each answered (cx.maturity.list_workshops).
with final as (
    select w.workshop_id, w.name, w.held_on, count(a.question) as answered
    from maturity_workshops w
    left join maturity_answers a using (workshop_id)
    group by all
)
select * from final order by held_on, workshop_id
