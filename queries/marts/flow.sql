-- Purpose: period volume ("flow"): leads whose entry time of each stage falls in each week or month.
-- Grain: one row per period per main stage (periods with no entries are absent).
-- Key: period_start, stage.
-- Parameters: $grain ('week' or 'month'), $start, $end, $as_of, $lead_filter.
with

entries as (
    select s.stage, s.stage_order, date_trunc($grain, s.entered_at)::date as period_start
    from lead_stages as s
    join stage_config as k on k.stage = s.stage and k.kind = 'main'
    where s.entered_at <= $as_of
      and lead_in_scope(s.source, s.region, s.industry, s.owner_id, $lead_filter)
      and in_period(s.entered_at, $start, $end)
),

final as (
    select period_start, stage, stage_order, count(*) as leads
    from entries
    group by all
)

select * from final
order by period_start, stage_order, stage;
