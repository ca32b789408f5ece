-- Demo (cx/demo.py): forget the work saved during the demo era (temp table demo_era: since, until — until null =
-- still running), and the persona membership of customers no longer in any table. Run after the demo imports
-- are deleted, in the same transaction. Journey stage rules stay: they are settings, not findings on the data.
delete from journey_notes
where updated_at >= (select since from demo_era)
  and (updated_at < (select until from demo_era) or (select until from demo_era) is null);
delete from persona_names
where renamed_at >= (select since from demo_era)
  and (renamed_at < (select until from demo_era) or (select until from demo_era) is null);
delete from friction_status
where updated_at >= (select since from demo_era)
  and (updated_at < (select until from demo_era) or (select until from demo_era) is null);
delete from maturity_thresholds
where edited_at >= (select since from demo_era)
  and (edited_at < (select until from demo_era) or (select until from demo_era) is null);
delete from theme_keywords
where added_at >= (select since from demo_era)
  and (added_at < (select until from demo_era) or (select until from demo_era) is null);
delete from maturity_answers
where workshop_id in (
    select workshop_id from maturity_workshops
    where saved_at >= (select since from demo_era)
      and (saved_at < (select until from demo_era) or (select until from demo_era) is null));
delete from maturity_workshops
where saved_at >= (select since from demo_era)
  and (saved_at < (select until from demo_era) or (select until from demo_era) is null);
delete from persona_members
where customer_id not in (
    select customer_id from customers
    union select customer_id from orders where customer_id is not null
    union select customer_id from events where customer_id is not null
    union select customer_id from responses where customer_id is not null
    union select customer_id from tickets where customer_id is not null);
