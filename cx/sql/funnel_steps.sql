-- Funnel: one row per (event, step it matches) from fx_events, the visitor as its integer vid.
with final as (
    select v.vid, unnest(e.ks) as k, e.key, e.t, e.g
    from fx_events e
    join fx_visitors v on v.visitor_id = e.visitor_id
    where len(e.ks) > 0
)
select * from final
