-- Friction: the filtered web events with their session key (journey_session_keys.sql), read once, with integer
-- ids in place of texts: the visitor's (a hash, as the session's; fr_visitor_ids spells it out when a download
-- needs it), the event name's (fr_names, with its name_bit and page_view flag), the page path's (fr_paths), the
-- device's, channel's and country's (fr_dims). Only what the sessions (friction_sessions.sql) and the event-level
-- detectors read, so that the 5M-event table stays narrow. The customer filters ($segment, $persona) keep the
-- events of the visitors in scope (fr_visitors, friction_visitors.sql; the list is empty without them, so the test
-- costs nothing then).
-- priced_revenue: the revenue of an event whose currency is known (its own, else its import's, as in
-- currency_scope.sql), so the value of a conversion can leave out revenue of no currency (friction_value.sql).
-- Kept in fr_keyed.
-- Bound: $start, $end_excl, $device, $channel, $segment, $persona, $gap_seconds, $split.
with session_input as not materialized (  -- read by the two branches of the session keys: not copied first
    select e.event_time, e.visitor_id, e.session_id, e.device, e.channel, e.load_time_ms, e.revenue, n.name_id,
           n.name_bit, n.page_view, p.path_id, d.value_id as device_id, c.value_id as channel_id,
           k.value_id as country_id,
           case when e.revenue is not null
                     and (nullif(trim(e.currency), '') is not null
                          or e.import_id in (select import_id from imports where nullif(trim(currency), '') is not null))
                then e.revenue end as priced_revenue
    from events e
    join fr_names n on n.event_name = e.event_name
    left join fr_paths p on p.page = e.page
    left join (select value, value_id from fr_dims where dim = 'device') d on d.value = e.device
    left join (select value, value_id from fr_dims where dim = 'channel') c on c.value = e.channel
    left join (select value, value_id from fr_dims where dim = 'country') k on k.value = e.country
),
keyed as (
    /*@journey_session_keys.sql*/
),
final as (
    select hash(visitor_id, session_id, session_no) as session_key,  -- a 64-bit key: joins and groups on integers
           hash(visitor_id) as visitor_key,  -- the visitor as a 64-bit key too: no text is copied per event
           event_time, name_id, name_bit, page_view, device_id, channel_id, country_id, load_time_ms, revenue,
           priced_revenue, path_id
    from keyed
    where ($segment is null and $persona is null)
       or visitor_id in (select visitor_id from fr_visitors
                         where in_scope and ($segment is not null or $persona is not null))
)
select * from final
