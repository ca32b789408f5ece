-- Funnel: time to convert (seconds from the start of the best attempt to the last step) of the visitors
-- who reached the last step ($n): count, median, p90 and a histogram on readable bounds ($edges, seconds).
with converted as (
    select epoch(t - t0) as seconds
    from fx_users
    where reached = $n
),
buckets as (
    select b as bucket, count(c.seconds) as users
    from range(0, len($edges) + 1) r(b)
    left join converted c
      on (b = 0 or c.seconds >= $edges[b]) and (b = len($edges) or c.seconds < $edges[b + 1])
    group by b
),
final as (
    select b.bucket, b.users,
           (select count(*) from converted) as converted,
           (select median(seconds) from converted) as median_s,
           (select quantile_cont(seconds, 0.9) from converted) as p90_s
    from buckets b
)
select * from final order by bucket
