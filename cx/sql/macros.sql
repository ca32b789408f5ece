-- SQL helpers every analysis may use; recreated each time a workspace opens (they hold no data).

-- Is this customer in the scope of the global filters? Segment: the CRM segment of the customer's latest
-- import; persona: the stored persona membership (cx.personas). A null segment / persona keeps everyone.
create or replace macro cx_customer_in_scope(cid, seg, per) as
    (seg is null or cid in (
        select customer_id from (/*@staging/latest_customers.sql*/) where segment = seg))
    and (per is null or cid in (select customer_id from persona_members where persona_id = per));

-- The data's "as of" instant: the latest order, web event, survey answer or ticket of the workspace (null when
-- none). Recency, churn, running periods and the default end of a period are measured from it, never from the
-- clock: an export from 2008 is read as of 2008 (cx/asof.py).
create or replace macro cx_as_of() as (
    select max(t) from (
        select max(order_time) as t from orders
        union all select max(event_time) from events
        union all select max(responded_at) from responses
        union all select max(created_at) from tickets));

-- The age band of an age in years: 18-24 (any age under 25), 25-34, 35-44, 45-54, 55-64, 65+; null when unknown
-- or outside 0–120.
create or replace macro cx_age_band(age) as
    case when age is null or age < 0 or age > 120 then null
         when age < 25 then '18-24' when age < 35 then '25-34' when age < 45 then '35-44'
         when age < 55 then '45-54' when age < 65 then '55-64' else '65+' end;

-- The key a customer id is looked up by in the identity link (staging/customer_alias.sql): an e-mail kept clear
-- (pseudonymisation off) lower-cased, as the CRM's e-mails are there; a pseudonym (px_…, lower-case already) or any
-- other id as stored.
create or replace macro cx_alias_key(cid) as
    case when contains(cid, '@') then lower(cid) else cid end;
