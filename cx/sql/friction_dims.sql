-- Friction: every device, channel and country of the web events with a small integer id per dimension (1, 2, …
-- in value order): fr_keyed carries the ids rather than the texts (a narrower table, integer groupings), and the
-- sessions spell them out again. Kept in fr_dims.
with devices as (
    select distinct device as value from events where device is not null
),
channels as (
    select distinct channel as value from events where channel is not null
),
countries as (
    select distinct country as value from events where country is not null
),
final as (
    select 'device' as dim, value, (row_number() over (order by value))::integer as value_id from devices
    union all
    select 'channel', value, (row_number() over (order by value))::integer from channels
    union all
    select 'country', value, (row_number() over (order by value))::integer from countries
)
select * from final
