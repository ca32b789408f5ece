-- Attached events (cx/attach.py): the rows of a GA4 BigQuery export, read in place from its Parquet files, as
-- rows of `events`, with the same values an import of the same files gives (cx/ingest/vendors.py stage_ga4,
-- the GA4 preset of cx/schema.py, cx/ingest/convert.py): µs UTC timestamps in the workspace's local time, the
-- session's source / medium (the first one the session's events carry, in file order), e-mails used as ids
-- pseudonymised, the rows an import would reject left out. `ga4` is the export's rows with the fields used, cast
-- to one fixed shape (cx.attach.source_sql); {import_id} and {timezone} are literals written in by cx.attach
-- (a view binds no parameter).
with ga4 as (
    /*source*/
),
picked as (
    -- each param used, picked once (the import turns every param into text, then looks keys up)
    select cx_row, event_timestamp, event_name, user_id, user_pseudo_id, device, geo, traffic_source,
           collected_traffic_source, session_traffic_source_last_click, ecommerce,
           list_filter(event_params, lambda p: p.key = 'ga_session_id')[1].value as p_session,
           list_filter(event_params, lambda p: p.key = 'page_location')[1].value as p_page,
           list_filter(event_params, lambda p: p.key = 'currency')[1].value as p_currency,
           list_filter(event_params, lambda p: p.key = 'value')[1].value as p_value,
           list_filter(event_params, lambda p: p.key = 'source')[1].value as p_source,
           list_filter(event_params, lambda p: p.key = 'medium')[1].value as p_medium
    from ga4
),
params as (
    select * exclude (p_session, p_page, p_currency, p_value, p_source, p_medium),
           coalesce(p_session.string_value, p_session.int_value, p_session.float_value, p_session.double_value)
               as ga_session_id,
           coalesce(p_page.string_value, p_page.int_value, p_page.float_value, p_page.double_value) as page_location,
           coalesce(p_currency.string_value, p_currency.int_value, p_currency.float_value, p_currency.double_value)
               as currency,
           coalesce(p_value.string_value, p_value.int_value, p_value.float_value, p_value.double_value) as value_param,
           coalesce(p_source.string_value, p_source.int_value, p_source.float_value, p_source.double_value)
               as source_param,
           coalesce(p_medium.string_value, p_medium.int_value, p_medium.float_value, p_medium.double_value)
               as medium_param
    from picked
),
fields as not materialized (
    select cx_row, event_timestamp, event_name, user_id, user_pseudo_id, traffic_source, ga_session_id,
           page_location, currency,
           device.category as device_category,
           geo.country as geo_country,
           coalesce(ecommerce.purchase_revenue, case when event_name = 'purchase' then value_param end)
               as purchase_revenue,
           coalesce(
               case when source_param is not null or medium_param is not null
                    then coalesce(source_param, '(not set)') || ' / ' || coalesce(medium_param, '(not set)') end,
               case when session_traffic_source_last_click.manual_campaign.source is not null
                      or session_traffic_source_last_click.manual_campaign.medium is not null
                    then coalesce(session_traffic_source_last_click.manual_campaign.source, '(not set)') || ' / '
                      || coalesce(session_traffic_source_last_click.manual_campaign.medium, '(not set)') end,
               case when collected_traffic_source.manual_source is not null
                      or collected_traffic_source.manual_medium is not null
                    then coalesce(collected_traffic_source.manual_source, '(not set)') || ' / '
                      || coalesce(collected_traffic_source.manual_medium, '(not set)') end
           ) as per_event
    from params
),
-- the first source / medium of each session, in file order (as an import takes it); an aggregate and a join,
-- cheaper than the window function the import uses
session_sources as (
    -- arg_min skips the rows whose per_event is null (a `where` here is pushed into the scan and costs 6x)
    select user_pseudo_id, ga_session_id, arg_min(per_event, cx_row) as first_source
    from fields
    group by user_pseudo_id, ga_session_id
),
sessions as (
    select f.*,
           coalesce(
               case when f.ga_session_id is not null then s.first_source end,
               f.per_event,
               case when f.traffic_source.source is not null or f.traffic_source.medium is not null
                    then coalesce(f.traffic_source.source, '(not set)') || ' / '
                      || coalesce(f.traffic_source.medium, '(not set)') end
           ) as session_source_medium
    from fields f
    left join session_sources s
      on s.user_pseudo_id is not distinct from f.user_pseudo_id and s.ga_session_id = f.ga_session_id
),
texts as (
    select nullif(trim(event_timestamp), '') as t_time,
           nullif(trim(event_name), '') as t_name,
           nullif(trim(user_pseudo_id), '') as t_visitor,
           nullif(trim(user_id), '') as t_customer,
           nullif(trim(ga_session_id), '') as t_session,
           nullif(trim(page_location), '') as t_page,
           nullif(trim(session_source_medium), '') as t_channel,
           nullif(trim(device_category), '') as t_device,
           nullif(trim(geo_country), '') as t_country,
           nullif(trim(purchase_revenue), '') as t_revenue,
           nullif(trim(currency), '') as t_currency
    from sessions
),
parsed as (
    select *,
           case when length(t_time) = 16 then timezone({timezone}, make_timestamptz(try_cast(t_time as bigint)))
                when length(t_time) = 13 then timezone({timezone}, make_timestamptz(try_cast(t_time as bigint) * 1000))
                when length(t_time) = 10
                    then timezone({timezone}, make_timestamptz(try_cast(t_time as bigint) * 1000000)) end as v_time,
           case when contains(t_visitor, '@') then cx_pseudonymise(t_visitor) else t_visitor end as v_visitor,
           case when contains(t_customer, '@') then cx_pseudonymise(t_customer) else t_customer end as v_customer,
           try_cast(t_revenue as double) as v_revenue
    from texts
),
final as (
    select {import_id}::integer as import_id,
           v_time as event_time,
           coalesce(v_visitor, v_customer) as visitor_id,
           t_name as event_name,
           t_session as session_id,
           v_customer as customer_id,
           t_page as page,
           t_channel as channel,
           t_device as device,
           t_country as country,
           null::double as load_time_ms,
           v_revenue as revenue,
           null::json as properties,
           case when regexp_matches(t_currency, '^[A-Za-z]{3}$') then upper(t_currency) end as currency
    from parsed
    where v_time is not null and year(v_time) between 1970 and 2100
      and t_name is not null
      and coalesce(t_visitor, t_customer) is not null
      and (t_revenue is null or (v_revenue is not null and not isnan(v_revenue) and not isinf(v_revenue)
           and abs(v_revenue) <= 1e12))
)
select * from final
