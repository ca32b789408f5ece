-- Global filters (cx/filters.py): the stored personas and how many customers each holds.
with final as (
    select persona_id, count(*) as customers from persona_members group by persona_id
)
select * from final order by persona_id
