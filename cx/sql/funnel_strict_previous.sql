-- Funnel, strict mode: for each moment (visitor, key) of fx_events, the key of the visitor's moment just
-- before it (events sharing a key are one moment).
with moments as (
    select distinct v.vid, e.key
    from fx_events e
    join fx_visitors v on v.visitor_id = e.visitor_id
),
final as (
    select vid, key, lag(key) over (partition by vid order by key) as previous_key
    from moments
)
select * from final
