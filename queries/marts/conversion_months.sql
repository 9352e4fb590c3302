-- Purpose: cohort conversion by month: leads entering $from_stage in each month and how many of
--   them reached $to_stage by $as_of (the latest months are still maturing).
-- Grain: one row per month of entry into $from_stage.
-- Key: month_start.
-- Parameters: $from_stage, $to_stage, $start, $end, $as_of, $lead_filter.
with

cohort as (
    select s.lead_id, date_trunc('month', s.entered_at)::date as month_start, s.reached_at
    from stage_conversions($from_stage, $to_stage, null, $as_of, $start, $end, $lead_filter) as s
),

final as (
    select month_start, count(*) as cohort, count(reached_at) as converted
    from cohort
    group by month_start
)

select * from final
order by month_start;
