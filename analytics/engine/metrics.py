"""The metric engine: each function runs one mart of queries/marts with bound parameters and
returns a Polars frame. Definitions are docs/metrics.md's; column names are docs/cli.md's."""
from __future__ import annotations

from datetime import date, datetime, timedelta

import polars as pl

from analytics.core.filters import Filters
from analytics.core.stalled import stalled_params
from analytics.core.stats import with_rate
from analytics.engine.base import NO_FILTERS, MetricError, as_of_of, query_params
from analytics.store.db import Store
from analytics.store.sql import checked_dimension, one_row_unsplit, run


def _renamed(frame: pl.DataFrame, by: str | None) -> pl.DataFrame:
    return frame.rename({"by_value": by or "segment"})


def _stage(store: Store, stage: str) -> int:
    stages = store.cfg.main_stages
    if stage not in stages:
        raise MetricError(f"unknown stage {stage!r}; the main stages are {', '.join(stages)}")
    return stages.index(stage)


def conversion(store: Store, from_stage: str, to_stage: str, by: str | None = None,
               filters: Filters = NO_FILTERS, window_days: int | None = None,
               as_of: datetime | None = None) -> pl.DataFrame:
    """BY, cohort, converted, rate, ci_low, ci_high, is_low_volume."""
    if _stage(store, to_stage) <= _stage(store, from_stage):
        raise MetricError(f"{to_stage!r} does not come after {from_stage!r} in the funnel")
    by = checked_dimension(store.con, by)
    frame = one_row_unsplit(run(store.con, "marts/conversion",
                                query_params(store, filters, as_of, from_stage=from_stage, to_stage=to_stage,
                                        window_days=window_days), by=by, by_table="s"), by)
    return _renamed(with_rate(frame, "converted", "cohort", low_volume_n=store.cfg.low_volume_n), by)


def conversion_trend(store: Store, from_stage: str, to_stage: str, by: str | None = None, grain: str = "week",
                     filters: Filters = NO_FILTERS, window_days: int | None = None,
                     as_of: datetime | None = None) -> pl.DataFrame:
    """BY, period_start, cohort, converted, rate, ci_low, ci_high, is_low_volume: the conversion cohort
    of `conversion` per week or month of entry, per value of the breakdown."""
    if _stage(store, to_stage) <= _stage(store, from_stage):
        raise MetricError(f"{to_stage!r} does not come after {from_stage!r} in the funnel")
    if grain not in ("week", "month"):
        raise MetricError("grain must be week or month")
    by = checked_dimension(store.con, by)
    frame = run(store.con, "marts/conversion_trend",
                query_params(store, filters, as_of, from_stage=from_stage, to_stage=to_stage,
                             window_days=window_days, grain=grain), by=by, by_table="s")
    return _renamed(with_rate(frame, "converted", "cohort", low_volume_n=store.cfg.low_volume_n), by)


def funnel(store: Store, by: str | None = None, filters: Filters = NO_FILTERS,
           as_of: datetime | None = None) -> pl.DataFrame:
    """Leads created in the period reaching each main stage; rate from the stage before."""
    by = checked_dimension(store.con, by)
    frame = run(store.con, "marts/funnel", query_params(store, filters, as_of), by=by, by_table="s")
    frame = with_rate(frame, "leads", "previous_leads", low_volume_n=store.cfg.low_volume_n)
    return _renamed(frame, by)


def flow(store: Store, grain: str = "week", filters: Filters = NO_FILTERS,
         as_of: datetime | None = None) -> pl.DataFrame:
    """period_start, stage, stage_order, leads: stage entries per week or month."""
    if grain not in ("week", "month"):
        raise MetricError("grain must be week or month")
    return run(store.con, "marts/flow", query_params(store, filters, as_of, grain=grain))


def velocity(store: Store, by: str | None = None, filters: Filters = NO_FILTERS,
             as_of: datetime | None = None) -> pl.DataFrame:
    """stage, n, median_days, p25_days, p75_days, mean_days (+ p10/p90), BY first when given."""
    by = checked_dimension(store.con, by)
    frame = run(store.con, "marts/velocity", query_params(store, filters, as_of), by=by, by_table="s")
    return _renamed(frame, by) if by else frame.drop("by_value")


def velocity_trend(store: Store, filters: Filters = NO_FILTERS, as_of: datetime | None = None) -> pl.DataFrame:
    return run(store.con, "marts/velocity_trend", query_params(store, filters, as_of))


def cycle(store: Store, filters: Filters = NO_FILTERS, as_of: datetime | None = None) -> pl.DataFrame:
    """measure (lead_to_won, sales_cycle), n, median_days, p25_days, p75_days, mean_days."""
    return run(store.con, "marts/cycle", query_params(store, filters, as_of, won_stage=store.cfg.won_stage))


def stalled(store: Store, filters: Filters = NO_FILTERS, as_of: datetime | None = None,
            columns: list[str] | None = None) -> pl.DataFrame:
    """lead_id, stage, entered_at, days_in_stage, threshold_days, owner_id (+ lead context), or only
    `columns` of them (days_in_stage and threshold_days among them), and days_over.
    At the data's own as-of (the usual question) it reads the list the import stored, in order."""
    as_of = as_of_of(store, as_of)
    if as_of == store.default_as_of:
        frame = run(store.con, "marts/stalled_now", filters.lead_params(), columns=columns)
    else:
        frame = run(store.con, "marts/stalled", stalled_params(store.cfg, filters, as_of), columns=columns)
    return frame.with_columns((pl.col("days_in_stage") - pl.col("threshold_days")).alias("days_over"))


def kpis(store: Store, start: date, end: date, filters: Filters = NO_FILTERS,
         as_of: datetime | None = None) -> dict[str, float]:
    """Headline figures of one period, keyed by measure; win_rate is won ÷ closed (None if none)."""
    frame = run(store.con, "marts/kpis",
                query_params(store, filters, as_of, start=start, end=end))
    values = dict(zip(frame["measure"], frame["value"]))
    closed = values.get("closed_deals", 0)
    values["win_rate"] = values.get("won_deals", 0) / closed if closed else None
    return values


def previous_period(start: date, end: date) -> tuple[date, date]:
    """The period of the same length just before [start, end]."""
    length = (end - start).days + 1
    return start - timedelta(days=length), start - timedelta(days=1)


def filter_values(store: Store) -> dict[str, list[str]]:
    """The values the sidebar offers for each lead filter."""
    cur = store.con.cursor()
    try:
        out = {}
        for name, column in (("sources", "source"), ("regions", "region"),
                             ("industries", "industry"), ("owners", "owner_id")):
            rows = cur.execute(f"select distinct coalesce({column}, '(none)') as v from leads order by v").fetchall()
            out[name] = [r[0] for r in rows]
        return out
    finally:
        cur.close()
