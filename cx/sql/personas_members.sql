-- Personas: the customer ids of one persona ($persona, an id; null keeps every customer with a persona), from
-- the stored membership. Embed as `customer_id in (…)`; web events through events.customer_id.
with final as (
    select customer_id
    from persona_members
    where $persona is null or persona_id = $persona
)
select * from final order by customer_id
