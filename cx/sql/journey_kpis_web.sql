-- Web KPIs of the journey map: one row per period, current = true for the sessions from $split on, false for
-- the previous period [$start, $split). Sessions come from journey_session_keys.sql, stages from
-- journey_event_keys.sql. A session is engaged when it lasts at least $engaged_seconds, has two page views or
-- more, or a purchase (GA4's definition); bounced when it has at most one page view. A visitor is new when
-- their first event in the whole log (any device or channel) falls in the period: nothing before it.
-- Stages and event roles travel as bits (one per stage, one per role) so a session keeps them in one bit_or.
-- Bound: $rules, $start, $end_excl, $device, $channel, $gap_seconds, $split, $engaged_seconds and the
-- lower-case event names of each role: $page_view_events, $product_view_events, $cart_events,
-- $checkout_events, $payment_info_events, $payment_error_events, $purchase_events, $lead_events,
-- $ad_impression_events, $ad_click_events.
with stage_of as (
    /*@journey_event_keys.sql*/
),
coded as (
    select event_name, page_key,
           case stage when 'awareness' then 1 when 'consideration' then 2 when 'purchase' then 4
                      when 'retention' then 8 when 'advocacy' then 16 else 0 end as stage_bit,
           case when list_contains($page_view_events, lower(event_name)) then 1
                when list_contains($product_view_events, lower(event_name)) then 2
                when list_contains($cart_events, lower(event_name)) then 4
                when list_contains($checkout_events, lower(event_name)) then 8
                when list_contains($payment_info_events, lower(event_name)) then 16
                when list_contains($payment_error_events, lower(event_name)) then 32
                when list_contains($purchase_events, lower(event_name)) then 64
                when list_contains($lead_events, lower(event_name)) then 128
                when list_contains($ad_impression_events, lower(event_name)) then 256
                when list_contains($ad_click_events, lower(event_name)) then 512
                else 0 end as role_bit
    from stage_of
),
session_input as not materialized (
    -- the stage and role travel as two small integers: the sessionising sort carries no text but the visitor
    select e.event_time, e.visitor_id, e.session_id, e.device, e.channel, c.stage_bit, c.role_bit
    from events e
    join coded c on c.event_name = e.event_name and c.page_key = coalesce(e.page, '')
),
keyed as (
    /*@journey_session_keys.sql*/
),
sessions as (
    -- grouped on 64-bit hashes of the visitor and of the session (visitor_id, session_id, session_no), as the
    -- findings do: integers group several times faster than the text ids (a collision among a million sessions
    -- has a chance of about 1 in 10^8)
    select any_value(visitor_key) as visitor_key, current,
           epoch(max(event_time) - min(event_time)) as duration_s,
           count(*) filter (where role_bit = 1) as page_views,
           count(*) filter (where role_bit = 256) as ad_impressions,
           count(*) filter (where role_bit = 512) as ad_clicks,
           count(*) filter (where stage_bit = 16) as advocacy_events,
           bit_or(role_bit) as roles,
           bit_or(stage_bit) as stages
    from (select *, hash(visitor_id) as visitor_key, hash(visitor_id, session_id, session_no) as session_key
          from keyed)
    group by session_key, current
),
session_totals as (
    select current,
           count(*) as sessions,
           sum(page_views) as page_views,
           count(*) filter (where page_views <= 1) as bounced_sessions,
           sum(duration_s) as duration_s,
           count(*) filter (where duration_s >= $engaged_seconds or page_views >= 2 or roles & 64 <> 0)
               as engaged_sessions,
           count(*) filter (where roles & 2 <> 0) as product_view_sessions,
           count(*) filter (where roles & 6 = 6) as product_cart_sessions,
           count(*) filter (where roles & 4 <> 0) as cart_sessions,
           count(*) filter (where roles & 68 = 68) as cart_purchase_sessions,
           count(*) filter (where roles & 8 <> 0) as checkout_sessions,
           count(*) filter (where roles & 72 = 72) as checkout_purchase_sessions,
           -- a payment attempt: payment info, an error or a purchase (a purchase is a payment that went through)
           count(*) filter (where roles & 112 <> 0) as payment_sessions,
           count(*) filter (where roles & 80 <> 0) as paid_or_info_sessions,
           count(*) filter (where roles & 32 <> 0) as payment_error_sessions,
           sum(ad_impressions) as ad_impressions,
           sum(ad_clicks) as ad_clicks,
           sum(advocacy_events) as advocacy_events
    from sessions
    group by current
),
visitors as (
    select visitor_key, current, bit_or(roles) as roles, bit_or(stages) as stages
    from sessions
    group by visitor_key, current
),
seen_before as (  -- visitors with an event (any device or channel) before the current period, and their first
    select hash(visitor_id) as visitor_key, min(event_time) as first_time
    from events
    where event_time < coalesce($split, $start)
    group by visitor_key
),
visitor_totals as (
    select v.current,
           count(*) as visitors,
           count(*) filter (where f.first_time is null or (not v.current and f.first_time >= $start))
               as new_visitors,
           count(*) filter (where v.roles & 64 <> 0) as purchase_visitors,
           count(*) filter (where v.roles & 128 <> 0) as lead_visitors,
           count(*) filter (where v.stages & 1 <> 0) as awareness_visitors,
           count(*) filter (where v.stages & 2 <> 0) as consideration_visitors,
           count(*) filter (where v.stages & 4 <> 0) as purchase_stage_visitors,
           count(*) filter (where v.stages & 8 <> 0) as retention_visitors,
           count(*) filter (where v.stages & 16 <> 0) as advocacy_visitors
    from visitors v
    left join seen_before f on f.visitor_key = v.visitor_key
    group by v.current
),
final as (
    select *
    from session_totals
    join visitor_totals using (current)
)
select * from final
