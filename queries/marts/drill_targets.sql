-- Purpose: the leads (stage metrics) or deals (pipeline_amount, won_amount) behind one target row's actual
--   (target_actuals.sql): the rows target_contributions() counted for the target of $period_start,
--   $period_end, $metric, $team and $segment (null = the company / no segment), with the lead's facts
--   and, for a deal, its status, amount and dates as they stood at $as_of.
-- Grain: one row per stage entry or opportunity counted, the newest first.
-- Key: lead_id, opportunity_id, counted_at.
-- Parameters: $as_of, $stage_metrics, $stage_names, $period_start, $period_end, $metric, $team, $segment.
with

target as (
    select target_row
    from targets_numbered()
    where period_start = $period_start::date
      and period_end = $period_end::date
      and metric = $metric
      and team is not distinct from $team::varchar
      and segment is not distinct from $segment::varchar
),

counted as (
    select c.*
    from target_contributions($as_of, $stage_metrics::varchar[], $stage_names::varchar[], false) as c
    join target using (target_row)
),

final as (
    select
        c.lead_id,
        c.opportunity_id,
        c.counted_at,
        c.amount,
        case when o.closed_at <= $as_of then o.status when o.opportunity_id is not null then 'open' end as status,
        o.created_at,
        case when o.closed_at <= $as_of then o.closed_at end as closed_at,
        coalesce(o.owner_id, l.owner_id) as owner_id,
        l.source,
        l.region,
        l.industry,
    from counted as c
    left join opportunities as o on o.opportunity_id = c.opportunity_id
    left join leads as l on l.lead_id = c.lead_id
)

select * from final
order by counted_at desc, lead_id, opportunity_id;
