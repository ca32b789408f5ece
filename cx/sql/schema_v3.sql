-- Voice of the customer (issue 4): user-added theme keywords. Owned by the voice work; idempotent statements.
create table if not exists theme_keywords (
    theme varchar not null,
    keyword varchar not null,
    language varchar,
    added_at timestamp,
    primary key (theme, keyword)
);
