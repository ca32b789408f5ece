-- The answers or tickets of import $id that an earlier import loaded too (the same id and date: the same survey as CSV
-- then XLSX, a helpdesk's export of the next week), and those imports ("3, 5"): the pages read this import's
-- (staging/linked_responses.sql, staging/linked_tickets.sql). Bound: $id.
with again as (
    select n.rowid as row_key, e.import_id as earlier
    from responses n join responses e
      on e.response_id = n.response_id and e.responded_at = n.responded_at and e.import_id < n.import_id
    where n.import_id = $id
    union all
    select n.rowid, e.import_id
    from tickets n join tickets e
      on e.ticket_id = n.ticket_id and e.created_at = n.created_at and e.import_id < n.import_id
    where n.import_id = $id
),
final as (
    select count(distinct row_key) as n, string_agg(distinct earlier::varchar, ', ' order by earlier::varchar) as imports
    from again
)
select * from final
