-- Purpose: how the time in each stage moves: median days in stage by month the stage was entered.
-- Grain: one row per month per main stage.
-- Key: month_start, stage.
-- Parameters: $start, $end, $as_of, $lead_filter.
with

stays as (
    select s.stage, s.stage_order, date_trunc('month', s.entered_at)::date as month_start, s.days_in_stage
    from completed_stays($as_of, $start, $end, $lead_filter) as s
),

final as (
    select month_start, stage, stage_order, count(*) as n, quantile_cont(days_in_stage, 0.5) as median_days
    from stays
    group by all
)

select * from final
order by month_start, stage_order, stage;
