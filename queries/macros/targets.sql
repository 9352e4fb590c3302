-- Purpose: what counts toward each target row (docs/metrics.md "Targets"), written once for the actuals
--   (marts/target_actuals.sql) and the leads and deals behind a row (marts/drill_targets.sql):
--   targets_numbered() numbers the target rows; target_contributions() gives, per row, each stage
--   entry of leads/mqls/sals/sqls/opportunities, or each opportunity created (pipeline_amount) or won
--   (won_amount) in the target's period by as_of, of the team's owners when the row names a team.
--   Amounts count only in the corporate currency (targets are in it: corporate_currency()).
-- Grain: targets_numbered: one row per target row; target_contributions: one row per target row and
--   stage entry or opportunity.
-- Parameters (of the macros): as_of, stage_metrics (metric names), stage_names (the stage each counts).
create macro targets_numbered() as table
    select row_number() over (order by period_start, period_end, metric, team, segment) as target_row, t.*
    from targets as t;

create macro target_contributions(as_of, stage_metrics, stage_names) as table
    with

    metric_stage as (
        select list_extract(stage_metrics, i) as metric, list_extract(stage_names, i) as stage
        from (select unnest(generate_series(1, len(stage_metrics))) as i)
    ),

    owner_team as (
        select rep_id, team from reps
    ),

    stage_rows as (
        select t.target_row, s.lead_id, null::varchar as opportunity_id, s.entered_at as counted_at,
            null::double as amount,
        from targets_numbered() as t
        join metric_stage as ms using (metric)
        join lead_stages as s
            on s.stage = ms.stage
            and s.entered_at <= as_of
            and s.entered_at >= t.period_start
            and s.entered_at < t.period_end + interval 1 day
        left join owner_team as r on r.rep_id = s.owner_id  -- a stage row carries its lead's owner
        where t.team is null or r.team = t.team
    ),

    amount_rows as (
        select t.target_row, o.lead_id, o.opportunity_id,
            case t.metric when 'pipeline_amount' then o.created_at else o.closed_at end as counted_at,
            o.amount,
        from targets_numbered() as t
        join opportunities as o
            on o.amount_currency = corporate_currency()
            and case t.metric
                when 'pipeline_amount' then o.created_at <= as_of
                    and o.created_at >= t.period_start and o.created_at < t.period_end + interval 1 day
                else o.status = 'won' and o.closed_at <= as_of
                    and o.closed_at >= t.period_start and o.closed_at < t.period_end + interval 1 day
            end
        left join owner_team as r on r.rep_id = o.owner_id
        where t.metric in ('pipeline_amount', 'won_amount')
          and (t.team is null or r.team = t.team)
    )

    select * from stage_rows
    union all
    select * from amount_rows;
