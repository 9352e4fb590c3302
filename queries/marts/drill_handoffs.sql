-- Purpose: the hand-offs behind a lead-quality row (quality.sql): the leads handed off in the period
--   whose {by} value is $by_value, with sales' decision by $as_of through the rule the row counts
--   with (handoff_decisions(), through handoffs_as_of()): accepted, rejected or pending.
-- Grain: one row per handed-off lead, the newest hand-off first.
-- Key: lead_id.
-- Parameters: $by_value, $start, $end (hand-off dates), $as_of, $lead_filter.
with

handed as (
    select
        l.lead_id, l.handoff_at, l.decision, l.accepted_at,
        case when l.decision = 'rejected' then l.rejected_at end as rejected_at,
        case when l.decision = 'rejected' then l.rejection_reason end as rejection_reason,
        l.owner_id, l.source, l.score,
    from handoffs_as_of($as_of, $start, $end, $lead_filter) as l
    where {by} = $by_value
),

final as (
    select * from handed
)

select * from final
order by handoff_at desc, lead_id;
