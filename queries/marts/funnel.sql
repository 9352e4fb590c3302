-- Purpose: the stage funnel of one cohort: how many of the leads created in the period reached
--   each main stage by $as_of (skip rule: a skipped stage counts as passed).
-- Grain: one row per value of {by} per main stage.
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
    select c.by_value, s.stage, s.stage_order, count(*) as leads
    from leads_in_scope as c
    join lead_stages as s using (lead_id)
    join stage_config as k on k.stage = s.stage and k.kind = 'main'
    where s.entered_at <= $as_of
    group by all
),

final as (
    select
        by_value,
        stage,
        stage_order,
        leads,
        lag(leads) over (partition by by_value order by stage_order) as previous_leads,
    from reached
)

select * from final
order by by_value, stage_order;
