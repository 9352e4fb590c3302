-- Purpose: the SLA scorecard: met, breached and not yet due per {by} value for one promise
--   ($measure: follow_up, decision or recycle), the median and 90th percentile response (hours;
--   days for recycling) of the judged leads.
-- Grain: one row per value of {by} (a lead column, team or score_band).
-- Key: by_value.
-- Parameters: $measure, $as_of, $follow_up_hours, $decision_hours, $recycle_days, $start, $end,
--   $lead_filter.
with

judged as (
    select
        *,
        case $measure
            when 'follow_up' then follow_up_status
            when 'decision' then decision_status
            else recycle_status
        end as status,
        case $measure
            when 'follow_up' then response_hours
            when 'decision' then decision_hours
            else recycle_days
        end as response,
    from sla_status(
        $as_of, $follow_up_hours, $decision_hours, $recycle_days, $start, $end,
    $lead_filter
    )
),

spread as (  -- one sort per value for both quantiles
    select
        {by} as by_value,
        count(*) filter (where status = 'met') as met,
        count(*) filter (where status = 'breached') as breached,
        count(*) filter (where status = 'not_due') as not_due,
        quantile_cont(response, [0.5, 0.9]) filter (where status in ('met', 'breached')) as q,
    from judged as l
    where status is not null
    group by by_value
),

final as (
    select
        by_value,
        met,
        breached,
        not_due,
        list_extract(q, 1) as median_response,
        list_extract(q, 2) as p90_response,
    from spread
)

select * from final
order by by_value;
