-- Funnel: a small integer per visitor of fx_events (joins and sorts on it are cheaper than on the text id).
with final as (
    select visitor_id, row_number() over () as vid
    from (select distinct visitor_id from fx_events)
)
select * from final
