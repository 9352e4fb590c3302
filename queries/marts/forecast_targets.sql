-- Purpose: the bookings target of a forecast period (docs/metrics.md "Forecast"): the company-wide
--   won_amount targets (no team) whose period starts in [$from_at, $to_at), in the corporate currency.
-- Grain: one row.
-- Key: none (one row).
-- Parameters: $from_at, $to_at.
select
    sum(target)::double as target,
    count(*) as target_rows,
from targets
where metric = 'won_amount'
  and team is null
  and period_start >= $from_at::date
  and period_start < $to_at::date;
