-- Funnel, any-order mode: for each event matching a step (an anchor), the distinct steps done from it to
-- the end of the window (events at the same instant included); a visitor's reached = the most over their
-- anchors, the best anchor the earliest reaching it. t = when the last of those steps was first done
-- (the conversion moment), last_key/last_t = their last step event in that window.
with moments as (
    -- an event matching several steps is several rows with one key: the window's bit_or joins them
    select vid, key, epoch_us(t) as tu, t, g, 1::ubigint << k::ubigint as mask
    from fx_steps
),
counted as (
    select vid, key, t, g,
           bit_count(bit_or(mask) over (partition by vid order by tu
                                        range between current row and $window_us following)) as n
    from moments
),
anchors as (
    select vid, max(n) as reached, arg_max({'key': key, 't': t, 'g': g}, (n, -key)) as a
    from counted
    group by vid
),
firsts as (
    select s.vid, s.k, min(s.t) as first_t, max(s.key) as last_key, max(s.t) as last_t
    from anchors x
    join fx_steps s on s.vid = x.vid and s.t >= x.a.t
                   and s.t <= x.a.t + to_microseconds($window_us)
    group by s.vid, s.k
),
best as (
    select x.vid, x.reached, x.a.key as key, max(f.first_t) as t, x.a.t as t0, x.a.g as g,
           max(f.last_key) as last_key, max(f.last_t) as last_t
    from anchors x
    join firsts f on f.vid = x.vid
    group by x.vid, x.reached, x.a.key, x.a.t, x.a.g
),
final as (
    select v.visitor_id, b.*
    from best b
    join fx_visitors v on v.vid = b.vid
)
select * from final
