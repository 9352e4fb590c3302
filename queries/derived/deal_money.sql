-- Purpose: every amount in the corporate currency where a rate allows (METRICS.md "Money"): a won or
--   lost deal converts at its close date, an open deal at the export's last event, a campaign's cost at
--   its start (else end, else that last event). The rate valid on a day is the latest exchange_rates row
--   of that currency from on or before it (the earliest row for a day before them all). An amount whose
--   currency has no rate keeps its own currency: `amount_currency` / `cost_currency` say which, and no
--   figure ever adds two of them. `original_amount`, `original_cost` and `currency` keep what the export said.
--   The corporate_currency() macro names the corporate currency; the money_currency(chosen) macro is the currency a money figure is shown in: the chosen one, else
--   the default (the corporate currency when any amount is in it, else the one with the most deals).
-- Grain: opportunities and campaigns rebuilt in place (one row per opportunity / campaign, as loaded);
--   currencies: one row per currency of an amount.
-- Key: opportunities.opportunity_id; campaigns.campaign_id; currencies.currency.
-- Parameters: $currency (the corporate currency).
create temp table rates as
select upper(currency) as currency, valid_from, rate from exchange_rates
union all
select $currency, date '0001-01-01', 1.0;

create temp table first_rates as
select currency, arg_min(rate, valid_from) as rate from rates group by all;

create temp table money_as_of as
select coalesce(greatest(last_recorded_event(), (select max(closed_at) from opportunities)),
                timestamp '1970-01-01')::date as as_of_date;

create temp macro rate_on(code, day) as coalesce(
    (select arg_max(r.rate, r.valid_from) from rates as r where r.currency = code and r.valid_from <= day),
    (select f.rate from first_rates as f where f.currency = code));

create or replace table opportunities as
with

rated as (
    select
        o.*,
        upper(coalesce(o.currency, $currency)) as deal_currency,
        rate_on(upper(coalesce(o.currency, $currency)),
                case when o.status in ('won', 'lost') then o.closed_at::date else m.as_of_date end) as rate,
    from opportunities as o, money_as_of as m
)

select
    * exclude (amount, currency, deal_currency, rate),
    amount * coalesce(rate, 1) as amount,
    case when rate is null then deal_currency else $currency end as amount_currency,
    amount as original_amount,
    deal_currency as currency,
from rated;

create or replace table campaigns as
with

rated as (
    select
        c.*,
        upper(coalesce(c.currency, $currency)) as cost_currency_raw,
        rate_on(upper(coalesce(c.currency, $currency)), coalesce(c.start_date, c.end_date, m.as_of_date)) as rate,
    from campaigns as c, money_as_of as m
)

select
    * exclude (cost, currency, cost_currency_raw, rate),
    cost * coalesce(rate, 1) as cost,
    case when rate is null then cost_currency_raw else $currency end as cost_currency,
    cost as original_cost,
    cost_currency_raw as currency,
from rated;

create table currencies as
with

amounts as (
    select amount_currency as currency, count(*) as deals from opportunities group by all
),

chosen as (
    select coalesce(
        (select currency from amounts where currency = $currency),
        (select arg_max(currency, deals) from amounts),
        $currency) as currency
)

select
    a.currency,
    a.deals,
    a.currency = $currency as is_corporate,
    a.currency = (select currency from chosen) as is_default,
from amounts as a
union all
select $currency, 0, true, not exists (select 1 from amounts)
where not exists (select 1 from amounts where currency = $currency);

create macro money_currency(chosen) as
    coalesce(chosen, (select currency from currencies where is_default));

create macro corporate_currency() as
    (select currency from currencies where is_corporate);
