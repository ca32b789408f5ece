-- Store a new persona membership (cx/personas/membership.py), in the writer's transaction, from the registered frame
-- `incoming_members` (customer_id, persona_id; one row per customer): the customers whose persona changed are
-- updated, those no longer there deleted, the new ones inserted. Deleting every row and inserting them all again
-- deleted and inserted 200k keys of the primary key in one transaction: 10-17 CPU-s at 200k customers, against
-- ~0.5 s for the same rows into an empty table.
update persona_members
set persona_id = incoming_members.persona_id
from incoming_members
where persona_members.customer_id = incoming_members.customer_id
  and persona_members.persona_id <> incoming_members.persona_id;

delete from persona_members
where customer_id not in (select customer_id from incoming_members);

insert into persona_members
select customer_id, persona_id from incoming_members
where customer_id not in (select customer_id from persona_members);
