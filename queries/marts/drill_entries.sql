-- Purpose: the leads behind a stage-entry count or a conversion cohort (the drill-down lists): the
--   entries into $stage in [$from_at, $to_at) known by $as_of of the leads in scope, through the
--   macro the figures count with (stage_conversions(): conversion, conversion_months; its entries are
--   the flow of weekly_counts), with when each reached $to_stage by $as_of, within $window_days of entry
--   when given (a null $to_stage asks for none).
-- Grain: one row per lead entering the stage in the window, the lead's facts after its own columns.
-- Key: lead_id.
-- Parameters: $stage, $to_stage, $window_days (null = no window), $from_at, $to_at (timestamps),
--   $as_of, $lead_filter.
with

cohort as (
    select s.lead_id, s.entered_at, s.reached_at, s.reached_at is not null as is_converted
    from stage_conversions($stage, $to_stage, $window_days, $as_of, null, null, $lead_filter) as s
    where s.entered_at >= $from_at and s.entered_at < $to_at
),

final as (
    select c.*, f.* exclude (lead_id)
    from cohort as c
    left join lead_facts() as f using (lead_id)
)

select * from final
order by entered_at, lead_id;
