-- Purpose: why sales rejects leads: the leads counted as rejected by the quality rule (a
--   rejection not overturned by an acceptance), by the first rejection's reason, and each
--   reason's share of the rejections of its {by} value (default: source).
-- Grain: one row per value of {by} per rejection reason.
-- Parameters: $start, $end (hand-off dates), $as_of, $sources, $regions, $industries, $owners.
with

rejections as (
    select {by} as by_value, h.rejection_reason as reason
    from handoffs as h
    join filtered_leads($sources::varchar[], $regions::varchar[], $industries::varchar[], $owners::varchar[]) as l
        using (lead_id)
    left join reps as r on r.rep_id = l.owner_id
    where h.handoff_at <= $as_of
      and h.rejected_at <= $as_of
      and coalesce(h.accepted_at > $as_of, true)
      and ($start is null or h.handoff_at >= $start::date)
      and ($end is null or h.handoff_at < $end::date + interval 1 day)
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
