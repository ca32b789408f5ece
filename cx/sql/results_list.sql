-- What is stored in analysis_results (cx/results.py), without the payloads.
with final as (
    select analysis, args, data_version, settings_version, computed_at, seconds, octet_length(payload) as bytes
    from analysis_results
)
select * from final order by analysis, args
