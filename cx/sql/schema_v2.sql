-- Journey (issue 3): stage rules, workshop notes. Owned by the journey work; keep statements idempotent.

-- Which journey stage an event, order, ticket or survey response belongs to. Rules are tried by rule_order
-- (lowest first) and the first enabled rule that matches wins; they are read at query time, so editing a rule
-- needs no re-import. match_type and pattern are described in cx/journey.py (MATCH_TYPES). Seeded with the
-- FR/EN defaults on first use (cx_meta key 'journey_rules_seeded').
create table if not exists journey_stage_rules (
    rule_order integer not null,
    match_type varchar not null,
    pattern varchar,
    stage varchar not null,
    enabled boolean not null default true
);

-- What a workshop wrote about each stage of the journey map.
create table if not exists journey_notes (
    stage varchar primary key,
    note varchar not null,
    updated_at timestamp
);
