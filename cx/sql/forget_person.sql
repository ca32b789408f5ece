-- Erasing one person (cx/ingest/forget.py), in the erasure's transaction after forget_setup.sql: their rows in every
-- table (the same conditions as forget_counts.sql), then, in the rows of other people that stay, their e-mail written
-- in clear in a free text (loaded without pseudonymisation) and their e-mails and pseudonyms in kept extra columns,
-- masked as an import masks an e-mail. The file is rewritten afterwards.
delete from events
where cx_forgotten(customer_id) or cx_forgotten(visitor_id) or visitor_id in (select visitor_id from forget_visitors);
delete from customers where cx_forgotten(customer_id) or cx_forgotten(email);
delete from orders where cx_forgotten(customer_id);
delete from tickets where cx_forgotten(customer_id);
delete from responses where cx_forgotten(customer_id);
delete from rejects where cx_forgotten_reject(value, code, import_id);
delete from persona_members where cx_forgotten(customer_id);
update events set properties = cx_masked(properties) where cx_names_person(properties::varchar);
update customers set extra = cx_masked(extra) where cx_names_person(extra::varchar);
update orders set extra = cx_masked(extra) where cx_names_person(extra::varchar);
update tickets set extra = cx_masked(extra) where cx_names_person(extra::varchar);
update responses set extra = cx_masked(extra) where cx_names_person(extra::varchar);
update tickets set text = regexp_replace(text, (select pattern from forget_mention), '[e-mail]', 'g')
where regexp_matches(text, (select pattern from forget_mention));
update responses set comment = regexp_replace(comment, (select pattern from forget_mention), '[e-mail]', 'g')
where regexp_matches(comment, (select pattern from forget_mention));
update orders set return_reason = regexp_replace(return_reason, (select pattern from forget_mention), '[e-mail]', 'g')
where regexp_matches(return_reason, (select pattern from forget_mention));
