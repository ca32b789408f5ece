-- The filtered support tickets with their journey stage: 'ticket_category' rules match the category against
-- their pattern (a case-insensitive regular expression; empty = every ticket); the enabled rule with the lowest
-- rule_order wins, else stage is null. Rules are tried once per distinct category.
-- Bound: $rules, $start, $end_excl, $segment.
with rules as (
    select unnest($rules, recursive := true)
),
scoped as (
    /*@staging/scope_tickets.sql*/
),
tick as (
    select ticket_id, channel, category, coalesce(category, '') as category_key, created_at, resolved_at,
           is_complaint, csat
    from scoped
),
kinds as (
    select distinct category, category_key from tick
),
matched as (
    select k.category_key, arg_min(r.stage, r.rule_order) as stage
    from kinds k
    join rules r
      on r.match_type = 'ticket_category'
     and (coalesce(r.pattern, '') = '' or regexp_matches(k.category, '(?i)' || r.pattern))
    group by k.category_key
),
final as (
    select t.* exclude (category_key), m.stage
    from tick t
    left join matched m using (category_key)
)
select * from final
