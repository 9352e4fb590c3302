-- Purpose: the actual figure behind every target row (docs/metrics.md "Targets"): stage entries for
--   leads/mqls/sals/sqls/opportunities, amounts for pipeline_amount (created) and won_amount
--   (closed won), within the target's period and, when it names a team, for that team's owners
--   (target_contributions(), queries/macros/targets.sql: the rows the drill-down lists).
-- Grain: one row per target row.
-- Key: period_start, period_end, metric, team, segment.
-- Parameters: $as_of, $stage_metrics (metric names), $stage_names (the stage each counts). Targets are
--   in the corporate currency: amount actuals add only amounts in it (corporate_currency()).
with

actuals as (
    select target_row, sum(entries) as entries, sum(amount) as amount
    from target_contributions($as_of, $stage_metrics::varchar[], $stage_names::varchar[], true)
    group by target_row
),

final as (
    select
        t.period_start,
        t.period_end,
        t.metric,
        t.team,
        t.segment,
        t.target,
        case
            when t.metric in ('pipeline_amount', 'won_amount') then coalesce(a.amount, 0)
            when list_contains($stage_metrics::varchar[], t.metric) then coalesce(a.entries, 0)
        end::double as actual,
        -- share of the period elapsed at as_of, for pacing
        greatest(0.0, least(1.0,
            (epoch($as_of::timestamp) - epoch(t.period_start::timestamp))
            / nullif(epoch(t.period_end::timestamp + interval 1 day) - epoch(t.period_start::timestamp), 0)
        )) as elapsed_share,
    from targets_numbered() as t
    left join actuals as a using (target_row)
)

select * from final
order by period_start, metric, team, period_end, segment;
