-- Purpose: bookings the open pipeline cannot show (docs/metrics.md "Forecast"): for each Monday of the two
--   years before the cut-off $as_of and each horizon, the amount won within the horizon by deals created
--   after that Monday. Only windows that ended by $as_of (nothing later is known).
-- Grain: one row per horizon and Monday.
-- Key: horizon_days, snapshot_at.
-- Parameters: $as_of (the cut-off), $horizons (days), $currency.
with

horizons as (
    select unnest($horizons::integer[]) as horizon_days
),

mondays as (
    select distinct snapshot_at
    from deal_snapshots
    where snapshot_at <= $as_of
      and epoch(snapshot_at) >= epoch($as_of::timestamp) - 730 * 86400
),

windows as (
    select
        h.horizon_days,
        m.snapshot_at,
        epoch(m.snapshot_at) / 86400.0 + h.horizon_days as window_end_day,
    from mondays as m
    cross join horizons as h
    where epoch(m.snapshot_at) + h.horizon_days * 86400 <= epoch($as_of::timestamp)
),

wins as (
    select created_at, epoch(closed_at) / 86400.0 as closed_day, amount
    from opportunities
    where status = 'won' and amount_currency = money_currency($currency) and closed_at <= $as_of
),

final as (
    select
        w.horizon_days,
        w.snapshot_at,
        coalesce(sum(o.amount), 0)::double as won_amount,
    from windows as w
    left join wins as o
        on o.created_at > w.snapshot_at
        and o.closed_day <= w.window_end_day
    group by w.horizon_days, w.snapshot_at
)

select * from final
order by horizon_days, snapshot_at;
