"""Bookings forecast for the current month and quarter, and its own track record (docs/metrics.md
"Forecast"). Won so far + the expected wins of the open pipeline before the period ends + the bookings of
deals not yet created, learned from history: of the deals open on past Mondays in the same stage, age
and size, with or without the rep expecting the close inside the horizon, the share that closed won
within that many days. An 80% interval by seeded simulation. Beside it the naive weighted pipeline CRMs
show (probability × amount of the deals expected to close in the period) and what the reps' expected
close dates say. The backtest replays the forecast at the start of every past month and quarter using
only what was known then."""
from __future__ import annotations

import math
from datetime import datetime, timedelta

import numpy as np
import polars as pl

from analytics.core.forecast_periods import (
    PERIODS,
    STORED,
    Period,
    current_periods,
    horizon_days,
    mart_params,
    period_of,
    previous,
)
from analytics.engine.base import as_of_of
from analytics.store.db import Store
from analytics.store.sql import run

__all__ = ["PERIODS", "Period", "backtest", "forecast", "forecast_at", "forecast_deals", "period_of", "previous",
           "track_record"]
SHRINK = 10.0  # pseudo-deals pulling a small group's rate towards its stage's (and a stage's to all)
SIMULATIONS = 2000
SEED = 16
EXACT_UP_TO = 400  # open deals simulated one by one; above, the normal approximation (same mean and variance)
INTERVAL = (0.1, 0.9)
TRACK_MONTHS = 6
MIN_TRAINING = 30  # deal snapshots a horizon needs before the forecast counts as learned


_horizon = horizon_days


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
    horizon = _horizon(cutoff, end)
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


def forecast_at(store: Store, cutoff: datetime, periods: list[Period], currency: str | None = None,
                with_deals: bool = False) -> tuple[pl.DataFrame, pl.DataFrame | None]:
    """One row per period: what a forecast made at `cutoff` says (only what was known then)."""
    code = store.money_currency(currency)
    params = mart_params(cutoff, periods, code)
    stored = (cutoff == store.default_as_of and code == store.money_currency(None)
              and periods == current_periods(cutoff) and STORED.keys() <= _tables(store))
    training, new_deals, deals = (
        _read(store, table) if stored else run(store.con, mart, params[mart]) for table, mart in STORED.items())
    open_deals = deals.filter(pl.col("kind") == "open")
    rows, per_deal = [], []
    for period in periods:
        horizon = _horizon(cutoff, period.end)
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
        target = run(store.con, "marts/forecast_targets", {"from_at": period.start, "to_at": period.end})["target"][0]
        rows.append({
            "period": period.kind, "period_label": period.label, "period_start": period.start.date(),
            "period_end": (period.end - timedelta(days=1)).date(), "cutoff_at": cutoff,
            "won_so_far": won, "open_deals": scored.height, "expected_from_open": open_part,
            "expected_from_new": new_part, "forecast": won + open_part + new_part,
            "low": won + low, "high": won + high, "naive": naive, "rep_expected": rep,
            "target": target if code == store.cfg.currency else None,
            "is_learned": is_learned, "currency": code,
        })
        if with_deals:
            per_deal.append(scored.select(
                pl.lit(period.kind).alias("period"), "opportunity_id", "lead_id", "owner_id", "stage", "amount",
                "expected_close_at", "probability", "win_chance",
                (pl.col("win_chance").fill_null(0) * pl.col("amount")).alias("expected_amount")))
    deals_out = pl.concat(per_deal) if with_deals and per_deal else None
    return pl.DataFrame(rows), deals_out


def _tables(store: Store) -> set[str]:
    cur = store.con.cursor()
    try:
        return {r[0] for r in cur.execute("select table_name from information_schema.tables").fetchall()}
    finally:
        cur.close()


def _read(store: Store, table: str) -> pl.DataFrame:
    """A forecast input the import stored at the data's own as-of (analytics.core.forecast_periods.STORED)."""
    cur = store.con.cursor()
    try:
        return cur.sql(f"select * from {table}").pl()  # a fixed name of STORED, never user text
    finally:
        cur.close()


def forecast(store: Store, as_of: datetime | None = None, currency: str | None = None) -> pl.DataFrame:
    """The current month and quarter (those containing the as-of): period, period_label, period_start,
    period_end, cutoff_at, won_so_far, open_deals, expected_from_open, expected_from_new, forecast, low,
    high (the 80% interval), naive, rep_expected, target, is_learned, currency."""
    cutoff = as_of_of(store, as_of)
    return forecast_at(store, cutoff, current_periods(cutoff), currency)[0]


def forecast_deals(store: Store, as_of: datetime | None = None, currency: str | None = None) -> pl.DataFrame:
    """The open deals behind the forecast, with each one's chance to close won in the month and quarter."""
    cutoff = as_of_of(store, as_of)
    return forecast_at(store, cutoff, current_periods(cutoff), currency, with_deals=True)[1]


def backtest(store: Store, as_of: datetime | None = None, currency: str | None = None,
             months: int = 12, quarters: int = 4) -> pl.DataFrame:
    """The forecast replayed at the start of each of the last `months` whole months and `quarters` whole
    quarters before the as-of, knowing only what was known then, against what was booked: period,
    period_label, period_start, forecast, low, high, naive, actual, error, naive_error (forecast −
    actual), abs_pct_error, naive_abs_pct_error, is_within_interval, currency."""
    as_of = as_of_of(store, as_of)
    replayed = []
    for kind, count in (("month", months), ("quarter", quarters)):
        period = previous(period_of(kind, as_of))
        for _ in range(count):
            if store.first_lead_at and period.start < store.first_lead_at:
                break
            replayed.append(period)
            period = previous(period)
    if not replayed:
        return pl.DataFrame()
    # what was booked in each period, known now: the deals won since the earliest one, read once
    won = run(store.con, "marts/forecast_deals", {"as_of": as_of, "from_at": min(p.start for p in replayed),
                                                  "currency": store.money_currency(currency)}).filter(
        pl.col("kind") == "won")
    rows = []
    by_cutoff: dict[datetime, list[Period]] = {}  # a quarter starts on a month's start: one forecast for both
    for period in replayed:
        by_cutoff.setdefault(period.start, []).append(period)
    for cutoff, periods in by_cutoff.items():
        for period, row in zip(periods, forecast_at(store, cutoff, periods, currency)[0].iter_rows(named=True),
                               strict=True):
            actual = won.filter((pl.col("closed_at") >= period.start) & (pl.col("closed_at") < period.end))["amount"]
            rows.append({**row, "actual": float(actual.sum())})
    frame = pl.DataFrame(rows).select(
        "period", "period_label", "period_start", "forecast", "low", "high", "naive", "rep_expected", "actual",
        "is_learned", "currency")

    def pct(c: str) -> pl.Expr:
        return pl.when(pl.col("actual") > 0).then((pl.col(c) - pl.col("actual")).abs() / pl.col("actual"))

    return frame.with_columns(
        (pl.col("forecast") - pl.col("actual")).alias("error"),
        (pl.col("naive") - pl.col("actual")).alias("naive_error"),
        pct("forecast").alias("abs_pct_error"),
        pct("naive").alias("naive_abs_pct_error"),
        pl.col("actual").is_between(pl.col("low"), pl.col("high")).alias("is_within_interval"),
    ).sort("period", "period_start")


def track_record(backtested: pl.DataFrame, months: int = TRACK_MONTHS) -> dict | None:
    """Over the last `months` monthly backtests: the weighted absolute error of ours and of the naive
    method (Σ|forecast − actual| ÷ Σ actual), the bias (Σ(forecast − actual) ÷ Σ actual) and how often
    the booked amount fell inside our 80% interval."""
    if backtested.is_empty():
        return None
    last = backtested.filter((pl.col("period") == "month") & pl.col("is_learned")).sort("period_start").tail(months)
    booked = float(last["actual"].sum())
    if last.is_empty() or booked <= 0:
        return None
    return {"months": last.height, "error": float(last["error"].abs().sum()) / booked,
            "naive_error": float(last["naive_error"].abs().sum()) / booked,
            "bias": float(last["error"].sum()) / booked, "naive_bias": float(last["naive_error"].sum()) / booked,
            "within_interval": float(last["is_within_interval"].mean()), "currency": last["currency"][0]}
