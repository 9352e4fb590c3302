-- Purpose: what counts toward each target row (docs/metrics.md "Targets"), written once for the actuals
--   (marts/target_actuals.sql) and the leads and deals behind a row (marts/drill_targets.sql):
--   targets_numbered() numbers the target rows; target_contributions() gives, per row, each stage
--   entry of leads/mqls/sals/sqls/opportunities, or each opportunity created (pipeline_amount) or won
--   (won_amount) in the target's period by as_of, of the team's owners when the row names a team.
--   Amounts count only in the corporate currency (targets are in it: corporate_currency()).
-- Grain: targets_numbered: one row per target row; target_contributions: one row per target row and
--   stage entry or opportunity (entries = 1), or with by_day per target row, stage or metric, owner and
--   day (entries = how many; amount their sum).
-- Parameters (of the macros): as_of, stage_metrics (metric names), stage_names (the stage each counts),
--   by_day (true: the actuals' daily sums; false: the rows themselves, for the drill-down).
create macro targets_numbered() as table
    select row_number() over (order by period_start, period_end, metric, team, segment) as target_row, t.*
    from targets as t;

create macro target_contributions(as_of, stage_metrics, stage_names, by_day) as table
    with

    metric_stage as (
        select list_extract(stage_metrics, i) as metric, list_extract(stage_names, i) as stage
        from (select unnest(generate_series(1, len(stage_metrics))) as i)
    ),

    owner_team as (
        select rep_id, team from reps
    ),

    -- What can count, by as_of: each entry of a counted stage, each deal created and each deal won (its
    -- amount in the corporate currency). by_day (the actuals): those of a stage or metric, owner and day
    -- as one row, counted_at its day's start. A period starts and ends on a day's boundary, so a day row
    -- lies inside a period exactly when each of its entries does, and the conditions below are the same
    -- for both; the drill-down lists the entries themselves.
    entries as (
        select s.stage, s.owner_id, s.lead_id, s.entered_at as counted_at
        from lead_stages as s
        where s.entered_at <= as_of
          and s.stage in (select stage from metric_stage)
    ),

    stage_counted as (
        select stage, owner_id, lead_id, counted_at, 1 as entries
        from entries
        where not by_day
        union all
        select stage, owner_id, null as lead_id, date_trunc('day', counted_at) as counted_at, count(*) as entries
        from entries
        where by_day
        group by stage, owner_id, date_trunc('day', counted_at)
    ),

    deal_events as (
        select 'pipeline_amount' as metric, o.opportunity_id, o.lead_id, o.owner_id, o.created_at as counted_at,
            o.amount,
        from opportunities as o
        where o.amount_currency = corporate_currency() and o.created_at <= as_of
        union all
        select 'won_amount', o.opportunity_id, o.lead_id, o.owner_id, o.closed_at, o.amount
        from opportunities as o
        where o.amount_currency = corporate_currency() and o.status = 'won' and o.closed_at <= as_of
    ),

    deal_counted as (
        select metric, opportunity_id, lead_id, owner_id, counted_at, amount, 1 as entries
        from deal_events
        where not by_day
        union all
        select metric, null as opportunity_id, null as lead_id, owner_id, date_trunc('day', counted_at) as counted_at,
            sum(amount) as amount, count(*) as entries
        from deal_events
        where by_day
        group by metric, owner_id, date_trunc('day', counted_at)
    ),

    stage_rows as (
        select t.target_row, s.lead_id, null::varchar as opportunity_id, s.counted_at, null::double as amount,
            s.entries,
        from targets_numbered() as t
        join metric_stage as ms using (metric)
        join stage_counted as s
            on s.stage = ms.stage
            and s.counted_at >= t.period_start
            and s.counted_at < t.period_end + interval 1 day
        left join owner_team as r on r.rep_id = s.owner_id  -- a stage row carries its lead's owner
        where t.team is null or r.team = t.team
    ),

    amount_rows as (
        select t.target_row, d.lead_id, d.opportunity_id, d.counted_at, d.amount, d.entries,
        from targets_numbered() as t
        join deal_counted as d
            on d.metric = t.metric
            and d.counted_at >= t.period_start
            and d.counted_at < t.period_end + interval 1 day
        left join owner_team as r on r.rep_id = d.owner_id
        where t.team is null or r.team = t.team
    )

    select * from stage_rows
    union all
    select * from amount_rows;
