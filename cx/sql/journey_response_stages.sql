-- The filtered survey responses with their journey stage: 'response_stage' and 'response_touchpoint' rules
-- match the stage or touchpoint column against their pattern (a case-insensitive regular expression; empty =
-- every response), 'response_nps' matches every response with an NPS answer; the enabled rule with the lowest
-- rule_order wins, else stage is null. The response's own stage column is kept as stage_text. Rules are tried
-- once per distinct (stage_text, touchpoint, has an NPS answer). Bound: $rules, $start, $end_excl, $segment.
with rules as (
    select unnest($rules, recursive := true)
),
scoped as (
    /*@staging/scope_responses.sql*/
),
resp as (
    select responded_at, nps, csat, coalesce(csat_scale, 5) as csat_scale, touchpoint, stage as stage_text,
           coalesce(stage, '') as stage_key, coalesce(touchpoint, '') as touchpoint_key,
           nps is not null as has_nps
    from scoped
),
kinds as (
    select distinct stage_text, touchpoint, stage_key, touchpoint_key, has_nps from resp
),
matched as (
    select k.stage_key, k.touchpoint_key, k.has_nps, arg_min(r.stage, r.rule_order) as stage
    from kinds k
    join rules r
      on (r.match_type = 'response_stage'
          and (coalesce(r.pattern, '') = '' or regexp_matches(k.stage_text, '(?i)' || r.pattern)))
      or (r.match_type = 'response_touchpoint'
          and (coalesce(r.pattern, '') = '' or regexp_matches(k.touchpoint, '(?i)' || r.pattern)))
      or (r.match_type = 'response_nps' and k.has_nps)
    group by all
),
final as (
    select s.* exclude (stage_key, touchpoint_key, has_nps), m.stage
    from resp s
    left join matched m using (stage_key, touchpoint_key, has_nps)
)
select * from final
