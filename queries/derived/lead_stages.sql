-- Purpose: every main stage each lead reached, with its entry time under the skip rule
--   (docs/metrics.md "Stages"), and the time it spent there; the one stage grain every metric reads.
-- Grain: one row per lead per main stage reached (lead .. won), plus one row per recorded lost;
--   each row carries the lead's own columns but who the lead is (name, email, company: never a
--   breakdown), and cohort_at, its entry into the first stage, so the marts filter and break down
--   without joining a million leads again.
-- Parameters: none; built once at import from stage_history, stage_config and leads.
create table lead_stages as
with

history as (
    select h.lead_id, h.stage, c.stage_order, c.kind, h.entered_at
    from stage_history as h
    join stage_config as c using (stage)
),

recorded as (
    select lead_id, stage, stage_order, kind, min(entered_at) as first_entered_at
    from history
    where kind in ('main', 'lost')
    group by all
),

main_stages as (
    select stage, stage_order from stage_config where kind = 'main'
),

ranked as (
    -- the recorded stages in the order the skip rule reads them (a main stage before lost at the same
    -- level: stage_order * 2, lost + 1), each with the level of the one before it (0 for the first);
    -- main stages have distinct levels and a lead one lost stage, so the order is total
    select
        r.*,
        coalesce(lag(r.stage_order) over (
            partition by r.lead_id order by r.stage_order * 2 + (r.kind = 'lost')::int), 0) as previous_order,
    from recorded as r
),

reached as (
    -- S is reached when S or a later main stage is recorded, or lost is and S comes before won; a
    -- skipped S takes the entry time of the next stage the lead reached: each recorded stage brings
    -- the main stages after the one recorded before it, up to itself (lost: up to the one before won)
    select
        r.lead_id,
        m.stage,
        m.stage_order,
        r.first_entered_at as entered_at,
        r.stage = m.stage as is_recorded,
    from ranked as r
    join main_stages as m
        on m.stage_order > r.previous_order
        and (m.stage_order < r.stage_order or (m.stage_order = r.stage_order and r.kind = 'main'))
),

lost as (
    select lead_id, stage, stage_order, first_entered_at as entered_at
    from recorded
    where kind = 'lost'
),

with_exit as (
    select
        reached.*,
        -- the stay ends at the earliest entry among the later main stages (a stage first recorded
        -- after recycling may be entered after a later one); an opportunity with no won after it
        -- closes at its lost entry
        coalesce(
            min(reached.entered_at) over (
                partition by reached.lead_id order by reached.stage_order
                rows between 1 following and unbounded following),
            lost.entered_at
        ) as exited_at,
    from reached
    left join lost using (lead_id)
),

stages as (
    select
        lead_id,
        stage,
        stage_order,
        entered_at,
        is_recorded,
        exited_at,
        -- a stage first recorded after a later main stage was skipped on the first pass: no stay
        case when is_recorded and exited_at >= entered_at
            then (epoch(exited_at) - epoch(entered_at)) / 86400.0
        end as days_in_stage,
    from with_exit
    union all
    select lead_id, stage, stage_order, entered_at, true, null, null
    from lost
),

lead_columns as (
    -- the lead's columns but those a stage row already has (an extra column may not shadow them) and
    -- who the lead is: {lead_columns} is the runner's list of them, read from the catalog (analytics/store/sql.py)
    select {lead_columns}, l.created_at as lead_created_at
    from leads as l
),

with_cohort as (
    -- on the narrow rows, before the lead's columns join: a window over the wide rows ran out of
    -- memory at 10M leads with the default limits (bench/scale_results.md)
    select
        s.*,
        min(s.entered_at) filter (where s.stage_order = 1) over (partition by s.lead_id) as cohort_at,
    from stages as s
),

final as (
    select
        s.*,
        l.* exclude (lead_id),
    from with_cohort as s
    join lead_columns as l using (lead_id)
)

select * from final
order by stage_order, entered_at, lead_id;
