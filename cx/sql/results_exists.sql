-- Whether a result is stored for one analysis call and the current data and settings versions (cx/results.py),
-- without reading its payload.
with final as (
    select count(*) as stored
    from analysis_results
    where analysis = $analysis and args_key = $args_key
      and data_version = $data_version and settings_version = $settings_version
)
select * from final
