-- Purpose: cohort conversion from one stage to a later one (docs/metrics.md "Conversion").
-- Grain: one row per value of the breakdown column {by} (or one row 'all').
-- Key: by_value.
-- Parameters: $from_stage, $to_stage, $start, $end (cohort entry dates, null = open),
--   $window_days (null = no window), $as_of, $lead_filter.
with

cohort as (
    select {by} as by_value, s.lead_id, s.reached_at
    from stage_conversions($from_stage, $to_stage, $window_days, $as_of, $start, $end, $lead_filter) as s
),

final as (
    select
        by_value,
        count(*) as cohort,
        count(reached_at) as converted,
    from cohort
    group by by_value
)

select * from final
order by by_value;
