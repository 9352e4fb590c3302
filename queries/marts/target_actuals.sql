-- Purpose: the actual figure behind every target row (docs/metrics.md "Targets"): stage entries for
--   leads/mqls/sals/sqls/opportunities, amounts for pipeline_amount (created) and won_amount
--   (closed won), within the target's period and, when it names a team, for that team's owners.
-- Grain: one row per target row.
-- Key: period_start, period_end, metric, team, segment.
-- Parameters: $as_of, $stage_metrics (metric names), $stage_names (the stage each counts). Targets are
--   in the corporate currency: amount actuals add only amounts in it (corporate_currency()).
with

metric_stage as (
    -- the lists pairwise: one unnest of positions (two unnests zip on DuckDB but cross-join on Spark)
    select list_extract($stage_metrics::varchar[], i) as metric, list_extract($stage_names::varchar[], i) as stage
    from (select unnest(generate_series(1, len($stage_metrics::varchar[]))) as i)
),

owner_team as (
    select rep_id, team from reps
),

targets_in_scope as (
    select row_number() over (order by period_start, metric, team, segment) as target_row, t.*
    from targets as t
),

stage_actuals as (
    select t.target_row, count(s.lead_id)::double as actual
    from targets_in_scope as t
    join metric_stage as ms using (metric)
    left join (
        select s.lead_id, s.stage, s.entered_at, r.team
        from lead_stages as s
        join leads as l using (lead_id)
        left join owner_team as r on r.rep_id = l.owner_id
        where s.entered_at <= $as_of
    ) as s
        on s.stage = ms.stage
        and s.entered_at >= t.period_start
        and s.entered_at < t.period_end + interval 1 day
        and (t.team is null or s.team = t.team)
    group by t.target_row
),

amount_actuals as (
    select t.target_row, coalesce(sum(o.amount), 0)::double as actual
    from targets_in_scope as t
    left join (
        select o.*, r.team
        from opportunities as o
        left join owner_team as r on r.rep_id = o.owner_id
    ) as o
        on (t.team is null or o.team = t.team)
        and o.amount_currency = corporate_currency()
        and case t.metric
            when 'pipeline_amount' then o.created_at <= $as_of
                and o.created_at >= t.period_start and o.created_at < t.period_end + interval 1 day
            else o.status = 'won' and o.closed_at <= $as_of
                and o.closed_at >= t.period_start and o.closed_at < t.period_end + interval 1 day
        end
    where t.metric in ('pipeline_amount', 'won_amount')
    group by t.target_row
),

final as (
    select
        t.period_start,
        t.period_end,
        t.metric,
        t.team,
        t.segment,
        t.target,
        coalesce(sa.actual, aa.actual) as actual,
        -- share of the period elapsed at as_of, for pacing
        greatest(0.0, least(1.0,
            (epoch($as_of::timestamp) - epoch(t.period_start::timestamp))
            / nullif(epoch(t.period_end::timestamp + interval 1 day) - epoch(t.period_start::timestamp), 0)
        )) as elapsed_share,
    from targets_in_scope as t
    left join stage_actuals as sa using (target_row)
    left join amount_actuals as aa using (target_row)
)

select * from final
order by period_start, metric, team, period_end, segment;
