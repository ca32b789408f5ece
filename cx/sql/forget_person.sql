-- Erasing one person (cx/ingest/forget.py), in the erasure's transaction after forget_setup.sql: their rows in every
-- table (the same conditions as forget_counts.sql), then their e-mail, written in clear in the free text of another
-- row (loaded without pseudonymisation), masked as an import masks it. The file is rewritten afterwards.
delete from events
where cx_forgotten(customer_id) or cx_forgotten(visitor_id)
   or visitor_id in (select visitor_id from forget_visitors) or cx_names_person(properties::varchar);
delete from customers where cx_forgotten(customer_id) or cx_forgotten(email) or cx_names_person(extra::varchar);
delete from orders where cx_forgotten(customer_id) or cx_names_person(extra::varchar);
delete from tickets where cx_forgotten(customer_id) or cx_names_person(extra::varchar);
delete from responses where cx_forgotten(customer_id) or cx_names_person(extra::varchar);
delete from rejects where cx_forgotten_reject(value, code);
delete from persona_members where cx_forgotten(customer_id);
update tickets set text = regexp_replace(text, (select pattern from forget_mention), '[e-mail]', 'g')
where regexp_matches(text, (select pattern from forget_mention));
update responses set comment = regexp_replace(comment, (select pattern from forget_mention), '[e-mail]', 'g')
where regexp_matches(comment, (select pattern from forget_mention));
update orders set return_reason = regexp_replace(return_reason, (select pattern from forget_mention), '[e-mail]', 'g')
where regexp_matches(return_reason, (select pattern from forget_mention));
