-- One row per support ticket kept by the global filters (period on created_at; segment through the customer;
-- device / channel: customers seen in matching web events), with its channel group and expected first-reply
-- time (cx.support.EXPECTED_RESPONSE, bound as $exp_*), its times, and whether the complaint is a recurrence:
-- the same customer complained in the same category in the $recurrence_days before (any date, even before the period).
with seen as (  -- customers seen on the web in the period under the device / channel filters; read only under
    -- one of them: without, it is empty and the events are not scanned (at 5M events, ~0.2 CPU-s a query)
    select * from (/*@staging/seen_customers.sql*/) where $device is not null or $channel is not null
),
expected as (
    select unnest($exp_channel) as channel_group, unnest($exp_pattern) as pattern,
           unnest($exp_min_minutes) as min_minutes, unnest($exp_max_minutes) as max_minutes,
           unnest($exp_label) as expected_label, unnest($exp_max_included) as max_included,
           generate_subscripts($exp_channel, 1) as rank
),
linked as (
    /*@staging/linked_tickets.sql*/
),
history as (  -- every complaint, to find recurrences
    select record_key as ticket_key, customer_id, coalesce(category, '') as category, created_at,
           lag(created_at) over (partition by customer_id, coalesce(category, '') order by created_at, record_key)
               as previous_complaint_at
    from linked
    where coalesce(is_complaint, false) and customer_id is not null
),
scoped as (
    /*@staging/scope_tickets.sql*/
),
ticket as (
    select record_key as ticket_key, * exclude (record_key)
    from scoped
    where ($device is null and $channel is null) or customer_id in (select customer_id from seen)
),
matched as (  -- per distinct channel, not per ticket: a pattern bound as a value is compiled at each row it meets
    -- (120k tickets × 4 patterns: ~12 CPU-s; a few distinct channels: milliseconds)
    select c.channel, e.channel_group, e.min_minutes, e.max_minutes, e.max_included, e.expected_label
    from (select distinct channel from ticket) c
    join expected e on regexp_matches(lower(c.channel), e.pattern)
    qualify row_number() over (partition by c.channel order by e.rank) = 1
),
final as (
    select t.ticket_key, t.ticket_id, t.channel, coalesce(m.channel_group, t.channel) as channel_group,
           t.created_at, t.customer_id, t.category, t.severity,
           coalesce(t.is_complaint, false) as is_complaint, t.csat, t.text,
           epoch(t.first_response_at - t.created_at) / 60 as first_response_minutes,
           epoch(t.resolved_at - t.created_at) / 3600 as resolution_hours,
           t.resolved_at is not null as resolved,
           m.min_minutes as expected_min_minutes, m.max_minutes as expected_max_minutes,
           m.max_included as expected_max_included, m.expected_label,
           case when t.first_response_at is null or m.max_minutes is null then null
                when m.max_included then epoch(t.first_response_at - t.created_at) / 60 <= m.max_minutes
                else epoch(t.first_response_at - t.created_at) / 60 < m.max_minutes end as within_expected,
           coalesce(h.previous_complaint_at is not null
                    and h.created_at - h.previous_complaint_at <= to_days($recurrence_days), false) as recurrent
    from ticket t
    left join matched m on m.channel = t.channel
    left join history h on h.ticket_key = t.ticket_key
)
select * from final
