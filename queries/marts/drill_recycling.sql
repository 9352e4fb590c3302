-- Purpose: the hand-offs behind a recycling row (recycling.sql): the leads handed off in the period whose
--   {by} value is $by_value (handoff_decisions(), the rows the loop counts), rejected ones first, with
--   when sales rejected each, when it went back to marketing, how many days that took, when it came back
--   as a hand-off and whether it then reached the qualified stage — all by $as_of.
-- Grain: one row per handed-off lead.
-- Key: lead_id.
-- Parameters: $by_value, $start, $end (hand-off dates), $as_of, $lead_filter.
with

handed as (
    select
        l.lead_id,
        l.handoff_at,
        case when l.rejected_at <= $as_of then l.rejected_at end as rejected_at,
        case when l.rejected_at <= $as_of then l.rejection_reason end as rejection_reason,
        case when l.recycled_at <= $as_of then l.recycled_at end as recycled_at,
        case when l.recycled_at <= $as_of
            then (epoch(l.recycled_at) - epoch(l.rejected_at)) / 86400.0 end as days_to_recycle,
        case when l.returned_at <= $as_of then l.returned_at end as returned_at,
        coalesce(l.returned_at <= $as_of and l.qualified_at <= $as_of and l.qualified_at > l.returned_at, false)
            as is_requalified,
        l.owner_id,
        l.source,
        l.score,
    from handoff_decisions($as_of, $start, $end, $lead_filter) as l
    where {by} = $by_value
),

final as (
    select * from handed
)

select * from final
order by rejected_at is null, rejected_at desc, handoff_at desc, lead_id;
