-- The breakdown by segment: each visitor of the funnel takes the segment of the customer linked to them
-- (fx_customers, funnel_segments.sql); a visitor linked to no customer keeps no group.
update fx_users set g = (select c.segment from fx_customers c where c.visitor_id = fx_users.visitor_id);
