-- Purpose: the open pipeline at $as_of (opportunities created by then and not closed by then).
-- Grain: one row.
-- Parameters: $as_of.
select
    count(*) as open_opportunities,
    coalesce(sum(amount), 0)::double as open_pipeline_amount,
from opportunities
where created_at <= $as_of and (closed_at is null or closed_at > $as_of);
