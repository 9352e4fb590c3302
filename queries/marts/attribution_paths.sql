-- Purpose: the touch paths the data-driven attribution models learn from (docs/metrics.md "Data-driven
--   attribution"): converting paths are the deals of the basis ('won': won, closed in the period;
--   'pipeline': created in it) with their touches up to the deal's creation, exactly those the rule
--   models share (attribution.sql); non-converting paths are the leads (accounts) in scope that never
--   converted by as-of, with their touches up to as-of, whose last touch falls in the period. A deal
--   without touches has no steps (it credits "(no touch)"). Grain 'lead': a deal's own lead's touches;
--   'account': the touches of every lead of the deal's account (the buying committee: all of them, in
--   the lead filter or not, as the deal is); a deal or lead without an account is its own account.
-- Grain: one row per distinct path ({by} values in time order, ties by touch_id) and outcome.
-- Key: steps, is_converting.
-- Parameters: $basis, $grain ('lead' or 'account'), $start, $end, $as_of, $lead_filter, $currency.
with

deals as (
    select
        o.opportunity_id,
        o.created_at,
        coalesce(o.amount, 0) as amount,
        coalesce(o.account_id, l.account_id) as account_id,
        o.lead_id,
    from basis_deals($lead_filter, $currency, $basis, $start, $end, $as_of) as o
    left join leads as l on l.lead_id = o.lead_id
),

lead_deal_touches as (
    select d.opportunity_id, tc.occurred_at, tc.touch_id, {by} as step, tc.lead_id,
    from deals as d
    join opportunity_touches as tc using (opportunity_id)
    left join content as ct on ct.content_id = tc.content_id
    where $grain = 'lead'
),

account_deal_touches as (
    select d.opportunity_id, tc.occurred_at, tc.touch_id, {by} as step, tc.lead_id,
    from deals as d
    join leads as p on p.account_id = d.account_id
    join touches as tc on tc.lead_id = p.lead_id and tc.occurred_at <= d.created_at
    left join content as ct on ct.content_id = tc.content_id
    where $grain = 'account'
    union all
    select d.opportunity_id, tc.occurred_at, tc.touch_id, {by} as step, tc.lead_id,
    from deals as d
    join opportunity_touches as tc using (opportunity_id)
    left join content as ct on ct.content_id = tc.content_id
    where $grain = 'account' and d.account_id is null
),

deal_touches as (
    select * from lead_deal_touches
    union all
    select * from account_deal_touches
),

converting as (
    select
        d.opportunity_id as unit_id,
        d.amount,
        case when count(t.step) > 0 then list(t.step order by t.occurred_at, t.touch_id) end as steps,
    from deals as d
    join deal_touches as t using (opportunity_id)
    group by d.opportunity_id, d.amount
),

untouched as (
    select d.opportunity_id as unit_id, d.amount
    from deals as d
    anti join deal_touches as t using (opportunity_id)
),

-- leads (accounts) with a deal that converts under the basis at any time: never a non-converting path
converted_units as (
    select case $grain
        when 'lead' then o.lead_id
        else coalesce(o.account_id, l.account_id, '(lead) ' || o.lead_id)
    end as unit_id
    from opportunities as o
    left join leads as l on l.lead_id = o.lead_id
    where case $basis
        when 'won' then o.status = 'won' and o.closed_at <= $as_of
        else o.created_at <= $as_of
    end
),

other_touches as (
    select
        case $grain when 'lead' then l.lead_id else coalesce(l.account_id, '(lead) ' || l.lead_id) end as unit_id,
        tc.occurred_at,
        tc.touch_id,
        {by} as step,
    from filtered_leads($lead_filter) as l
    join touches as tc on tc.lead_id = l.lead_id and tc.occurred_at <= $as_of
    left join content as ct on ct.content_id = tc.content_id
),

not_converting as (
    select t.unit_id, case when count(t.step) > 0 then list(t.step order by t.occurred_at, t.touch_id) end as steps,
    from other_touches as t
    anti join converted_units as c on c.unit_id = t.unit_id
    group by t.unit_id
    having in_period(max(t.occurred_at), $start, $end)
),

units as (
    select steps, true as is_converting, amount from converting
    union all
    select null, true, amount from untouched
    union all
    select steps, false, 0.0 from not_converting
),

final as (
    select steps, is_converting, count(*) as paths, sum(amount) as amount
    from units
    group by steps, is_converting
)

select * from final
order by is_converting desc, steps;
