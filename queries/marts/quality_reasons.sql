-- Purpose: why sales rejects leads: the leads counted as rejected (handoff_decisions: a
--   rejection not overturned by an acceptance), by the first rejection's reason, and each
--   reason's share of the rejections of its {by} value (default: source).
-- Grain: one row per value of {by} per rejection reason.
-- Key: by_value, reason.
-- Parameters: $start, $end (hand-off dates), $as_of, $lead_filter.
with

rejections as (
    select {by} as by_value, l.rejection_reason as reason
    from handoff_decisions($as_of, $start, $end, $lead_filter) as l
    where l.is_rejected
),

final as (
    select
        by_value,
        reason,
        count(*) as rejections,
        count(*) / sum(count(*)) over (partition by by_value) as share,
    from rejections
    group by by_value, reason
)

select * from final
order by by_value, rejections desc, reason;
