-- Purpose: the stage rows a figure counts: a stage's entries in a period (the conversion cohorts and
--   the leads behind them), completed stays (velocity), the stage a lead is in at a time (stalled),
--   a stay's progress to the next main stage and the stage content was touched in (content).
-- Grain: stage_entries / completed_stays: lead_stages rows (one per lead per stage), stage_conversions
--   with reached_at; stage_at: one row per
--   lead with history up to as_of; stage_progress: one row per lead per main stage entered;
--   content_touch_stages: one row per lead per content item per stage it was touched in.
-- Parameters (of the macros): of_stage; as_of; start_date, end_date (null = open); lead_filter (lead_filter.sql).

-- The entries into one stage in a period (entry dates, null = open) known by as_of, of the leads
-- in scope: the cohorts of the conversion marts.
create macro stage_entries(of_stage, as_of, start_date, end_date, lead_filter) as table
    select s.*
    from lead_stages as s
    where s.stage = of_stage
      and lead_in_scope(s.source, s.region, s.industry, s.owner_id, lead_filter)
      and s.entered_at <= as_of
      and in_period(s.entered_at, start_date, end_date);

-- The entries of stage_entries() with when each lead reached to_stage by as_of (null = not yet), within
-- window_days of its entry when given (null = no window): the conversion rule of the conversion marts
-- and of the leads behind them (drill_entries.sql).
create macro stage_conversions(from_stage, to_stage, window_days, as_of, start_date, end_date, lead_filter) as table
    select c.*, t.entered_at as reached_at
    from stage_entries(from_stage, as_of, start_date, end_date, lead_filter) as c
    left join lead_stages as t
        on t.lead_id = c.lead_id
        and t.stage = to_stage
        and t.entered_at <= as_of
        and (window_days is null or t.entered_at <= c.entered_at + to_days(window_days::integer));

-- The stays whose days in stage are known by as_of (a recorded entry and a later stage), of stages
-- entered in a period, of the leads in scope: what the velocity marts measure.
create macro completed_stays(as_of, start_date, end_date, lead_filter) as table
    select s.*
    from lead_stages as s
    where s.days_in_stage is not null
      and lead_in_scope(s.source, s.region, s.industry, s.owner_id, lead_filter)
      and s.exited_at <= as_of
      and in_period(s.entered_at, start_date, end_date);

-- The latest recorded event at as_of: a main stage, an exit, or a close; ties go to the later stage
-- (the sort key packs the time in microseconds and the stage order into one integer: fast to compare).
create macro stage_at(as_of) as table
    select
        lead_id,
        latest.stage,
        latest.kind,
        latest.since,
    from (
        select
            h.lead_id,
            arg_max({'stage': h.stage, 'kind': c.kind, 'since': h.entered_at},
                    epoch_us(h.entered_at) * 64 + c.stage_order) as latest,
        from stage_history as h
        join stage_config as c using (stage)
        where h.entered_at <= as_of
        group by h.lead_id
    );

-- Each stay of a lead in scope in a main stage but the last, entered by as_of, with when it entered the
-- next main stage by as_of (null = not yet): the progress the content marts measure.
create macro stage_progress(as_of, lead_filter) as table
    select s.lead_id, s.stage, s.stage_order, n.entered_at as next_stage_at, n.lead_id is not null as progressed
    from lead_stages as s
    join filtered_leads(lead_filter) as l using (lead_id)
    join stage_config as k on k.stage = s.stage and k.kind = 'main'
    left join lead_stages as n
        on n.lead_id = s.lead_id and n.stage_order = s.stage_order + 1 and n.entered_at <= as_of
        and n.stage in (select stage from stage_config where kind = 'main')
    where s.entered_at <= as_of
      and s.stage_order < (select max(stage_order) from stage_config where kind = 'main');

-- Each content item a lead in scope touched by as_of, in the main stage the lead was in at the touch
-- (its latest recorded main-stage entry at or before it), when it first did, and that stay's progress.
create macro content_touch_stages(as_of, lead_filter) as table
with

scoped as (
    select lead_id from filtered_leads(lead_filter)
),

recorded as (
    select s.lead_id, s.stage, s.stage_order, s.entered_at
    from lead_stages as s
    join scoped using (lead_id)
    join stage_config as k on k.stage = s.stage and k.kind = 'main'
    where s.is_recorded and s.entered_at <= as_of
),

content_touches as (
    select tc.touch_id, tc.lead_id, tc.content_id, tc.occurred_at
    from touches as tc
    join scoped using (lead_id)
    where tc.content_id is not null and tc.occurred_at <= as_of
),

touch_stage as (
    -- the latest recorded entry at or before each touch (a join and row_number(), not an ASOF join:
    -- portable); on equal entry times the later stage
    select lead_id, content_id, occurred_at, stage, stage_order
    from (
        select
            t.lead_id, t.content_id, t.occurred_at, r.stage, r.stage_order,
            row_number() over (partition by t.touch_id
                               order by r.entered_at desc, r.stage_order desc) as latest,
        from content_touches as t
        join recorded as r on r.lead_id = t.lead_id and t.occurred_at >= r.entered_at
    )
    where latest = 1
)

select
    ts.stage,
    ts.stage_order,
    ts.content_id,
    ts.lead_id,
    min(ts.occurred_at) as touched_at,
    p.progressed,
    p.next_stage_at,
from touch_stage as ts
join stage_progress(as_of, lead_filter) as p on p.lead_id = ts.lead_id and p.stage = ts.stage
group by ts.stage, ts.stage_order, ts.content_id, ts.lead_id, p.progressed, p.next_stage_at;
