-- Funnel, ordered and strict modes: seconds from step k-1 to step k at each visitor's first arrival at k.
with firsts as (
    select vid, k, arg_min(epoch(t - tprev), key) as seconds
    from fx_levels
    group by vid, k
),
final as (
    select k, median(seconds) as median_s, quantile_cont(seconds, 0.9) as p90_s
    from firsts
    group by k
)
select * from final
