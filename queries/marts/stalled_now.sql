-- Purpose: the stalled leads at the data's own as-of (marts/stalled.sql, stored at import as
--   stalled_now in its order), for the lead filters of the page.
-- Grain: one row per stalled lead, most overdue first (the stored order: DuckDB keeps insertion
--   order for a filtered scan without ORDER BY, and a sort of ~600k rows would cost more than the rest).
-- Key: lead_id.
-- Parameters: $lead_filter.
select lead_id, stage, entered_at, days_in_stage, threshold_days, owner_id, source, region, industry, sdr_id
from stalled_now
where lead_in_scope(source, region, industry, owner_id, $lead_filter);
