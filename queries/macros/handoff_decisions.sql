-- Purpose: sales' decision on each lead handed off in a period, judged at as_of (docs/metrics.md "Lead
--   quality feedback"): accepted = reached the accepted stage or an accepted verdict; rejected =
--   otherwise a rejected verdict or an exit. The one place that rule is written; the quality,
--   recycling and SLA marts read it.
-- Grain: one row per handed-off lead, with the lead's columns, the owner's team and the hand-off facts.
-- Parameters (of the macro): as_of, start_date, end_date (hand-off dates, null = open), lead_filter.
create macro handoff_decisions(as_of, start_date, end_date, lead_filter) as table
    select
        h.*,
        r.team,
        coalesce(h.accepted_at <= as_of, false) as is_accepted,
        coalesce(h.accepted_at > as_of, true) and coalesce(h.rejected_at <= as_of, false) as is_rejected,
    from handoffs as h  -- a hand-off row carries its lead's columns (no join with every lead)
    left join reps as r on r.rep_id = h.owner_id
    where lead_in_scope(h.source, h.region, h.industry, h.owner_id, lead_filter)
      and h.handoff_at <= as_of
      and in_period(h.handoff_at, start_date, end_date);

-- Purpose: the hand-offs of handoff_decisions() with what sales did by as_of, for the lists behind a
--   quality or recycling row: the decision (accepted, rejected, pending) and, each only once it had
--   happened by as_of, when sales accepted and rejected, the reason, when the lead went back to
--   marketing (and after how many days), when it came back and whether it then reached the qualified stage.
-- Grain: one row per handed-off lead, the columns of handoff_decisions() beside.
-- Parameters (of the macro): as_of, start_date, end_date (hand-off dates, null = open), lead_filter.
create macro handoffs_as_of(as_of, start_date, end_date, lead_filter) as table
    select
        l.* exclude (accepted_at, rejected_at, rejection_reason, recycled_at, returned_at),
        case when l.is_accepted then 'accepted' when l.is_rejected then 'rejected' else 'pending' end as decision,
        case when l.accepted_at <= as_of then l.accepted_at end as accepted_at,
        case when l.rejected_at <= as_of then l.rejected_at end as rejected_at,
        case when l.rejected_at <= as_of then l.rejection_reason end as rejection_reason,
        case when l.recycled_at <= as_of then l.recycled_at end as recycled_at,
        case when l.recycled_at <= as_of
            then (epoch(l.recycled_at) - epoch(l.rejected_at)) / 86400.0 end as days_to_recycle,
        case when l.returned_at <= as_of then l.returned_at end as returned_at,
        coalesce(l.returned_at <= as_of and l.qualified_at <= as_of and l.qualified_at > l.returned_at, false)
            as is_requalified,
    from handoff_decisions(as_of, start_date, end_date, lead_filter) as l;
