-- What users edit that analyses read (stage rules, theme keywords, finding statuses, personas, maturity
-- thresholds and workshops, journey notes): a count and an order-free fingerprint per table, so cached analyses
-- follow every edit whoever writes it (Workspace.settings_version).
with final as (
    select 'journey_stage_rules' as settings, count(*) as n, coalesce(sum(hash(t)), 0) as fingerprint
    from journey_stage_rules t
    union all
    select 'journey_notes', count(*), coalesce(sum(hash(t)), 0) from journey_notes t
    union all
    select 'theme_keywords', count(*), coalesce(sum(hash(t)), 0) from theme_keywords t
    union all
    select 'friction_status', count(*), coalesce(sum(hash(t)), 0) from friction_status t
    union all
    select 'persona_members', count(*), coalesce(sum(hash(t)), 0) from persona_members t
    union all
    select 'persona_names', count(*), coalesce(sum(hash(t)), 0) from persona_names t
    union all
    select 'maturity_thresholds', count(*), coalesce(sum(hash(t)), 0) from maturity_thresholds t
    union all
    select 'maturity_workshops', count(*), coalesce(sum(hash(t)), 0) from maturity_workshops t
    union all
    select 'maturity_answers', count(*), coalesce(sum(hash(t)), 0) from maturity_answers t
)
select * from final order by settings
