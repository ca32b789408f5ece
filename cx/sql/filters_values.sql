-- Global filters (cx/filters.py): the values present in each filter dimension (device and channel of the web
-- events, segment of any CRM row), each once.
with present as (
    select distinct 'device' as dimension, device as value from events where device is not null
    union all
    select distinct 'channel', channel from events where channel is not null
    union all
    select distinct 'segment', segment from customers where segment is not null
),
final as (
    select dimension, value from present
)
select * from final order by dimension, value
