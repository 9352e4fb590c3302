-- Purpose: days in each main stage (METRICS.md "Velocity"): only leads with a recorded entry of
--   the stage and a later stage by $as_of; skipped stages have no time in stage.
-- Grain: one row per value of {by} per main stage that has such leads.
-- Parameters: $start, $end (stage entry dates, null = open), $as_of, $sources, $regions,
--   $industries, $owners.
with

stays as (
    select {by} as by_value, s.stage, s.stage_order, s.days_in_stage
    from lead_stages as s
    where s.days_in_stage is not null
      and lead_in_scope(s.source, s.region, s.industry, s.owner_id, $sources::varchar[], $regions::varchar[],
                        $industries::varchar[], $owners::varchar[])
      and s.exited_at <= $as_of
      and ($start is null or s.entered_at >= $start::date)
      and ($end is null or s.entered_at < $end::date + interval 1 day)
),

final as (
    select
        by_value,
        stage,
        stage_order,
        count(*) as n,
        quantile_cont(days_in_stage, 0.5) as median_days,
        quantile_cont(days_in_stage, 0.25) as p25_days,
        quantile_cont(days_in_stage, 0.75) as p75_days,
        avg(days_in_stage) as mean_days,
        quantile_cont(days_in_stage, 0.1) as p10_days,
        quantile_cont(days_in_stage, 0.9) as p90_days,
    from stays
    group by by_value, stage, stage_order
)

select * from final
order by by_value, stage_order;
