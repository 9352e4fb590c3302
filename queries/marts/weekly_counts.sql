-- Purpose: the weekly review's volumes: stage entries (flow), pipeline created, deals won and
--   won revenue per local week (weeks start Monday 00:00 in the configured time zone).
-- Grain: one row per week per measure (weeks with nothing are absent).
-- Key: week_start, measure.
-- Parameters: $tz, $from_week (local Monday), $to_week (local Monday, inclusive), $as_of,
--   $lead_filter, $currency (amounts only in it).
with

local_entries as (
    select s.stage as measure, date_trunc('week', timezone($tz, timezone('UTC', s.entered_at)))::date as week_start
    from lead_stages as s
    join stage_config as k on k.stage = s.stage and k.kind = 'main'
    where s.entered_at <= $as_of
      and lead_in_scope(s.source, s.region, s.industry, s.owner_id, $lead_filter)
),

deals as (
    select * from opportunities_in_scope($lead_filter)
),

money as (
    select 'pipeline_amount' as measure,
           date_trunc('week', timezone($tz, timezone('UTC', created_at)))::date as week_start,
           coalesce(amount, 0) as value
    from deals
    where created_at <= $as_of and amount_currency = money_currency($currency)
    union all
    select 'won_amount', date_trunc('week', timezone($tz, timezone('UTC', closed_at)))::date, coalesce(amount, 0)
    from deals
    where status = 'won' and closed_at <= $as_of and amount_currency = money_currency($currency)
    union all
    select 'won_deals', date_trunc('week', timezone($tz, timezone('UTC', closed_at)))::date, 1
    from deals
    where status = 'won' and closed_at <= $as_of
    union all
    select 'closed_deals', date_trunc('week', timezone($tz, timezone('UTC', closed_at)))::date, 1
    from deals
    where status in ('won', 'lost') and closed_at <= $as_of
),

final as (
    select week_start, measure, count(*)::double as value
    from local_entries
    where week_start between $from_week::date and $to_week::date
    group by all
    union all
    select week_start, measure, sum(value)::double
    from money
    where week_start between $from_week::date and $to_week::date
    group by all
)

select * from final
order by week_start, measure;
