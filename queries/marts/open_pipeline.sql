-- Purpose: the open pipeline at $as_of (opportunities created by then and not closed by then).
-- Grain: one row.
-- Key: none (one row).
-- Parameters: $as_of, $currency (the amount sums only deals in it; the count is of every deal).
select
    count(*) as open_opportunities,
    coalesce(sum(amount) filter (where amount_currency = money_currency($currency)), 0)::double as open_pipeline_amount,
from opportunities
where created_at <= $as_of and (closed_at is null or closed_at > $as_of);
