-- Purpose: the two end-to-end durations: lead-to-won days (won entry - lead created) and the
--   sales cycle (closed - created, won opportunities), for wins in the period.
-- Grain: one row per measure.
-- Key: measure.
-- Parameters: $start, $end (won dates, null = open), $as_of, $won_stage, $lead_filter.
with

scoped as (
    select * from filtered_leads($lead_filter)
),

lead_to_won as (
    select 'lead_to_won' as measure, (epoch(s.entered_at) - epoch(l.created_at)) / 86400.0 as days
    from lead_stages as s
    join scoped as l using (lead_id)
    where s.stage = $won_stage
      and s.entered_at <= $as_of
      and in_period(s.entered_at, $start, $end)
),

sales_cycle as (
    select 'sales_cycle' as measure, (epoch(o.closed_at) - epoch(o.created_at)) / 86400.0 as days
    from opportunities_in_scope($lead_filter) as o
    where o.status = 'won'
      and o.closed_at <= $as_of
      and in_period(o.closed_at, $start, $end)
),

spread as (  -- one sort per measure for the three quantiles
    select
        measure,
        count(*) as n,
        quantile_cont(days, [0.5, 0.25, 0.75]) as q,
        avg(days) as mean_days,
    from (select * from lead_to_won union all select * from sales_cycle)
    group by measure
),

final as (
    select
        measure,
        n,
        list_extract(q, 1) as median_days,
        list_extract(q, 2) as p25_days,
        list_extract(q, 3) as p75_days,
        mean_days,
    from spread
)

select * from final
order by measure;
