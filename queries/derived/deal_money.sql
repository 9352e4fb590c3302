-- Purpose: every amount in the corporate currency where a rate allows (docs/metrics.md "Money"): a won or
--   lost deal converts at its close date, an open deal at the export's last event, a campaign's cost at
--   its start (else end, else that last event). The rate valid on a day is the latest exchange_rates row
--   of that currency from on or before it (the earliest row for a day before them all). An amount whose
--   currency has no rate keeps its own currency: `amount_currency` / `cost_currency` say which, and no
--   figure ever adds two of them. `original_amount`, `original_cost` and `currency` keep what the export said.
--   macros/money.sql names, from the currencies table, the currency a money figure is shown in.
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

create temp table deal_days as
select
    o.opportunity_id,
    upper(coalesce(o.currency, $currency)) as day_currency,
    case when o.status in ('won', 'lost') then o.closed_at::date else m.as_of_date end as rate_day,
from opportunities as o, money_as_of as m;

create temp table campaign_days as
select
    c.campaign_id,
    upper(coalesce(c.currency, $currency)) as day_currency,
    coalesce(c.start_date, c.end_date, m.as_of_date) as rate_day,
from campaigns as c, money_as_of as m;

-- each (currency, day) looked up once: a million deals share a few hundred days
create temp table day_rates as
select day_currency, rate_day, rate_on(day_currency, rate_day) as rate
from (select day_currency, rate_day from deal_days union select day_currency, rate_day from campaign_days);

create or replace table opportunities as
with

rated as (
    select o.*, d.day_currency, r.rate,
    from opportunities as o
    join deal_days as d using (opportunity_id)
    left join day_rates as r using (day_currency, rate_day)
)

select
    * exclude (amount, currency, day_currency, rate),
    amount * coalesce(rate, 1) as amount,
    case when rate is null then day_currency else $currency end as amount_currency,
    amount as original_amount,
    day_currency as currency,
from rated;

create or replace table campaigns as
with

rated as (
    select c.*, d.day_currency, r.rate,
    from campaigns as c
    join campaign_days as d using (campaign_id)
    left join day_rates as r using (day_currency, rate_day)
)

select
    * exclude (cost, currency, day_currency, rate),
    cost * coalesce(rate, 1) as cost,
    case when rate is null then day_currency else $currency end as cost_currency,
    cost as original_cost,
    day_currency as currency,
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
