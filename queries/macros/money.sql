-- Purpose: the currency money is shown in (docs/metrics.md "Money"): money_currency(chosen) is the chosen one,
--   else the default (the corporate currency when any amount is in it, else the one with the most
--   deals); corporate_currency() is the corporate one. Both read the currencies table deal_money.sql builds.
-- Grain: scalar macros.
-- Parameters (of the macros): chosen (a currency code or null).

create macro money_currency(chosen) as
    coalesce(chosen, (select currency from currencies where is_default));

create macro corporate_currency() as
    (select currency from currencies where is_corporate);
