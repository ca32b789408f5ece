-- Funnel, ordered mode, level $k (≥ 2): each step-$k event continues the attempt of the nearest earlier
-- row of level $k - 1 (level 1: the step-1 events; higher levels: fx_levels, which keeps only rows inside
-- their window). That row carries the latest start possible for an attempt reaching this event, so the
-- event is reached within the window exactly when it is reached from it: t <= t0 + window.
with step_k as (
    select * from fx_steps where k = $k
),
previous as (
    select vid, key, t, t as t0, g from fx_steps where k = 1 and $k = 2
    union all
    select vid, key, t, t0, g from fx_levels where k = $k - 1
),
final as (
    select e.vid, e.k, e.key, e.t, p.t0, p.g, p.t as tprev
    from step_k e
    asof join previous p on p.vid = e.vid and p.key < e.key
    where e.t <= p.t0 + to_microseconds($window_us)
)
select * from final
