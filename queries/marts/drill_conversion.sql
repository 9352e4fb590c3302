-- Purpose: the leads behind a conversion row or point (conversion.sql by segment, conversion_trend.sql
--   by segment and week or month): the cohort entering $from_stage in the period whose {by} value is
--   $by_value, through the macro both count with (stage_conversions()), with when each reached
--   $to_stage; only the entries of the $grain period starting $period_start when given.
-- Grain: one row per lead entering $from_stage in the period (newest first), the lead's facts after its own
--   columns.
-- Key: lead_id.
-- Parameters: $from_stage, $to_stage, $window_days (null = no window), $by_value, $grain, $period_start
--   (null = the whole period), $start, $end, $as_of, $lead_filter.
with

cohort as (
    select
        s.lead_id,
        s.entered_at,
        s.reached_at,
        s.reached_at is not null as is_converted,
    from stage_conversions($from_stage, $to_stage, $window_days, $as_of, $start, $end, $lead_filter) as s
    where {by} = $by_value
      and ($period_start is null or date_trunc($grain, s.entered_at)::date = $period_start::date)
),

final as (
    select c.*, f.* exclude (lead_id)
    from cohort as c
    left join lead_facts() as f using (lead_id)
)

select * from final
order by entered_at desc, lead_id;
