-- Purpose: lead quality feedback (METRICS.md): of the leads handed off in the period, how many
--   sales accepted (reached the accepted stage or an accepted verdict) or rejected (a rejected
--   verdict or an exit), by $as_of; the rest await a decision. Average rating of the feedback.
-- Grain: one row per value of {by} (a lead column, score_band or team).
-- Parameters: $start, $end (hand-off dates), $as_of, $sources, $regions, $industries, $owners.
with

scoped as (
    select
        {by} as by_value,
        h.accepted_at <= $as_of as is_accepted,
        coalesce(h.accepted_at > $as_of, true) and h.rejected_at <= $as_of as is_rejected,
        h.avg_rating,
        h.ratings,
    from handoffs as h
    join filtered_leads($sources::varchar[], $regions::varchar[], $industries::varchar[], $owners::varchar[]) as l
        using (lead_id)
    left join reps as r on r.rep_id = l.owner_id
    where h.handoff_at <= $as_of
      and ($start is null or h.handoff_at >= $start::date)
      and ($end is null or h.handoff_at < $end::date + interval 1 day)
),

final as (
    select
        by_value,
        count(*) as handed_off,
        count(*) filter (where is_accepted) as accepted,
        count(*) filter (where is_rejected) as rejected,
        count(*) filter (where not coalesce(is_accepted, false) and not coalesce(is_rejected, false)) as pending,
        sum(avg_rating * ratings) / nullif(sum(ratings), 0) as avg_rating,
    from scoped
    group by by_value
)

select * from final
order by by_value;
