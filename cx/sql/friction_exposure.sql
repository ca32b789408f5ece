-- Friction: sessions per day and device (fr_sessions), the exposure of the error-event scan.
with final as (
    select day, device, count(*) as n
    from fr_sessions
    group by all
)
select * from final
