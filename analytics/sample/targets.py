"""The sample's monthly targets: a plan per metric near what the company reached, so attainment varies."""
from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import polars as pl

from analytics.sample.common import DAY, Period, epoch_seconds, month_number, stream
from analytics.sample.journey import Journey
from analytics.sample.leads import Leads


def targets_table(leads: Leads, j: Journey, period: Period, seed: int) -> pl.DataFrame:
    """Grain: one row per month per metric. The plan follows the smoothed actuals (held flat
    at the end, where cohorts are still immature) with some ambition and noise, so some months
    are hit and some missed."""
    rng = stream(seed, "targets")
    first = period.start.year * 12 + period.start.month - 1
    last_day = period.end - timedelta(days=1)
    months = np.arange(first, last_day.year * 12 + last_day.month)
    mql = np.where(np.isnan(j.mql1), j.outbound_entry, j.mql1)  # skipped stages count as passed
    sql = np.where(np.isnan(j.sql), j.opp, j.sql)
    won = np.where(j.won, j.close, np.nan)
    actuals = {  # metric: (event times, weights, months of lag before the figure is mature)
        "leads": (leads.created, None, 0),
        "mqls": (mql, None, 1),
        "sqls": (sql, None, 1),
        "opportunities": (j.opp, None, 2),
        "pipeline_amount": (j.opp, j.amount, 2),
        "won_amount": (won, j.amount, 3),
    }
    month_start = np.array([epoch_seconds(date(m // 12, m % 12 + 1, 1)) for m in months])
    month_end = np.append(month_start[1:], epoch_seconds(_next_month(months[-1])))
    elapsed = np.clip((period.t1 - month_start) / (month_end - month_start), 0.05, 1.0)
    rows = []
    for metric, (t, weight, lag) in actuals.items():
        seen = ~np.isnan(t) & (t < period.t1)
        index = month_number(t[seen]) - first
        actual = np.bincount(index, None if weight is None else weight[seen], len(months))
        actual = actual / elapsed  # a partial last month, extrapolated
        smooth = np.convolve(np.pad(actual, 1, mode="edge"), np.ones(3) / 3, mode="valid")
        mature = max(len(months) - lag, 1)
        smooth[mature:] = smooth[mature - 1] * 1.02 ** np.arange(1, len(months) - mature + 1)
        target = smooth * rng.uniform(0.92, 1.15, len(months))
        target = np.round(target, -3) if metric.endswith("_amount") else np.maximum(np.round(target), 1)
        rows.append((metric, target.astype(np.int64)))
    return pl.DataFrame({
        "period_start": np.tile(month_start, len(rows)).astype("datetime64[s]").astype("datetime64[D]"),
        "period_end": np.tile(month_end - DAY, len(rows)).astype("datetime64[s]").astype("datetime64[D]"),
        "metric": np.repeat([r[0] for r in rows], len(months)),
        "target": np.concatenate([r[1] for r in rows]),
    }).with_columns(team=pl.lit(None, pl.String), segment=pl.lit(None, pl.String)).sort(
        "period_start", maintain_order=True)


def _next_month(month: int) -> date:
    return date((month + 1) // 12, (month + 1) % 12 + 1, 1)
