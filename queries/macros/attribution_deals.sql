-- Purpose: the opportunities an attribution credits (docs/metrics.md "Revenue contribution"), written once
--   for the models (marts/attribution.sql) and the deals behind a row (marts/drill_attribution.sql):
--   basis 'won': won, closed in the period; 'pipeline': created in it; both known by as_of, in scope
--   of the lead filter, with the amount in the chosen currency (money_currency(), macros/money.sql).
-- Grain: one row per opportunity (no amount counts 0).
-- Parameters (of the macro): basis, as_of, start_date, end_date, lead_filter, currency.
create macro attribution_deals(basis, as_of, start_date, end_date, lead_filter, currency) as table
    select o.opportunity_id, o.lead_id, coalesce(o.amount, 0) as amount, o.status, o.created_at, o.closed_at,
        o.owner_id,
    from opportunities_in_scope(lead_filter) as o
    where o.amount_currency = money_currency(currency)
      and case basis
          when 'won' then o.status = 'won' and o.closed_at <= as_of
              and in_period(o.closed_at, start_date, end_date)
          else o.created_at <= as_of
              and in_period(o.created_at, start_date, end_date)
      end;
