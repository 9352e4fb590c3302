-- Purpose: cohort conversion over time by a breakdown ("why did paid search stop converting?"): the
--   leads entering $from_stage in each week or month ($grain) of the period, per value of {by}, and
--   how many of them reached $to_stage by $as_of (within $window_days of entry when given) — the
--   cohort of conversion.sql (stage_conversions()) split by time as well.
-- Grain: one row per value of {by} per week or month of entry into $from_stage.
-- Key: by_value, period_start.
-- Parameters: $from_stage, $to_stage, $window_days (null = no window), $grain ('week' or 'month'),
--   $start, $end (cohort entry dates, null = open), $as_of, $lead_filter.
with

cohort as (
    select
        {by} as by_value,
        date_trunc($grain, s.entered_at)::date as period_start,
        s.lead_id,
        s.reached_at,
    from stage_conversions($from_stage, $to_stage, $window_days, $as_of, $start, $end, $lead_filter) as s
),

final as (
    select
        by_value,
        period_start,
        count(*) as cohort,
        count(reached_at) as converted,
    from cohort
    group by by_value, period_start
)

select * from final
order by by_value, period_start;
