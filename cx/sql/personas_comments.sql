-- Personas: every non-empty survey comment of a known customer, with its score, for themes and quotes.
with linked as (
    /*@staging/linked_responses.sql*/
),
final as (
    select customer_id, responded_at, nps, comment
    from linked
    where customer_id is not null and nullif(trim(comment), '') is not null
)
select * from final
