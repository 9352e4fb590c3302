-- Purpose: the deals an attribution figure shares out (docs/metrics.md "Revenue contribution"), one rule for
--   the rule models, their drill-down and the data-driven models' paths: the opportunities in scope whose
--   amount is in the currency shown, of the basis ('won': won and closed in the period by as-of;
--   'pipeline': created in the period by as-of).
-- Grain: basis_deals: one row per opportunity.
-- Parameters (of the macros): lead_filter, chosen (a currency code or null), basis, start_date, end_date, as_of.

create macro basis_deals(lead_filter, chosen, basis, start_date, end_date, as_of) as table
    select o.*
    from opportunities_in_scope(lead_filter) as o
    where o.amount_currency = money_currency(chosen)
      and case basis
          when 'won' then o.status = 'won' and o.closed_at <= as_of and in_period(o.closed_at, start_date, end_date)
          else o.created_at <= as_of and in_period(o.created_at, start_date, end_date)
      end;
