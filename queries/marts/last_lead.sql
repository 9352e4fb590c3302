-- Purpose: when the last lead was created: the default period moves back to it when the days before
--   as-of hold no new lead (a historic export whose as-of is a late close or activity).
-- Grain: one row.
-- Key: none (one row).
-- Parameters: none.
select max(created_at) as last_lead_at from leads;
