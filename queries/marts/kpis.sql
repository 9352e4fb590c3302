-- Purpose: the headline figures of one period: stage entries (flow), pipeline created, deals
--   closed and won, won revenue.
-- Grain: one row per measure: each main stage name, then pipeline_amount, closed_deals,
--   won_deals, won_amount.
-- Key: measure.
-- Parameters: $start, $end (dates, inclusive), $as_of, $lead_filter,
--   $currency (amounts are summed only in it; counts are of every deal).
with

entries as (
    select k.stage as measure, k.stage_order, count(s.lead_id)::double as value
    from stage_config as k
    left join (
        select s.stage, s.lead_id
        from lead_stages as s
        where s.entered_at <= $as_of
          and lead_in_scope(s.source, s.region, s.industry, s.owner_id, $lead_filter)
          and in_period(s.entered_at, $start, $end)
    ) as s using (stage)
    where k.kind = 'main'
    group by all
),

deals as (
    select * from opportunities_in_scope($lead_filter)
),

money as (
    select 'pipeline_amount' as measure, 100 as stage_order,
           coalesce(sum(amount) filter (where amount_currency = money_currency($currency)), 0)::double as value
    from deals
    where created_at <= $as_of and in_period(created_at, $start, $end)
    union all
    select 'closed_deals', 101, count(*)::double
    from deals
    where status in ('won', 'lost') and closed_at <= $as_of
      and in_period(closed_at, $start, $end)
    union all
    select 'won_deals', 102, count(*)::double
    from deals
    where status = 'won' and closed_at <= $as_of
      and in_period(closed_at, $start, $end)
    union all
    select 'won_amount', 103, coalesce(sum(amount) filter (where amount_currency = money_currency($currency)), 0)::double
    from deals
    where status = 'won' and closed_at <= $as_of
      and in_period(closed_at, $start, $end)
)

select measure, value from (select * from entries union all select * from money)
order by stage_order, measure;
