-- Erasing one person (cx/ingest/forget.py), after forget_person.sql and only when forget_counts.sql found mentions:
-- in the rows of other people, which stay, their e-mails and pseudonyms in kept extra columns and their e-mail written
-- in clear in a free text (loaded without pseudonymisation), masked as an import masks an e-mail.
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
