-- Staging: the tickets in scope (staging/scope_tickets.sql: every column, record_key) with their period (current:
-- opened from $split on; every ticket when $split is null), and under a device / channel filter only those of the
-- customers seen in matching web events of the same period (staging/seen_customers.sql), as the Support page
-- counts them. Bound: $start, $end_excl, $split, $segment, $persona, $device, $channel.
with scoped as (
    /*@staging/scope_tickets.sql*/
),
seen as (  -- read only under a device / channel filter
    select distinct customer_id, ($split is null or event_time >= $split) as current
    from (/*@staging/seen_customers.sql*/)
    where $device is not null or $channel is not null
),
final as (
    select t.*, ($split is null or t.created_at >= $split) as current
    from scoped t
    where ($device is null and $channel is null)
       or exists (select 1 from seen s
                  where s.customer_id = t.customer_id and s.current = ($split is null or t.created_at >= $split))
)
select * from final
