-- Support KPIs of the journey map, one row per period (current = created_at from $split on). Resolution time
-- is the median of resolved_at − created_at in hours over the resolved tickets; a satisfied ticket has a csat in
-- the top 2 boxes of the scale (1–5 unless the data goes higher: 1–7 or 1–10; top box only on a 3-point scale).
-- Segment: through customer_id (tickets with no customer drop out when a segment is chosen). Under a device /
-- channel filter, the tickets of the customers seen in matching web events of the same period, as on the Support
-- page. The complaint rate of each period (complaint_rate, complaint_rate_reason, rated_complaints, rated_orders)
-- is the one definition the Support page shows too, staging/complaint_rate.sql. Bound: $start, $end_excl, $split, $segment, $persona, $device, $channel.
with scale as (
    select case when max(csat) <= 3 then 3 when max(csat) <= 5 then 5 when max(csat) <= 7 then 7 else 10 end
               as top
    from tickets
),
rate as (
    /*@staging/complaint_rate.sql*/
),
tick as (  -- under a device / channel filter, the tickets of the customers seen in matching web events
    select created_at, resolved_at, is_complaint, csat, current
    from (/*@staging/seen_tickets.sql*/)
),
counts as (
    select current,
           count(*) as tickets,
           count(*) filter (where is_complaint) as complaints,
           count(*) filter (where resolved_at >= created_at) as resolved,
           median(epoch(resolved_at - created_at) / 3600.0) filter (where resolved_at >= created_at)
               as resolution_hours,
           count(csat) as csat_n,
           count(*) filter (where csat >= (select case when top <= 3 then top else top - 1 end from scale))
               as csat_satisfied
    from tick
    group by current
),
final as (  -- one row per period of the rate, a period without tickets counting none (its rate may be 0 %)
    select r.current, coalesce(c.tickets, 0) as tickets, coalesce(c.complaints, 0) as complaints,
           coalesce(c.resolved, 0) as resolved, c.resolution_hours, coalesce(c.csat_n, 0) as csat_n,
           coalesce(c.csat_satisfied, 0) as csat_satisfied,
           r.rate as complaint_rate, r.reason as complaint_rate_reason, r.rated_complaints, r.orders as rated_orders
    from rate r
    left join counts c using (current)
)
select * from final
