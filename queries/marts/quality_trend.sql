-- Purpose: lead quality over time: hand-offs, accepted and rejected by month of hand-off.
-- Grain: one row per month.
-- Parameters: $start, $end (hand-off dates), $as_of, $sources, $regions, $industries, $owners.
with

scoped as (
    select
        date_trunc('month', h.handoff_at)::date as month_start,
        h.accepted_at <= $as_of as is_accepted,
        coalesce(h.accepted_at > $as_of, true) and h.rejected_at <= $as_of as is_rejected,
    from handoffs as h
    join filtered_leads($sources::varchar[], $regions::varchar[], $industries::varchar[], $owners::varchar[]) as l
        using (lead_id)
    where h.handoff_at <= $as_of
      and ($start is null or h.handoff_at >= $start::date)
      and ($end is null or h.handoff_at < $end::date + interval 1 day)
),

final as (
    select
        month_start,
        count(*) as handed_off,
        count(*) filter (where is_accepted) as accepted,
        count(*) filter (where is_rejected) as rejected,
    from scoped
    group by all
)

select * from final
order by month_start;
