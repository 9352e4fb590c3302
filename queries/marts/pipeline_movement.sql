-- Purpose: what moved the quarter's open pipeline in each week or month (docs/metrics.md "Pipeline
--   movement"), deal by deal: the rows of pipeline_moves() (queries/macros/pipeline.sql), which says what
--   the pipeline of a period is and how each deal moves.
-- Grain: one row per period, deal and movement (opening and closing rows included).
-- Key: period_start, opportunity_id, movement.
-- Parameters: $lead_filter, $start, $end (dates: periods starting in [$start's period, $end]), $grain
--   ('week' or 'month'), $as_of, $currency.
select *
from pipeline_moves($lead_filter, $start, $end, $grain, $as_of, $currency)
order by period_start, movement_order, movement, opportunity_id;
