-- Purpose: the deals behind the strategy review (docs/metrics.md "Strategy"): every won or lost opportunity
--   closed from $from_at to $as_of with its business unit ({unit}: the configured columns of the deal or its
--   lead), its market ({market}: the account, or a segment column), the competitor it names, the amount it
--   booked when won in $currency, and — for a won deal — its growth path: whether its market and its unit
--   had a won deal in the $new_months months before it closed (penetration, market_development,
--   product_development, diversification). The history a path looks back on is every won deal in scope
--   closed by $as_of (in any currency), so a deal near the start of the data looks "new".
-- Grain: one row per won or lost opportunity closed in [$from_at, $as_of], in the lead filter's scope.
-- Key: opportunity_id.
-- Parameters: $as_of, $lead_filter, $from_at, $new_months, $currency.
with

facts as (
    -- account_key: the deal's account, else its lead's (the market when [strategy] market = account_id)
    select o.*, coalesce(o.account_id, o.lead_account_id) as account_key,
    from deal_facts as o
),

scoped as (
    select
        j.opportunity_id,
        j.lead_id,
        j.account_key as account_id,
        j.owner_id,
        j.closed_at,
        j.status,
        j.amount,
        j.amount_currency,
        j.competitor,
        {unit} as unit,
        -- a deal without a market value (no account) is a market of its own: always new
        case when {market} = '(none)' then 'deal ' || j.opportunity_id else {market} end as market,
    from facts as j
    where j.status in ('won', 'lost')
      and j.closed_at <= $as_of
      and j.created_at <= $as_of
      and case when j.has_lead
          then lead_in_scope(j.source, j.region, j.industry, j.lead_owner_id, $lead_filter)
          else no_lead_filter($lead_filter)
      end
),

won as (
    select opportunity_id, closed_at, unit, market from scoped where status = 'won'
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
        w.opportunity_id,
        coalesce(m.before_at >= w.closed_at - to_months($new_months), false) as is_known_market,
        coalesce(u.before_at >= w.closed_at - to_months($new_months), false) as is_known_unit,
        coalesce(p.before_at >= w.closed_at - to_months($new_months), false) as is_known_in_market,
    from won as w
    join market_times as m on m.market = w.market and m.closed_at = w.closed_at
    join unit_times as u on u.unit = w.unit and u.closed_at = w.closed_at
    join pair_times as p on p.market = w.market and p.unit = w.unit and p.closed_at = w.closed_at
),

final as (
    select
        s.opportunity_id,
        s.lead_id,
        s.account_id,
        s.owner_id,
        s.unit,
        s.market,
        s.closed_at,
        s.status,
        s.competitor,
        case when s.status = 'won' and s.amount_currency = $currency then coalesce(s.amount, 0) end
            as won_amount,
        case
            when s.status <> 'won' then null
            when k.is_known_market and k.is_known_in_market then 'penetration'
            when k.is_known_market then 'product_development'
            when k.is_known_unit then 'market_development'
            else 'diversification'
        end as path,
    from scoped as s
    left join known as k on k.opportunity_id = s.opportunity_id
    where s.closed_at >= $from_at
)

select * from final
order by closed_at, opportunity_id;
