-- Purpose: the leads behind a stage-entry count or a conversion cohort (the drill-down lists): the
--   entries into $stage in [$from_at, $to_at) known by $as_of of the leads in scope, through the
--   cohort macro the figures count with (stage_entries(): conversion, conversion_months; the flow of
--   weekly_counts), with when each reached $to_stage by $as_of, within $window_days of entry when
--   given (the join of conversion.sql and weekly_conversion.sql; a null $to_stage asks for none).
-- Grain: one row per lead entering the stage in the window, the lead's facts after its own columns.
-- Key: lead_id.
-- Parameters: $stage, $to_stage, $window_days (null = no window), $from_at, $to_at (timestamps),
--   $as_of, $lead_filter.
with

cohort as (
    select s.lead_id, s.entered_at
    from stage_entries($stage, $as_of, null, null, $lead_filter) as s
    where s.entered_at >= $from_at and s.entered_at < $to_at
),

converted as (
    select c.lead_id, t.entered_at as reached_at
    from cohort as c
    join lead_stages as t
        on t.lead_id = c.lead_id
        and t.stage = $to_stage
        and t.entered_at <= $as_of
        and ($window_days is null or t.entered_at <= c.entered_at + to_days($window_days::integer))
),

final as (
    select
        c.lead_id,
        c.entered_at,
        v.reached_at,
        v.reached_at is not null as is_converted,
        l.source,
        l.region,
        l.industry,
        l.owner_id,
        l.score,
    from cohort as c
    left join converted as v using (lead_id)
    left join leads as l using (lead_id)
)

select * from final
order by entered_at, lead_id;
