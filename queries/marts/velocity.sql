-- Purpose: days in each main stage (docs/metrics.md "Velocity"): only leads with a recorded entry of
--   the stage and a later stage by $as_of; skipped stages have no time in stage.
-- Grain: one row per value of {by} per main stage that has such leads.
-- Key: by_value, stage.
-- Parameters: $start, $end (stage entry dates, null = open), $as_of, $lead_filter.
with

stays as (
    select {by} as by_value, s.stage, s.stage_order, s.days_in_stage
    from completed_stays($as_of, $start, $end, $lead_filter) as s
),

spread as (  -- one sort per group for the five quantiles (five quantile_cont calls sort five times);
    -- grouped by the stage's order, one per main stage (an integer groups faster than its name)
    select
        by_value,
        min(stage) as stage,
        stage_order,
        count(*) as n,
        quantile_cont(days_in_stage, [0.5, 0.25, 0.75, 0.1, 0.9]) as q,
        avg(days_in_stage) as mean_days,
    from stays
    group by by_value, stage_order
),

final as (
    select
        by_value,
        stage,
        stage_order,
        n,
        list_extract(q, 1) as median_days,
        list_extract(q, 2) as p25_days,
        list_extract(q, 3) as p75_days,
        mean_days,
        list_extract(q, 4) as p10_days,
        list_extract(q, 5) as p90_days,
    from spread
)

select * from final
order by by_value, stage_order, stage;
