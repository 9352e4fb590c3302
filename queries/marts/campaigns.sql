-- Purpose: what each campaign cost and produced from the leads whose original campaign it is:
--   leads, hand-offs, sqls, opportunities, won deals, sourced won revenue and open pipeline.
--   cost = campaigns.cost + the campaign's spend rows (spend_cost is that part); a campaign that only
--   spend or the leads name is kept, named by its id, its dates those of its spend.
-- Grain: one row per campaign (plus '(none)' for leads without a campaign).
-- Key: campaign_id.
-- Parameters: $start, $end (lead creation dates), $as_of, $handoff_stage, $qualified_stage,
--   $opportunity_stage, $lead_filter, $currency (revenue and
--   pipeline of the deals in it; cost_currency is the currency of cost: spend rows count as corporate).
with

spent as (
    select
        campaign_id,
        sum(cost) as spend_cost,
        min(spend_date) as first_spend_date,
        max(spend_date) as last_spend_date,
    from spend
    group by campaign_id
),

campaign_leads as (
    select l.lead_id, coalesce(l.campaign_id, '(none)') as campaign_id
    from filtered_leads($lead_filter) as l
    where l.created_at <= $as_of
      and in_period(l.created_at, $start, $end)
),

stage_counts as (
    -- a lead has one lead_stages row per stage it reached: counting rows counts leads; a stage row
    -- carries its lead's columns, so the leads of campaign_leads are those rows' (no join)
    select
        coalesce(s.campaign_id, '(none)') as campaign_id,
        count(*) filter (where s.stage = $handoff_stage) as mqls,
        count(*) filter (where s.stage = $qualified_stage) as sqls,
        count(*) filter (where s.stage = $opportunity_stage) as opportunities,
    from lead_stages as s
    where lead_in_scope(s.source, s.region, s.industry, s.owner_id, $lead_filter)
      and s.lead_created_at <= $as_of
      and in_period(s.lead_created_at, $start, $end)
      and s.entered_at <= $as_of
      and s.stage in ($handoff_stage, $qualified_stage, $opportunity_stage)
    group by coalesce(s.campaign_id, '(none)')
),

reached as (
    select
        n.campaign_id,
        n.leads,
        coalesce(k.mqls, 0) as mqls,
        coalesce(k.sqls, 0) as sqls,
        coalesce(k.opportunities, 0) as opportunities,
    from (select campaign_id, count(*) as leads from campaign_leads group by campaign_id) as n
    left join stage_counts as k using (campaign_id)
),

money as (
    -- the deals of campaign_leads' leads: deal_facts carries each deal's lead columns (no join)
    select
        coalesce(o.campaign_id, '(none)') as campaign_id,
        count(*) filter (where o.status = 'won' and o.closed_at <= $as_of) as won_deals,
        coalesce(sum(o.amount) filter (where o.status = 'won' and o.closed_at <= $as_of and o.amount_currency = money_currency($currency)), 0)
            as sourced_won_amount,
        coalesce(sum(o.amount) filter (where (o.closed_at is null or o.closed_at > $as_of) and o.amount_currency = money_currency($currency)), 0)
            as open_pipeline_amount,
    from deal_facts as o
    where o.has_lead
      and lead_in_scope(o.source, o.region, o.industry, o.lead_owner_id, $lead_filter)
      and o.lead_created_at <= $as_of
      and in_period(o.lead_created_at, $start, $end)
      and o.created_at <= $as_of
    group by coalesce(o.campaign_id, '(none)')
),

final as (
    select
        coalesce(k.campaign_id, s.campaign_id, r.campaign_id) as campaign_id,
        coalesce(k.name, case when r.campaign_id = '(none)' then '(no campaign)' end,
                 k.campaign_id, s.campaign_id, r.campaign_id) as name,
        k.channel,
        coalesce(k.start_date, s.first_spend_date) as start_date,
        coalesce(k.end_date, s.last_spend_date) as end_date,
        case when k.cost is not null or s.spend_cost is not null
             then coalesce(k.cost, 0) + coalesce(s.spend_cost, 0) end as cost,
        s.spend_cost,
        coalesce(k.cost_currency, corporate_currency()) as cost_currency,
        coalesce(r.leads, 0) as leads,
        coalesce(r.mqls, 0) as mqls,
        coalesce(r.sqls, 0) as sqls,
        coalesce(r.opportunities, 0) as opportunities,
        coalesce(m.won_deals, 0) as won_deals,
        coalesce(m.sourced_won_amount, 0) as sourced_won_amount,
        coalesce(m.open_pipeline_amount, 0) as open_pipeline_amount,
    from campaigns as k
    full join spent as s on s.campaign_id = k.campaign_id
    full join reached as r on r.campaign_id = coalesce(k.campaign_id, s.campaign_id)
    left join money as m on m.campaign_id = coalesce(k.campaign_id, s.campaign_id, r.campaign_id)
)

select * from final
order by campaign_id;
