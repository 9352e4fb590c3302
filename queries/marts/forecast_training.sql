-- Purpose: what the forecast learns (docs/metrics.md "Forecast"): of the deals open on each Monday of the
--   two years before the cut-off $as_of, how many closed won within each horizon — by stage rank, age
--   (under 30 days, 30-89, 90 or more), size (at or above the median amount of those snapshots) and
--   whether the rep expected the close inside the horizon. Only what was known at $as_of: a snapshot
--   counts for a horizon only when its end (Monday + horizon) is not after $as_of, so every outcome it
--   counts had happened by then; states are those of deal_snapshots (the history up to that Monday).
-- Grain: one row per horizon, stage rank, age bucket, size and expected-close flag.
-- Key: horizon_days, stage_rank, age_bucket, is_large, is_expected_in.
-- Parameters: $as_of (the cut-off), $horizons (days), $currency.
with

horizons as (
    select unnest($horizons::integer[]) as horizon_days
),

cutoff as (
    select epoch($as_of::timestamp) / 86400.0 as cutoff_day, money_currency($currency) as currency
),

known as (
    select s.snapshot_day, s.amount, s.stage_rank, s.age_bucket, s.expected_day, s.won_day, c.cutoff_day,
    from deal_snapshots as s, cutoff as c
    where s.amount_currency = c.currency
      and s.snapshot_day <= c.cutoff_day
      and s.snapshot_day >= c.cutoff_day - 730
),

threshold as (
    select coalesce(median(amount), 0) as size_threshold from known
),

training as (
    select
        h.horizon_days,
        k.amount,
        k.stage_rank,
        k.age_bucket,
        k.amount >= t.size_threshold as is_large,
        coalesce(k.expected_day < k.snapshot_day + h.horizon_days, false) as is_expected_in,
        coalesce(k.won_day <= k.snapshot_day + h.horizon_days, false) as is_won,
        t.size_threshold,
    from known as k
    cross join horizons as h
    cross join threshold as t
    where k.snapshot_day + h.horizon_days <= k.cutoff_day
),

final as (
    select
        horizon_days,
        stage_rank,
        age_bucket,
        is_large,
        is_expected_in,
        count(*) as deals,
        count(*) filter (where is_won) as won,
        sum(amount)::double as amount,
        coalesce(sum(amount) filter (where is_won), 0)::double as won_amount,
        min(size_threshold) as size_threshold,
    from training
    group by horizon_days, stage_rank, age_bucket, is_large, is_expected_in
)

select * from final
order by horizon_days, stage_rank, age_bucket, is_large, is_expected_in;
