-- Purpose: conversion from each main stage to the next for the leads that entered it in each
--   local week, counting only conversions within the stage's window (days) of entry, so every
--   weekly cohort is judged on the same clock; cohorts younger than the window are immature.
-- Grain: one row per week per stage pair (from_stage -> the next main stage).
-- Key: week_start, from_stage.
-- Parameters: $tz, $from_week, $to_week (local Mondays), $window_stages and $window_days (the
--   window of each from-stage), $as_of, $lead_filter.
with

windows as (
    -- the lists pairwise: one unnest of positions (two unnests zip on DuckDB but cross-join on Spark)
    select list_extract($window_stages::varchar[], i) as stage, list_extract($window_days::integer[], i) as window_days
    from (select unnest(generate_series(1, len($window_stages::varchar[]))) as i)
),

pairs as (
    select k.stage as from_stage, n.stage as to_stage, k.stage_order, w.window_days
    from stage_config as k
    join stage_config as n on n.kind = 'main' and n.stage_order = k.stage_order + 1
    join windows as w on w.stage = k.stage
    where k.kind = 'main'
),

cohorts as (
    select
        p.from_stage,
        p.to_stage,
        p.stage_order,
        p.window_days,
        date_trunc('week', timezone($tz, timezone('UTC', s.entered_at)))::date as week_start,
        s.lead_id,
        s.entered_at,
    from lead_stages as s
    join pairs as p on p.from_stage = s.stage
    where s.entered_at <= $as_of
      and lead_in_scope(s.source, s.region, s.industry, s.owner_id, $lead_filter)
),

final as (
    select
        c.week_start,
        c.from_stage,
        c.to_stage,
        c.stage_order,
        c.window_days,
        count(*) as cohort,
        count(t.lead_id) as converted,
        -- a cohort is mature when its youngest member has had the whole window by as_of
        max(c.entered_at) + to_days(c.window_days) > $as_of::timestamp as is_immature,
    from cohorts as c
    left join lead_stages as t
        on t.lead_id = c.lead_id
        and t.stage = c.to_stage
        and t.entered_at <= $as_of
        and t.entered_at <= c.entered_at + to_days(c.window_days)
    where c.week_start between $from_week::date and $to_week::date
    group by c.week_start, c.from_stage, c.to_stage, c.stage_order, c.window_days
)

select * from final
order by stage_order, week_start, from_stage;
