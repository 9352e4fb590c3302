-- Purpose: the stage funnel of one cohort: how many of the leads created in the period reached
--   each main stage by $as_of (skip rule: a skipped stage counts as passed).
-- Grain: one row per value of {by} per main stage (0 leads where nobody reached it yet).
-- Parameters: $start, $end (lead entry dates, null = open), $as_of, $sources, $regions,
--   $industries, $owners.
with

leads_in_scope as (
    select {by} as by_value, l.lead_id
    from filtered_leads($sources::varchar[], $regions::varchar[], $industries::varchar[], $owners::varchar[]) as l
    join lead_stages as first_stage
        on first_stage.lead_id = l.lead_id
        and first_stage.stage_order = 1
        and first_stage.entered_at <= $as_of
        and ($start is null or first_stage.entered_at >= $start::date)
        and ($end is null or first_stage.entered_at < $end::date + interval 1 day)
),

reached as (
    select c.by_value, s.stage, count(*) as leads
    from leads_in_scope as c
    join lead_stages as s using (lead_id)
    where s.entered_at <= $as_of
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
order by by_value, stage_order;
