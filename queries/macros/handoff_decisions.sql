-- Purpose: sales' decision on each lead handed off in a period, judged at as_of (docs/metrics.md "Lead
--   quality feedback"): accepted = reached the accepted stage or an accepted verdict; rejected =
--   otherwise a rejected verdict or an exit. The one place that rule is written; the quality,
--   recycling and SLA marts read it.
-- Grain: one row per handed-off lead, with the lead's columns, the owner's team and the hand-off facts.
-- Parameters (of the macro): as_of, start_date, end_date (hand-off dates, null = open), lead_filter.
create macro handoff_decisions(as_of, start_date, end_date, lead_filter) as table
    select
        l.*,
        r.team,
        h.* exclude (lead_id),
        coalesce(h.accepted_at <= as_of, false) as is_accepted,
        coalesce(h.accepted_at > as_of, true) and coalesce(h.rejected_at <= as_of, false) as is_rejected,
    from handoffs as h
    join filtered_leads(lead_filter) as l using (lead_id)
    left join reps as r on r.rep_id = l.owner_id
    where h.handoff_at <= as_of
      and in_period(h.handoff_at, start_date, end_date);
