-- Funnel, strict mode, level $k (≥ 2): a step-$k event continues an attempt only when the visitor's moment
-- just before it is a row of level $k - 1 (level 1: the step-1 events) inside its window.
with step_k as (
    select * from fx_steps where k = $k
),
previous as (
    select vid, key, t, t as t0, g from fx_steps where k = 1 and $k = 2
    union all
    select vid, key, t, t0, g from fx_levels where k = $k - 1
),
final as (
    select e.vid, e.k, e.key, e.t, max(p.t0) as t0, arg_max_null(p.g, p.t0) as g, max(p.t) as tprev
    from step_k e
    join fx_previous x on x.vid = e.vid and x.key = e.key
    join previous p on p.vid = e.vid and p.key = x.previous_key
    where e.t <= p.t0 + to_microseconds($window_us)
    group by e.vid, e.k, e.key, e.t
)
select * from final
