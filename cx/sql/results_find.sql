-- The stored result of one analysis call for the current data and settings versions (cx/results.py): its payload
-- and signature, checked before it is read.
with final as (
    select payload, signature
    from analysis_results
    where analysis = $analysis and args_key = $args_key
      and data_version = $data_version and settings_version = $settings_version
)
select * from final
