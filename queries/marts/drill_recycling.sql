-- Purpose: the hand-offs behind a recycling row (recycling.sql): the leads handed off in the period whose
--   {by} value is $by_value (handoff_decisions() through handoffs_as_of(): the rows the loop counts),
--   rejected ones first, with when sales rejected each, when it went back to marketing, how many days
--   that took, when it came back as a hand-off and whether it then reached the qualified stage — all by
--   $as_of.
-- Grain: one row per handed-off lead.
-- Key: lead_id.
-- Parameters: $by_value, $start, $end (hand-off dates), $as_of, $lead_filter.
with

handed as (
    select
        l.lead_id, l.handoff_at, l.rejected_at, l.rejection_reason, l.recycled_at, l.days_to_recycle,
        l.returned_at, l.is_requalified, l.owner_id, l.source, l.score,
    from handoffs_as_of($as_of, $start, $end, $lead_filter) as l
    where {by} = $by_value
),

final as (
    select * from handed
)

select * from final
order by rejected_at is null, rejected_at desc, handoff_at desc, lead_id;
