-- Purpose: the growth path of every won deal (docs/metrics.md "Strategy"): whether its market ({market}: the
--   account, or a segment column) and its business unit ({unit}) had a won deal in the $new_months months
--   before it closed (penetration, market_development, product_development, diversification), with the
--   amount it booked in $currency. The deals are strategy_scope()'s (queries/macros/strategy.sql); the
--   history a path looks back on is every won deal in scope closed by $as_of (in any currency), so a deal
--   near the start of the data looks "new".
-- Grain: one row per won opportunity closed in [$from_at, $as_of], in the lead filter's scope.
-- Key: opportunity_id.
-- Parameters: $as_of, $lead_filter, $from_at, $new_months, $currency.
with

won as (
    select
        j.opportunity_id,
        j.lead_id,
        j.account_key as account_id,
        j.owner_id,
        j.closed_at,
        case when j.amount_currency = $currency then coalesce(j.amount, 0) end as won_amount,
        {unit} as unit,
        -- a deal without a market value (no account) is a market of its own: always new
        case when {market} = '(none)' then 'deal ' || j.opportunity_id else {market} end as market,
    from strategy_scope($lead_filter, $as_of) as j
    where j.status = 'won'
),

-- per key and closing time, the latest earlier closing time of a won deal with the same key
market_times as (
    select market, closed_at, lag(closed_at) over (partition by market order by closed_at) as before_at,
    from (select distinct market, closed_at from won) as m
),

unit_times as (
    select unit, closed_at, lag(closed_at) over (partition by unit order by closed_at) as before_at,
    from (select distinct unit, closed_at from won) as u
),

pair_times as (
    select market, unit, closed_at,
        lag(closed_at) over (partition by market, unit order by closed_at) as before_at,
    from (select distinct market, unit, closed_at from won) as p
),

known as (
    select
        w.*,
        coalesce(m.before_at >= w.closed_at - to_months($new_months), false) as is_known_market,
        coalesce(u.before_at >= w.closed_at - to_months($new_months), false) as is_known_unit,
        coalesce(p.before_at >= w.closed_at - to_months($new_months), false) as is_known_in_market,
    from won as w
    join market_times as m on m.market = w.market and m.closed_at = w.closed_at
    join unit_times as u on u.unit = w.unit and u.closed_at = w.closed_at
    join pair_times as p on p.market = w.market and p.unit = w.unit and p.closed_at = w.closed_at
    where w.closed_at >= $from_at
),

final as (
    select
        k.opportunity_id,
        k.lead_id,
        k.account_id,
        k.owner_id,
        k.unit,
        k.market,
        k.closed_at,
        k.won_amount,
        case
            when k.is_known_market and k.is_known_in_market then 'penetration'
            when k.is_known_market then 'product_development'
            when k.is_known_unit then 'market_development'
            else 'diversification'
        end as path,
    from known as k
)

-- no ORDER BY: the review sums these rows, and the list of a path's deals sorts what it shows
select * from final;
