-- Purpose: the stage funnel of one cohort: how many of the leads created in the period reached
--   each main stage by $as_of (skip rule: a skipped stage counts as passed).
-- Grain: one row per value of {by} per main stage (0 leads where nobody reached it yet).
-- Key: by_value, stage.
-- Parameters: $start, $end (lead entry dates, null = open), $as_of, $lead_filter.
with

leads_in_scope as (
    -- the cohort: leads whose entry into the first stage falls in the period
    select {by} as by_value, s.lead_id
    from lead_stages as s
    where s.stage_order = 1
      and s.entered_at <= $as_of
      and in_period(s.entered_at, $start, $end)
      and lead_in_scope(s.source, s.region, s.industry, s.owner_id, $lead_filter)
),

reached as (
    select {by} as by_value, s.stage, count(*) as leads
    from lead_stages as s
    where s.entered_at <= $as_of
      and s.cohort_at <= $as_of
      and in_period(s.cohort_at, $start, $end)
      and lead_in_scope(s.source, s.region, s.industry, s.owner_id, $lead_filter)
    group by all
),

grid as (
    select g.by_value, k.stage, k.stage_order
    from (select distinct by_value from leads_in_scope) as g
    cross join stage_config as k
    where k.kind = 'main'
),

final as (
    select
        grid.by_value,
        grid.stage,
        grid.stage_order,
        coalesce(r.leads, 0) as leads,
        lag(coalesce(r.leads, 0)) over (partition by grid.by_value order by grid.stage_order) as previous_leads,
    from grid
    left join reached as r using (by_value, stage)
)

select * from final
order by by_value, stage_order, stage;
