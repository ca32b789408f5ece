-- Parcours workspace, schema version 1. Every loaded row keeps the import that brought it.
create sequence if not exists import_ids start 1;

create table if not exists imports (
    import_id integer primary key,
    file_name varchar not null,
    sha256 varchar not null,
    kind varchar not null,
    file_type varchar,
    encoding varchar,
    delimiter varchar,
    sheet varchar,
    mapping json,
    options json,
    rows_read bigint,
    rows_loaded bigint,
    rows_rejected bigint,
    status varchar not null,
    is_demo boolean default false,
    started_at timestamp,
    finished_at timestamp
);

create table if not exists rejects (
    import_id integer not null,
    line bigint,
    "column" varchar,
    value varchar,
    code varchar,
    reason varchar
);

create table if not exists mappings (
    signature varchar primary key,
    kind varchar not null,
    mapping json not null,
    saved_at timestamp
);

create table if not exists events (
    import_id integer not null,
    event_time timestamp not null,
    visitor_id varchar not null,
    event_name varchar not null,
    session_id varchar,
    customer_id varchar,
    page varchar,
    channel varchar,
    device varchar,
    country varchar,
    load_time_ms double,
    revenue double,
    properties json
);

create table if not exists customers (
    import_id integer not null,
    customer_id varchar not null,
    email varchar,
    name varchar,
    first_name varchar,
    last_name varchar,
    signup_date date,
    birth_year integer,
    age integer,
    gender varchar,
    city varchar,
    region varchar,
    country varchar,
    segment varchar,
    acquisition_channel varchar,
    loyalty_member boolean,
    consent boolean,
    lifetime_value double
);

create table if not exists orders (
    import_id integer not null,
    customer_id varchar not null,
    order_time timestamp not null,
    amount double not null,
    order_id varchar,
    status varchar,
    channel varchar,
    items integer,
    payment_method varchar,
    discount double,
    promised_date date,
    delivered_date date,
    return_reason varchar
);

create table if not exists tickets (
    import_id integer not null,
    ticket_id varchar not null,
    channel varchar not null,
    created_at timestamp not null,
    customer_id varchar,
    first_response_at timestamp,
    resolved_at timestamp,
    category varchar,
    severity varchar,
    is_complaint boolean,
    csat double,
    text varchar
);

create table if not exists responses (
    import_id integer not null,
    responded_at timestamp not null,
    response_id varchar,
    customer_id varchar,
    nps double,
    csat double,
    ces double,
    comment varchar,
    touchpoint varchar,
    stage varchar,
    channel varchar,
    language varchar,
    csat_scale integer,
    ces_scale integer,
    ces_higher_is_better boolean
);
