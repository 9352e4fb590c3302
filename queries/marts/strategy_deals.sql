-- Purpose: the deals behind the growth–share matrix (docs/metrics.md "Strategy"): every won or lost
--   opportunity of strategy_scope() (queries/macros/strategy.sql) closed from $from_at to $as_of with its
--   business unit ({unit}: the configured columns of the deal or its lead), the competitor it names and the
--   amount it booked when won in $currency (the growth paths of the won deals: marts/strategy_paths.sql).
-- Grain: one row per won or lost opportunity closed in [$from_at, $as_of], in the lead filter's scope.
-- Key: opportunity_id.
-- Parameters: $as_of, $lead_filter, $from_at, $currency.
with

final as (
    select
        j.opportunity_id,
        j.lead_id,
        j.account_key as account_id,
        j.owner_id,
        {unit} as unit,
        j.closed_at,
        j.status,
        j.competitor,
        case when j.status = 'won' and j.amount_currency = $currency then coalesce(j.amount, 0) end
            as won_amount,
    from strategy_scope($lead_filter, $as_of) as j
    where j.closed_at >= $from_at
)

-- no ORDER BY: the review sums these rows
select * from final;
