-- Purpose: lead quality feedback (docs/metrics.md): of the leads handed off in the period, how many
--   sales accepted or rejected by $as_of (the rule: handoff_decisions); the rest await a decision.
--   Average rating of the feedback.
-- Grain: one row per value of {by} (a lead column, score_band or team).
-- Key: by_value.
-- Parameters: $start, $end (hand-off dates), $as_of, $lead_filter.
with

final as (
    select
        {by} as by_value,
        count(*) as handed_off,
        count(*) filter (where l.is_accepted) as accepted,
        count(*) filter (where l.is_rejected) as rejected,
        count(*) filter (where not l.is_accepted and not l.is_rejected) as pending,
        sum(l.avg_rating * l.ratings) / nullif(sum(l.ratings), 0) as avg_rating,
    from handoff_decisions($as_of, $start, $end, $lead_filter) as l
    group by by_value
)

select * from final
order by by_value;
