-- Purpose: stalled leads (docs/metrics.md "Velocity"): the latest event at $as_of is a main stage other
--   than won, and the lead has been there longer than the stage's threshold: the configured
--   days or else the 90th percentile of days in that stage.
-- Grain: one row per stalled lead.
-- Key: lead_id.
-- Parameters: $as_of, $won_stage, $stall_stages and $stall_values (configured days per stage),
--   $lead_filter.
with

current_stage as (
    select a.lead_id, a.stage, a.since
    from stage_at($as_of) as a
    where a.kind = 'main' and a.stage <> $won_stage
),

p90 as (
    select stage, quantile_cont(days_in_stage, 0.9) as days
    from lead_stages
    where days_in_stage is not null and exited_at <= $as_of
    group by stage
),

thresholds as (
    select k.stage, coalesce(
            list_extract($stall_values::double[], list_position($stall_stages::varchar[], k.stage)),
            p90.days
        ) as threshold_days
    from stage_config as k
    left join p90 using (stage)
    where k.kind = 'main'
),

final as (
    select
        c.lead_id,
        c.stage,
        c.since as entered_at,
        (epoch($as_of::timestamp) - epoch(c.since)) / 86400.0 as days_in_stage,
        t.threshold_days,
        l.owner_id,
        l.source,
        l.region,
        l.industry,
        l.sdr_id,
    from current_stage as c
    join thresholds as t using (stage)
    join filtered_leads($lead_filter) as l
        using (lead_id)
    where (epoch($as_of::timestamp) - epoch(c.since)) / 86400.0 > t.threshold_days
)

select * from final
order by days_in_stage - threshold_days desc, lead_id;
