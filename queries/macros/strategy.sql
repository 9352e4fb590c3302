-- Purpose: the deals the strategy review judges (docs/metrics.md "Strategy"), one rule for the portfolio's
--   rows (marts/strategy_deals.sql) and the growth paths' (marts/strategy_paths.sql): every won or lost
--   opportunity closed by as_of (and created by it) in the lead filter's scope, with `account_key` — the
--   deal's account, else its lead's (the market when [strategy] market = account_id).
-- Grain: strategy_scope: one row per won or lost opportunity.
-- Parameters (of the macro): lead_filter, as_of.
create macro strategy_scope(lead_filter, as_of) as table
    select o.*, coalesce(o.account_id, o.lead_account_id) as account_key,
    from deal_facts as o
    where o.status in ('won', 'lost')
      and o.closed_at <= as_of
      and o.created_at <= as_of
      and case when o.has_lead
          then lead_in_scope(o.source, o.region, o.industry, o.lead_owner_id, lead_filter)
          else no_lead_filter(lead_filter)
      end;
