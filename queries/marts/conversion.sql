-- Purpose: cohort conversion from one stage to a later one (METRICS.md "Conversion").
-- Grain: one row per value of the breakdown column {by} (or one row 'all').
-- Key: by_value.
-- Parameters: $from_stage, $to_stage, $start, $end (cohort entry dates, null = open),
--   $window_days (null = no window), $as_of, $lead_filter.
with

cohort as (
    select {by} as by_value, s.lead_id, s.entered_at
    from stage_entries($from_stage, $as_of, $start, $end, $lead_filter) as s
),

converted as (
    select t.lead_id
    from cohort as c
    join lead_stages as t
        on t.lead_id = c.lead_id
        and t.stage = $to_stage
        and t.entered_at <= $as_of
        and ($window_days is null or t.entered_at <= c.entered_at + to_days($window_days::integer))
),

final as (
    select
        c.by_value,
        count(*) as cohort,
        count(v.lead_id) as converted,
    from cohort as c
    left join converted as v using (lead_id)
    group by c.by_value
)

select * from final
order by by_value;
