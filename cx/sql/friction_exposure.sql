-- Friction: sessions per day and device (fr_sessions), the exposure of the error-event scan.
with grouped as (
    select day, device_id, count(*) as n
    from fr_sessions
    group by all
),
final as (
    select g.day, d.value as device, g.n
    from grouped g
    left join (select value, value_id from fr_dims where dim = 'device') d on d.value_id = g.device_id
)
select * from final
