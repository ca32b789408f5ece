-- What users edit that analyses read (stage rules, theme keywords, finding statuses, personas, maturity
-- thresholds and workshops, journey notes): a count and an order-free fingerprint per table, so cached analyses
-- follow every edit whoever writes it (Workspace.settings_version). $tables: the tables whose fingerprint is
-- wanted (null: all); the others are not read (their row says 0, 0: cx.results keeps only the rows it asked for),
-- so a result that does not read the personas does not hash their 200k members.
with final as (
    select 'journey_stage_rules' as settings, count(*) as n, coalesce(sum(hash(t)), 0) as fingerprint
    from journey_stage_rules t
    where $tables is null or list_contains($tables, 'journey_stage_rules')
    union all
    select 'journey_notes', count(*), coalesce(sum(hash(t)), 0) from journey_notes t
    where $tables is null or list_contains($tables, 'journey_notes')
    union all
    select 'theme_keywords', count(*), coalesce(sum(hash(t)), 0) from theme_keywords t
    where $tables is null or list_contains($tables, 'theme_keywords')
    union all
    select 'friction_status', count(*), coalesce(sum(hash(t)), 0) from friction_status t
    where $tables is null or list_contains($tables, 'friction_status')
    union all
    select 'persona_members', count(*), coalesce(sum(hash(t)), 0) from persona_members t
    where $tables is null or list_contains($tables, 'persona_members')
    union all
    select 'persona_names', count(*), coalesce(sum(hash(t)), 0) from persona_names t
    where $tables is null or list_contains($tables, 'persona_names')
    union all
    select 'maturity_thresholds', count(*), coalesce(sum(hash(t)), 0) from maturity_thresholds t
    where $tables is null or list_contains($tables, 'maturity_thresholds')
    union all
    select 'maturity_workshops', count(*), coalesce(sum(hash(t)), 0) from maturity_workshops t
    where $tables is null or list_contains($tables, 'maturity_workshops')
    union all
    select 'maturity_answers', count(*), coalesce(sum(hash(t)), 0) from maturity_answers t
    where $tables is null or list_contains($tables, 'maturity_answers')
)
select * from final order by settings
