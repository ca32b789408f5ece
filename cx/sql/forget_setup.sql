-- Erasing one person (cx/ingest/forget.py), on the cursor of the erasure: what "a row of this person" means, once,
-- for the count (forget_counts.sql) and the deletion (forget_person.sql). Reads the temporary table forget_person
-- (key: every customer id, pseudonym and clear e-mail of the person, forget_keys.sql).
--
-- cx_forgotten(v): a key column (customer_id, visitor_id, email) holding one of the keys; a clear e-mail is
-- compared trimmed and in lower case, as pseudonyms are made. The macros say false, never null, for an empty value.
create or replace temp macro cx_forgotten(v) as coalesce(
    v in (select key from forget_person)
    or (contains(v, '@') and lower(trim(v)) in (select key from forget_person)),
    false
);
-- the words of a text (split on what cannot be part of an e-mail, a pseudonym or an id; a final dot dropped)
create or replace temp macro cx_words(t) as
    list_transform(regexp_split_to_array(lower(t), '[^a-z0-9_@.+-]+'), w -> rtrim(w, '.'));
-- cx_names_person(t): a text (kept extra columns as JSON, a rejected cell) holding one of the person's pseudonyms or
-- e-mails as a word. A plain customer id ("5", "C12") is not looked for in texts: it could be any number there.
create or replace temp macro cx_names_person(t) as coalesce(
    list_has_any(
        cx_words(t), (select list(lower(key)) from forget_person where key like 'px\_%' escape '\' or contains(key, '@'))
    ),
    false
);
-- cx_forgotten_reject: a rejected row of the person. A whole rejected line (the CSV reader's, a row with too many
-- cells, a repeated row) holding one of their keys, the plain customer id included, as a field; a rejected cell (a
-- bad date, an amount: an id cell is never rejected with a value) holding one of their pseudonyms or e-mails.
create or replace temp macro cx_forgotten_reject(value, code) as
    case
        when code like 'csv\_%' escape '\' or code in ('too_many_cells', 'duplicate_row', 'duplicate_customer')
            then coalesce(list_has_any(cx_words(value), (select list(lower(key)) from forget_person)), false)
        else cx_names_person(value)
    end;
-- the web visitors of the person: a visitor id one of whose events carries their key, and no event of which
-- carries another customer's id (a device shared with someone else keeps that person's visits)
create or replace temp table forget_visitors as
    select visitor_id
    from events
    group by visitor_id
    having bool_or(cx_forgotten(customer_id) or cx_forgotten(visitor_id))
       and count(customer_id) filter (where not cx_forgotten(customer_id)) = 0;
