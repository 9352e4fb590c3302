-- Purpose: lead quality over time: hand-offs, accepted and rejected by month of hand-off
--   (the rule: handoff_decisions).
-- Grain: one row per month.
-- Key: month_start.
-- Parameters: $start, $end (hand-off dates), $as_of, $lead_filter.
with

final as (
    select
        date_trunc('month', l.handoff_at)::date as month_start,
        count(*) as handed_off,
        count(*) filter (where l.is_accepted) as accepted,
        count(*) filter (where l.is_rejected) as rejected,
    from handoff_decisions($as_of, $start, $end, $lead_filter) as l
    group by month_start
)

select * from final
order by month_start;
