-- Erasing one person (cx/ingest/forget.py), in the erasure's transaction after forget_setup.sql: their rows in every
-- table (the same conditions as forget_counts.sql); forget_mask.sql then masks their mentions in other people's rows.
-- The file is rewritten afterwards.
delete from events
where cx_forgotten(customer_id) or cx_forgotten(visitor_id) or visitor_id in (select visitor_id from forget_visitors);
delete from customers where cx_forgotten(customer_id) or cx_forgotten(email);
delete from orders where cx_forgotten(customer_id);
delete from tickets where cx_forgotten(customer_id);
delete from responses where cx_forgotten(customer_id);
delete from rejects where cx_forgotten_reject(value, code, import_id);
delete from persona_members where cx_forgotten(customer_id);
