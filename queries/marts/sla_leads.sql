-- Purpose: every handed-off lead of the period with its follow-up, decision and recycling status
--   at $as_of (the definition is the sla_status macro, queries/macros/sla_status.sql).
-- Grain: one row per handed-off lead.
-- Key: lead_id.
-- Parameters: $as_of, $follow_up_hours, $decision_hours, $recycle_days, $start, $end, $lead_filter.
select *
from sla_status(
    $as_of, $follow_up_hours, $decision_hours, $recycle_days, $start, $end,
    $lead_filter
)
order by handoff_at, lead_id;
