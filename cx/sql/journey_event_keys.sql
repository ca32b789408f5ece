-- The journey stage of each distinct (event name, page) of the filtered web events: the enabled rule with the
-- lowest rule_order that matches, else null (no rule matches). Rules come bound as $rules (a list of
-- {rule_order, match_type, pattern, stage} of enabled rules), so an edited rule table applies at once, with no
-- re-import. Names and page patterns are compared lower-case; list rules hold comma-separated alternatives.
-- page_key is coalesce(page, '') (a join key); path is the page without scheme, host, query or trailing slash.
-- Bound: $rules, $start, $end_excl, $device, $channel.
with rules as (
    select unnest($rules, recursive := true)
),
alternatives as (
    select rule_order, match_type, stage,
           case when match_type = 'page_regex' then [coalesce(pattern, '')]
                else list_filter(list_transform(string_split(lower(coalesce(pattern, '')), ','),
                                                lambda x: trim(x)), lambda x: x <> '')
           end as alts
    from rules
    where match_type in ('event', 'page_equals', 'page_prefix', 'page_contains', 'page_regex')
),
event_rules as (
    select rule_order, match_type, stage, alt,
           coalesce(nullif(rtrim(alt, '/'), ''), '/') as alt_path
    from (select *, unnest(alts) as alt from alternatives)
),
keys as (
    select event_name, coalesce(page, '') as page_key, count(*) as events
    from events
    where ($start is null or event_time >= $start) and ($end_excl is null or event_time < $end_excl)
      and ($device is null or device = $device) and ($channel is null or channel = $channel)
    group by all
),
paths as (
    select *,
           lower(event_name) as name_lower,
           case when page_key <> '' then
               coalesce(nullif(rtrim(regexp_replace(regexp_replace(lower(page_key), '^[a-z][a-z0-9+.-]*://[^/]*', ''),
                                                    '[?#].*$', ''), '/'), ''), '/')
           end as path
    from keys
),
matched as (
    select p.event_name, p.page_key, min(r.rule_order) as rule_order, arg_min(r.stage, r.rule_order) as stage
    from paths p
    join event_rules r
      on (r.match_type = 'event' and p.name_lower = r.alt)
      or (r.match_type = 'page_equals' and p.path = r.alt_path)
      or (r.match_type = 'page_prefix' and starts_with(p.path, r.alt))
      or (r.match_type = 'page_contains' and contains(p.path, r.alt))
      or (r.match_type = 'page_regex' and regexp_matches(p.path, '(?i)' || r.alt))
    group by all
),
final as (
    select p.event_name, p.page_key, p.path, m.stage, m.rule_order, p.events
    from paths p
    left join matched m on m.event_name = p.event_name and m.page_key = p.page_key
)
select * from final
