-- Funnel: the visitors who reached step $step and went no further, with their customer id and the device,
-- channel and country of their last event at that step.
with dropped as (
    select visitor_id, last_t from fx_users where reached = $step
),
at_drop as (
    select d.visitor_id, min(e.device) as device, min(e.channel) as channel, min(e.country) as country
    from dropped d
    join events e on e.visitor_id = d.visitor_id and e.event_time = d.last_t
    group by d.visitor_id
),
final as (
    select d.visitor_id, c.customer_id, $steps[$step] as last_step, d.last_t as dropped_at,
           a.device, a.channel, a.country
    from dropped d
    left join fx_customers c on c.visitor_id = d.visitor_id
    left join at_drop a on a.visitor_id = d.visitor_id
)
select * from final order by dropped_at, visitor_id
