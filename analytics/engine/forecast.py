"""Bookings forecast for the current month and quarter, and its own track record (docs/metrics.md
"Forecast"). Won so far + the expected wins of the open pipeline before the period ends + the bookings of
deals not yet created, learned from history: of the deals open on past Mondays in the same stage, age
and size, with or without the rep expecting the close inside the horizon, the share that closed won
within that many days. An 80% interval by seeded simulation. Beside it the naive weighted pipeline CRMs
show (probability × amount of the deals expected to close in the period) and what the reps' expected
close dates say. The backtest replays the forecast at the start of every past month and quarter using
only what was known then. The model is analytics/core/forecast_model.py; here its marts are read from a
store, or the answers the import stored at the data's own as-of."""
from __future__ import annotations

from datetime import datetime

import polars as pl

from analytics.core import forecast_model as model
from analytics.core.forecast_model import BACKTEST_MONTHS, BACKTEST_QUARTERS, BACKTEST_STORED
from analytics.core.forecast_periods import PERIODS, STORED, Period, current_periods, period_of, previous
from analytics.engine.base import as_of_of
from analytics.store.db import Store
from analytics.store.sql import run

__all__ = ["PERIODS", "Period", "backtest", "forecast", "forecast_at", "forecast_deals", "period_of", "previous",
           "track_record"]
TRACK_MONTHS = 6


def _runner(store: Store) -> model.Runner:
    return lambda mart, params: run(store.con, mart, params)


def forecast_at(store: Store, cutoff: datetime, periods: list[Period], currency: str | None = None,
                with_deals: bool = False) -> tuple[pl.DataFrame, pl.DataFrame | None]:
    """One row per period: what a forecast made at `cutoff` says (only what was known then)."""
    code = store.money_currency(currency)
    stored = (cutoff == store.default_as_of and code == store.money_currency(None)
              and periods == current_periods(cutoff) and STORED.keys() <= _tables(store))
    runner = _runner(store)
    inputs = tuple(_read(store, table) for table in STORED) if stored else \
        model.read_inputs(runner, cutoff, periods, code)
    return model.forecast_rows(runner, inputs, cutoff, periods, code, code == store.cfg.currency, with_deals)


def _tables(store: Store) -> set[str]:
    cur = store.con.cursor()
    try:
        return {r[0] for r in cur.execute("select table_name from information_schema.tables").fetchall()}
    finally:
        cur.close()


def _read(store: Store, table: str) -> pl.DataFrame:
    """An answer the import stored at the data's own as-of (STORED, BACKTEST_STORED)."""
    cur = store.con.cursor()
    try:
        return cur.sql(f"select * from {table}").pl()  # a fixed name, never user text
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
             months: int = BACKTEST_MONTHS, quarters: int = BACKTEST_QUARTERS) -> pl.DataFrame:
    """The forecast replayed at the start of each of the last `months` whole months and `quarters` whole
    quarters before the as-of, knowing only what was known then, against what was booked (columns:
    analytics.core.forecast_model.backtest). At the data's own as-of in its default currency the import
    stored it (BACKTEST_STORED): thirteen forecasts take seconds on millions of deals."""
    as_of = as_of_of(store, as_of)
    code = store.money_currency(currency)
    if (as_of == store.default_as_of and code == store.money_currency(None)
            and (months, quarters) == (BACKTEST_MONTHS, BACKTEST_QUARTERS) and BACKTEST_STORED in _tables(store)):
        return _read(store, BACKTEST_STORED)
    return model.backtest(_runner(store), as_of, store.first_lead_at, code, code == store.cfg.currency,
                          months, quarters)


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
