-- Tickets per channel group: first-reply and resolution times (median, p90) against the expected reply time,
-- share replied within it, resolution rate (null when no ticket in scope has a resolution time), complaints,
-- ticket CSAT (top-2-box on 1–5, and the mean).
with ticket as (
    /*@support_tickets.sql*/
),
final as (
    select channel_group, any_value(expected_label) as expected_label,
           any_value(expected_min_minutes) as expected_min_minutes,
           any_value(expected_max_minutes) as expected_max_minutes,
           any_value(expected_max_included) as expected_max_included,
           count(*) as tickets,
           count(first_response_minutes) as answered,
           quantile_cont(first_response_minutes, 0.5) as first_response_median_minutes,
           quantile_cont(first_response_minutes, 0.9) as first_response_p90_minutes,
           avg(within_expected::int) as within_expected_share,
           -- none of the tickets in scope says when (or whether) it was resolved: not 0 %, not known
           case when sum(count(*) filter (where resolved)) over () > 0 then count(*) filter (where resolved) / count(*) end
               as resolution_rate,
           quantile_cont(resolution_hours, 0.5) as resolution_median_hours,
           quantile_cont(resolution_hours, 0.9) as resolution_p90_hours,
           count(*) filter (where is_complaint) as complaints,
           count(csat) as csat_n,
           100 * count(*) filter (where csat >= 4) / nullif(count(csat), 0) as csat,
           avg(csat) as csat_mean
    from ticket
    group by channel_group
)
select * from final
