-- SQL helpers every analysis may use; recreated each time a workspace opens (they hold no data).

-- Is this customer in the scope of the global filters? Segment: the CRM segment of the customer's latest
-- import; persona: the stored persona membership (cx.personas). A null segment / persona keeps everyone.
create or replace macro cx_customer_in_scope(cid, seg, per) as
    (seg is null or cid in (
        select customer_id from customers
        qualify row_number() over (partition by customer_id order by import_id desc) = 1 and segment = seg))
    and (per is null or cid in (select customer_id from persona_members where persona_id = per));
