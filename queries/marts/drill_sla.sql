-- Purpose: the hand-offs behind an SLA scorecard row (sla.sql): the leads handed off in the period
--   whose {by} value is $by_value and that the promise $measure applies to, with its status (met,
--   breached, not yet due), response and hours past the limit (breaches) through the rule the
--   scorecard counts with (sla_status()).
-- Grain: one row per handed-off lead the promise applies to, breaches first, then the newest.
-- Key: lead_id.
-- Parameters: $measure, $by_value, $as_of, $follow_up_hours, $decision_hours, $recycle_days, $start,
--   $end, $lead_filter.
with

judged as (
    select
        l.lead_id,
        l.handoff_at,
        case $measure
            when 'follow_up' then l.follow_up_status
            when 'decision' then l.decision_status
            else l.recycle_status
        end as sla_status,
        case $measure
            when 'follow_up' then l.response_hours
            when 'decision' then l.decision_hours
        end as response_hours,
        case when $measure = 'recycle' then l.recycle_days end as recycle_days,
        case $measure
            when 'follow_up' then case when l.follow_up_status = 'breached' then l.follow_up_hours_late end
            when 'decision' then case when l.decision_status = 'breached' then l.decision_hours_late end
        end as hours_late,
        l.owner_id,
        l.team,
        l.source,
        l.score,
    from sla_status(
        $as_of, $follow_up_hours, $decision_hours, $recycle_days, $start, $end,
    $lead_filter
    ) as l
    where {by} = $by_value
),

final as (
    select * from judged
    where sla_status is not null
)

select * from final
order by sla_status = 'breached' desc, handoff_at desc, lead_id;
