-- The complaint rate of the Support page (its period and filters): the one definition,
-- staging/complaint_rate.sql, that the journey's retention stage and the report also read.
-- Bound: $start, $end_excl, $split (null: the whole period), $segment, $persona, $device, $channel.
with rate as (
    /*@staging/complaint_rate.sql*/
),
final as (
    select * exclude (current)
    from rate
    where current
)
select * from final
