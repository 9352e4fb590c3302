-- Purpose: cohort conversion by month: leads entering $from_stage in each month and how many of
--   them reached $to_stage by $as_of (the latest months are still maturing).
-- Grain: one row per month of entry into $from_stage.
-- Key: month_start.
-- Parameters: $from_stage, $to_stage, $start, $end, $as_of, $lead_filter.
with

cohort as (
    select s.lead_id, date_trunc('month', s.entered_at)::date as month_start
    from stage_entries($from_stage, $as_of, $start, $end, $lead_filter) as s
),

final as (
    select c.month_start, count(*) as cohort, count(t.lead_id) as converted
    from cohort as c
    left join lead_stages as t on t.lead_id = c.lead_id and t.stage = $to_stage and t.entered_at <= $as_of
    group by c.month_start
)

select * from final
order by month_start;
