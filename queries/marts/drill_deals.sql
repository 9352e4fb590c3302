-- Purpose: the deals behind a money or deal figure (the drill-down lists): the opportunities of the
--   leads in scope (opportunities_in_scope(), as weekly_counts.sql counts them) created in
--   [$from_at, $to_at) for pipeline_amount, won in it for won_amount and won_deals, closed (won or
--   lost) in it for closed_deals, by $as_of; status and close as they stood at $as_of (as deals.sql).
-- Grain: one row per opportunity, in the order of the date that placed it in the window.
-- Key: opportunity_id.
-- Parameters: $measure, $from_at, $to_at (timestamps), $as_of, $lead_filter.
with

deals as (
    select
        o.*,
        case $measure when 'pipeline_amount' then o.created_at else o.closed_at end as placed_at,
    from opportunities_in_scope($lead_filter) as o
    where o.created_at <= $as_of
),

final as (
    select
        d.lead_id,
        d.opportunity_id,
        coalesce(d.amount, 0) as amount,
        case when d.closed_at <= $as_of then d.status else 'open' end as status,
        d.created_at,
        case when d.closed_at <= $as_of then d.closed_at end as closed_at,
        d.owner_id,
        l.source,
        d.placed_at,
    from deals as d
    left join leads as l using (lead_id)
    where d.placed_at <= $as_of
      and d.placed_at >= $from_at
      and d.placed_at < $to_at
      and case $measure
          when 'pipeline_amount' then true
          when 'closed_deals' then d.status in ('won', 'lost')
          else d.status = 'won'
      end
)

select * exclude (placed_at) from final
order by placed_at, opportunity_id;
