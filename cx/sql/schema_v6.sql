-- Maturity (issue 7): editable level criteria/thresholds, workshop questionnaire answers. Owned by the maturity work; idempotent statements.
-- The default criteria ship in cx/maturity_criteria.json; a row here overrides the threshold (and the
-- comparison) of one criterion, by its key.
create table if not exists maturity_thresholds (
    criterion varchar primary key,
    comparison varchar not null,
    threshold double not null,
    edited_at timestamp
);

create table if not exists maturity_workshops (
    workshop_id integer primary key,
    name varchar not null,
    held_on date not null,
    saved_at timestamp
);

create table if not exists maturity_answers (
    workshop_id integer not null,
    question varchar not null,
    answer integer not null,
    primary key (workshop_id, question)
);
