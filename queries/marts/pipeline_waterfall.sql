-- Purpose: the pipeline movement waterfall (docs/metrics.md "Pipeline movement"): per week or month and
--   movement, the deals that moved and their amounts, summed from pipeline_moves()
--   (queries/macros/pipeline.sql) without returning the deals. Per period opening + Σ net_amount = closing.
--   A movement no deal made in a period has no row (the engine adds it with zeros).
-- Grain: one row per period and movement.
-- Key: period_start, movement.
-- Parameters: $lead_filter, $start, $end (dates: periods starting in [$start's period, $end]), $grain
--   ('week' or 'month'), $as_of, $currency.
with

sums as (
    select
        period_start,
        movement,
        count(*) as deals,
        sum(amount) as amount,
        sum(net_amount) as net_amount,
    from pipeline_moves($lead_filter, $start, $end, $grain, $as_of, $currency)
    group by period_start, movement
)

select * from sums
order by period_start, movement;
