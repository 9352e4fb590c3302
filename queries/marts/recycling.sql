-- Purpose: the recycling loop: of the leads sales rejected, how many went back to marketing
--   (recycled), how fast, how many came back as a hand-off again, and how those returning
--   leads convert to the qualified stage compared with fresh hand-offs.
-- Grain: one row per value of {by} (a lead column, team, score_band or rejection_reason).
-- Key: by_value.
-- Parameters: $start, $end (hand-off dates), $as_of, $lead_filter.
with

scoped as (
    select
        {by} as by_value,
        l.*,
        l.recycled_at <= $as_of as is_recycled,
        l.returned_at <= $as_of as has_returned,
        l.qualified_at <= $as_of as is_qualified,
    from handoff_decisions($as_of, $start, $end, $lead_filter) as l
),

final as (
    select
        by_value,
        count(*) as handed_off,
        count(*) filter (where rejected_at <= $as_of) as ever_rejected,
        count(*) filter (where is_recycled) as recycled,
        median((epoch(recycled_at) - epoch(rejected_at)) / 86400.0) filter (where is_recycled)
            as median_days_to_recycle,
        count(*) filter (where has_returned) as returned,
        count(*) filter (where has_returned and is_qualified and qualified_at > returned_at)
            as returned_qualified,
        count(*) filter (where recycled_at is null or recycled_at > $as_of) as fresh,
        count(*) filter (where (recycled_at is null or recycled_at > $as_of) and is_qualified)
            as fresh_qualified,
    from scoped
    group by by_value
)

select * from final
order by by_value;
