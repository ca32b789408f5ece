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
-- cx_mentions(said, extra): another person's row whose free text writes one of the person's e-mails in clear, or
-- whose kept extra columns (JSON) hold one of their e-mails or pseudonyms (Ana's order with gift_recipient=Bob's
-- e-mail): the row is theirs and stays, the mention is masked (cx_masked)
create or replace temp macro cx_mentions(said, extra) as
    coalesce(regexp_matches(said, (select pattern from forget_mention)), false) or cx_names_person(extra::varchar);
-- the kept extra columns with the person's e-mails and pseudonyms masked as an import masks an e-mail
create or replace temp macro cx_masked(extra) as
    regexp_replace(extra::varchar, (select named from forget_mention), '[e-mail]', 'g')::json;
-- the delimiter of each import's file (a comma when it has none: a spreadsheet)
create or replace temp table forget_delimiters as
    select import_id as of_import, coalesce(delimiter, ',') as delimiter from imports;
-- cx_forgotten_reject: a rejected row of the person. A whole rejected line (the CSV reader's, a row with too many
-- cells, a repeated row) with a field — split on its import's delimiter (a row of too many cells: "; "), trimmed, unquoted, in lower case — that is
-- one of their keys, the plain customer id included ("gid://shopify/Customer/77", "MÜLLER-1"), or naming one of
-- their pseudonyms or e-mails as a word (in a comment); a rejected cell (a bad date, an amount: an id cell is never
-- rejected with a value) naming one of their pseudonyms or e-mails.
create or replace temp macro cx_forgotten_reject(value, code, rejected_in) as
    case
        when code like 'csv\_%' escape '\' or code in ('too_many_cells', 'duplicate_row', 'duplicate_customer')
            then coalesce(
                list_has_any(
                    list_transform(
                        string_split(
                            value,
                            if(code = 'too_many_cells', ';', (select delimiter from forget_delimiters where of_import = rejected_in))
                        ),
                        f -> lower(trim(trim(f), '"'))
                    ),
                    (select list(lower(trim(key))) from forget_person)
                ),
                false
            ) or cx_names_person(value)
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
