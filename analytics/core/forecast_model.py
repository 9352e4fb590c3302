"""The bookings forecast's model, on the frames its marts return (docs/metrics.md "Forecast"): the win
rates learned from past Mondays, each open deal's chance, the seeded 80% interval, one row per period,
and the backtest that replays it at the start of past months and quarters. No database here: the marts
are read through `Runner` (analytics/engine/forecast.py reads them from a store at any cut-off; the
import stores the backtest at the data's own as-of, analytics/importers/load.py)."""
from __future__ import annotations

import math
from collections.abc import Callable
from datetime import datetime, timedelta

import numpy as np
import polars as pl

from analytics.core.forecast_periods import STORED, Period, horizon_days, mart_params, period_of, previous

Runner = Callable[[str, dict], pl.DataFrame]  # (queries/<name>, bound parameters) -> the mart's rows
Inputs = tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]  # training, new deals, deals (STORED's marts)

SHRINK = 10.0  # pseudo-deals pulling a small group's rate towards its stage's (and a stage's to all)
SIMULATIONS = 2000
SEED = 16
EXACT_UP_TO = 400  # open deals simulated one by one; above, the normal approximation (same mean and variance)
INTERVAL = (0.1, 0.9)
MIN_TRAINING = 30  # deal snapshots a horizon needs before the forecast counts as learned
BACKTEST_MONTHS, BACKTEST_QUARTERS = 12, 4
BACKTEST_STORED = "forecast_backtest_now"  # the backtest at the data's as-of, default currency (stored at import)
BACKTEST_COLUMNS = ("period", "period_label", "period_start", "forecast", "low", "high", "naive", "rep_expected",
                    "actual", "is_learned", "currency")


def read_inputs(run_mart: Runner, cutoff: datetime, periods: list[Period], currency: str) -> Inputs:
    """What a forecast made at `cutoff` over `periods` learns from and scores (only what was known then)."""
    params = mart_params(cutoff, periods, currency)
    training, new_deals, deals = (run_mart(mart, params[mart]) for mart in STORED.values())
    return training, new_deals, deals


def _rates(training: pl.DataFrame, horizon: int) -> tuple[float | None, pl.DataFrame, pl.DataFrame]:
    """All deals' rate, per stage rank and per group, each shrunk towards the broader one. A rate is the
    share of the amount open then that was won within the horizon (money, not deal counts: big deals win
    less often, and the forecast is of money)."""
    frame = training.filter(pl.col("horizon_days") == horizon)
    n, amount = int(frame["deals"].sum()), float(frame["amount"].sum() or 0)
    if n == 0 or amount <= 0:
        return None, pl.DataFrame(), pl.DataFrame()
    overall, pseudo = float(frame["won_amount"].sum()) / amount, SHRINK * amount / n  # SHRINK average deals
    stages = frame.group_by("stage_rank").agg(pl.col("amount").sum(), pl.col("won_amount").sum()).select(
        "stage_rank", ((pl.col("won_amount") + pseudo * overall) / (pl.col("amount") + pseudo)).alias("stage_rate"))
    groups = frame.join(stages, on="stage_rank").select(
        "stage_rank", "age_bucket", "is_large", "is_expected_in",
        ((pl.col("won_amount") + pseudo * pl.col("stage_rate")) / (pl.col("amount") + pseudo)).alias("group_rate"))
    return overall, stages, groups


def _chances(open_deals: pl.DataFrame, training: pl.DataFrame, cutoff: datetime, end: datetime) -> pl.DataFrame:
    """open_deals with win_chance (ours: won before `end`) and stage_rate (the naive method's fallback)."""
    horizon = horizon_days(cutoff, end)
    overall, stages, groups = _rates(training, horizon)
    if overall is None:
        return open_deals.with_columns(pl.lit(None, pl.Float64).alias("win_chance"),
                                       pl.lit(None, pl.Float64).alias("stage_rate"))
    threshold = training["size_threshold"].drop_nulls().first() or 0.0
    keyed = open_deals.with_columns(
        pl.when(pl.col("age_days") < 30).then(0).when(pl.col("age_days") < 90).then(1).otherwise(2)
        .cast(pl.Int32).alias("age_bucket"),
        (pl.col("amount") >= threshold).alias("is_large"),
        (pl.col("expected_close_at") < end).fill_null(False).alias("is_expected_in"),
        pl.col("stage_rank").cast(pl.Int64),
    )
    return (keyed.join(stages.with_columns(pl.col("stage_rank").cast(pl.Int64)), on="stage_rank", how="left")
            .join(groups.with_columns(pl.col("stage_rank").cast(pl.Int64), pl.col("age_bucket").cast(pl.Int32)),
                  on=["stage_rank", "age_bucket", "is_large", "is_expected_in"], how="left")
            .with_columns(pl.col("stage_rate").fill_null(overall))
            .with_columns(pl.coalesce("group_rate", "stage_rate").alias("win_chance"))
            .drop("group_rate", "age_bucket", "is_large", "is_expected_in"))


def _simulate(amounts: np.ndarray, chances: np.ndarray, new_wins: np.ndarray) -> tuple[float, float]:
    """The 10th and 90th percentiles of the open deals' wins plus the new deals' bookings."""
    rng = np.random.default_rng(SEED)
    if len(amounts) <= EXACT_UP_TO:
        won = (rng.random((SIMULATIONS, len(amounts))) < chances) @ amounts if len(amounts) else np.zeros(SIMULATIONS)
    else:
        mean, sd = float(chances @ amounts), math.sqrt(float((chances * (1 - chances)) @ amounts ** 2))
        won = rng.normal(mean, sd, SIMULATIONS)
    new = rng.choice(new_wins, SIMULATIONS) if len(new_wins) else np.zeros(SIMULATIONS)
    total = won + new
    return float(np.quantile(total, INTERVAL[0])), float(np.quantile(total, INTERVAL[1]))


def forecast_rows(run_mart: Runner, inputs: Inputs, cutoff: datetime, periods: list[Period], currency: str,
                  shows_target: bool, with_deals: bool = False) -> tuple[pl.DataFrame, pl.DataFrame | None]:
    """One row per period: what a forecast made at `cutoff` says; with_deals, the open deals behind it
    (each one's chance to close won in the period). `shows_target`: the currency is the targets' own."""
    training, new_deals, deals = inputs
    open_deals = deals.filter(pl.col("kind") == "open")
    rows, per_deal = [], []
    for period in periods:
        horizon = horizon_days(cutoff, period.end)
        won = float(deals.filter((pl.col("kind") == "won") & (pl.col("closed_at") >= period.start))["amount"].sum())
        scored = _chances(open_deals, training, cutoff, period.end)
        learned = scored["win_chance"].null_count() < scored.height or scored.height == 0
        has_training = training.filter(pl.col("horizon_days") == horizon)["deals"].sum() >= MIN_TRAINING
        is_learned = bool(learned and has_training)
        if not is_learned:  # too little history to learn from: the forecast is what was won so far
            scored = scored.with_columns(pl.lit(None, pl.Float64).alias("win_chance"))
        new_wins = new_deals.filter(pl.col("horizon_days") == horizon)["won_amount"].to_numpy() if is_learned \
            else np.array([])
        amounts = scored["amount"].to_numpy()
        chances = scored["win_chance"].fill_null(0.0).to_numpy()
        open_part = float(chances @ amounts) if len(amounts) else 0.0
        new_part = float(new_wins.mean()) if len(new_wins) else 0.0
        low, high = _simulate(amounts, chances, new_wins)
        expected_in = (pl.col("expected_close_at") < period.end).fill_null(False)
        naive_p = pl.coalesce(pl.col("probability") / 100.0, pl.col("stage_rate"), pl.lit(0.0))
        naive = won + float(scored.filter(expected_in).select((naive_p * pl.col("amount")).sum()).item() or 0.0)
        rep = won + float(scored.filter(expected_in)["amount"].sum())
        target = run_mart("marts/forecast_targets", {"from_at": period.start, "to_at": period.end})["target"][0]
        rows.append({
            "period": period.kind, "period_label": period.label, "period_start": period.start.date(),
            "period_end": (period.end - timedelta(days=1)).date(), "cutoff_at": cutoff,
            "won_so_far": won, "open_deals": scored.height, "expected_from_open": open_part,
            "expected_from_new": new_part, "forecast": won + open_part + new_part,
            "low": won + low, "high": won + high, "naive": naive, "rep_expected": rep,
            "target": target if shows_target else None,
            "is_learned": is_learned, "currency": currency,
        })
        if with_deals:
            per_deal.append(scored.select(
                pl.lit(period.kind).alias("period"), "opportunity_id", "lead_id", "owner_id", "stage", "amount",
                "expected_close_at", "probability", "win_chance",
                (pl.col("win_chance").fill_null(0) * pl.col("amount")).alias("expected_amount")))
    deals_out = pl.concat(per_deal) if with_deals and per_deal else None
    return pl.DataFrame(rows), deals_out


def backtest(run_mart: Runner, as_of: datetime, first_lead_at: datetime | None, currency: str, shows_target: bool,
             months: int = BACKTEST_MONTHS, quarters: int = BACKTEST_QUARTERS) -> pl.DataFrame:
    """The forecast replayed at the start of each of the last `months` whole months and `quarters` whole
    quarters before the as-of, knowing only what was known then, against what was booked:
    BACKTEST_COLUMNS, then error, naive_error (forecast − actual), abs_pct_error, naive_abs_pct_error,
    is_within_interval. Empty when no whole period follows the first lead."""
    replayed = []
    for kind, count in (("month", months), ("quarter", quarters)):
        period = previous(period_of(kind, as_of))
        for _ in range(count):
            if first_lead_at and period.start < first_lead_at:
                break
            replayed.append(period)
            period = previous(period)
    if not replayed:
        return pl.DataFrame()
    # what was booked in each period, known now: the deals won since the earliest one, read once
    won = run_mart("marts/forecast_deals", {"as_of": as_of, "from_at": min(p.start for p in replayed),
                                            "currency": currency}).filter(pl.col("kind") == "won")
    rows = []
    by_cutoff: dict[datetime, list[Period]] = {}  # a quarter starts on a month's start: one forecast for both
    for period in replayed:
        by_cutoff.setdefault(period.start, []).append(period)
    for cutoff, periods in by_cutoff.items():
        made, _ = forecast_rows(run_mart, read_inputs(run_mart, cutoff, periods, currency), cutoff, periods, currency,
                                shows_target)
        for period, row in zip(periods, made.iter_rows(named=True), strict=True):
            actual = won.filter((pl.col("closed_at") >= period.start) & (pl.col("closed_at") < period.end))["amount"]
            rows.append({**row, "actual": float(actual.sum())})
    frame = pl.DataFrame(rows).select(BACKTEST_COLUMNS)

    def pct(c: str) -> pl.Expr:
        return pl.when(pl.col("actual") > 0).then((pl.col(c) - pl.col("actual")).abs() / pl.col("actual"))

    return frame.with_columns(
        (pl.col("forecast") - pl.col("actual")).alias("error"),
        (pl.col("naive") - pl.col("actual")).alias("naive_error"),
        pct("forecast").alias("abs_pct_error"),
        pct("naive").alias("naive_abs_pct_error"),
        pl.col("actual").is_between(pl.col("low"), pl.col("high")).alias("is_within_interval"),
    ).sort("period", "period_start")
