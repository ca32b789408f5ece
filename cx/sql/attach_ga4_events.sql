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
params as (
    select cx_file, cx_row, event_timestamp, event_name, user_id, user_pseudo_id, device, geo, traffic_source,
           collected_traffic_source, session_traffic_source_last_click, ecommerce,
           list_transform(event_params, lambda p: {'key': p.key, 'text': coalesce(p.value.string_value,
               p.value.int_value, p.value.float_value, p.value.double_value)}) as params
    from ga4
),
fields as (
    select cx_file, cx_row, event_timestamp, event_name, user_id, user_pseudo_id, traffic_source,
           list_filter(params, lambda p: p.key = 'ga_session_id')[1].text as ga_session_id,
           list_filter(params, lambda p: p.key = 'page_location')[1].text as page_location,
           list_filter(params, lambda p: p.key = 'currency')[1].text as currency,
           device.category as device_category,
           geo.country as geo_country,
           coalesce(ecommerce.purchase_revenue, case when event_name = 'purchase'
               then list_filter(params, lambda p: p.key = 'value')[1].text end) as purchase_revenue,
           coalesce(
               case when list_filter(params, lambda p: p.key = 'source')[1].text is not null
                      or list_filter(params, lambda p: p.key = 'medium')[1].text is not null
                    then coalesce(list_filter(params, lambda p: p.key = 'source')[1].text, '(not set)') || ' / '
                      || coalesce(list_filter(params, lambda p: p.key = 'medium')[1].text, '(not set)') end,
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
sessions as (
    select *,
           coalesce(
               case when ga_session_id is not null then first(per_event ignore nulls) over (
                   partition by user_pseudo_id, ga_session_id order by cx_file, cx_row
                   rows between unbounded preceding and unbounded following) end,
               per_event,
               case when traffic_source.source is not null or traffic_source.medium is not null
                    then coalesce(traffic_source.source, '(not set)') || ' / '
                      || coalesce(traffic_source.medium, '(not set)') end
           ) as session_source_medium
    from fields
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
