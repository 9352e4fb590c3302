-- Purpose: the account-based funnel (docs/metrics.md "Accounts as the buyer"): accounts engaged (a lead
--   of theirs had a touch in the period) → of those, with an opportunity created in the period → with a
--   deal won in the period; and the won revenue of the period (deals of any account) with the part whose
--   account had touches from more than one person at or before the deal's creation (the buying committee).
-- Grain: one row.
-- Key: none (one row).
-- Parameters: $start, $end, $as_of, $lead_filter, $currency.
with

engaged as (
    select distinct l.account_id
    from filtered_leads($lead_filter) as l
    join touches as tc on tc.lead_id = l.lead_id
    where l.account_id is not null
      and tc.occurred_at <= $as_of
      and in_period(tc.occurred_at, $start, $end)
),

deals as (
    select
        o.opportunity_id,
        coalesce(o.account_id, l.account_id) as account_id,
        o.created_at,
        o.status = 'won' and o.closed_at <= $as_of and in_period(o.closed_at, $start, $end) as is_won,
        o.created_at <= $as_of and in_period(o.created_at, $start, $end) as is_created,
        o.amount_currency = money_currency($currency) as is_in_currency,
        coalesce(o.amount, 0) as amount,
    from opportunities_in_scope($lead_filter) as o
    left join leads as l on l.lead_id = o.lead_id
),

people as (
    select d.opportunity_id, count(distinct p.lead_id) as people
    from deals as d
    join leads as p on p.account_id = d.account_id
    join touches as tc on tc.lead_id = p.lead_id and tc.occurred_at <= d.created_at
    where d.is_won
    group by d.opportunity_id
),

engaged_count as (
    select count(*) as accounts_engaged from engaged
),

final as (
    select
        any_value(n.accounts_engaged) as accounts_engaged,
        count(distinct d.account_id) filter (where d.is_created and e.account_id is not null)
            as accounts_with_opportunity,
        count(distinct d.account_id) filter (where d.is_won and e.account_id is not null) as accounts_won,
        coalesce(sum(d.amount) filter (where d.is_won and d.is_in_currency), 0) as won_amount,
        coalesce(sum(d.amount) filter (where d.is_won and d.is_in_currency and p.people > 1), 0)
            as committee_won_amount,
    from deals as d
    left join engaged as e on e.account_id = d.account_id
    left join people as p on p.opportunity_id = d.opportunity_id
    cross join engaged_count as n
)

select * from final;
