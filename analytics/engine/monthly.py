"""The monthly improvement review: 12-month trends of conversion, velocity, acceptance, SLA
compliance and win rate; the cohort heatmap; the definitions on the table (score threshold,
stall thresholds); progress toward the shared targets."""
from __future__ import annotations

from datetime import date, datetime

import polars as pl

from analytics.core.filters import Filters
from analytics.core.stats import with_rate
from analytics.engine import handoff, metrics, revenue, winloss
from analytics.engine.base import NO_FILTERS, as_of_of, query_params
from analytics.store.db import Store
from analytics.store.sql import run


def _months_back(as_of: datetime, months: int) -> date:
    y, m = as_of.year, as_of.month - (months - 1)
    while m <= 0:
        y, m = y - 1, m + 12
    return date(y, m, 1)


def trends(store: Store, months: int = 12, filters: Filters = NO_FILTERS,
           as_of: datetime | None = None) -> pl.DataFrame:
    """month_start, metric, value, n, ci_low, ci_high: one line per metric over the last months.

    conversion = hand-off -> qualified of the month's hand-off cohort (still maturing for the last
    months); acceptance = accepted ÷ decided by hand-off month; follow_up_compliance by hand-off
    month; win_rate by close month; median days lead -> won by won month."""
    as_of = as_of_of(store, as_of)
    start = _months_back(as_of, months)
    scoped = filters.over(start, as_of.date())
    cfg = store.cfg
    month = pl.col("month_start")
    parts = []

    conv = run(store.con, "marts/conversion_months", query_params(
        store, scoped, as_of, from_stage=cfg.handoff_stage, to_stage=cfg.qualified_stage))
    parts.append(with_rate(conv, "converted", "cohort").select(
        month, pl.lit("conversion").alias("metric"), pl.col("rate").alias("value"), pl.col("cohort").alias("n"),
        "ci_low", "ci_high"))

    quality = handoff.quality_trend(store, scoped, as_of)
    parts.append(quality.select(month, pl.lit("acceptance").alias("metric"), pl.col("acceptance_rate").alias("value"),
                                pl.col("decided").alias("n"), "ci_low", "ci_high"))

    if "activities" in store.tables_present():
        leads = handoff.sla_leads(store, scoped, as_of).with_columns(
            pl.col("handoff_at").dt.truncate("1mo").dt.date().alias("month_start"))
        sla = with_rate(leads.group_by("month_start").agg(
            (pl.col("follow_up_status") == "met").sum().alias("met"),
            pl.col("follow_up_status").is_in(["met", "breached"]).sum().alias("judged")), "met", "judged")
        parts.append(sla.select(month, pl.lit("follow_up_compliance").alias("metric"), pl.col("rate").alias("value"),
                                pl.col("judged").cast(pl.Int64).alias("n"), "ci_low", "ci_high"))

    closed = winloss.closed_deals(store, scoped, as_of).with_columns(
        pl.col("closed_at").dt.truncate("1mo").dt.date().alias("month_start"))
    wins = with_rate(closed.group_by("month_start").agg(
        (pl.col("status") == "won").sum().alias("won"), pl.len().alias("closed")), "won", "closed")
    parts.append(wins.select(month, pl.lit("win_rate").alias("metric"), pl.col("rate").alias("value"),
                             pl.col("closed").cast(pl.Int64).alias("n"), "ci_low", "ci_high"))

    velocity = metrics.velocity_trend(store, scoped, as_of)
    parts.append(velocity.group_by("month_start").agg(pl.col("median_days").sum().alias("value"),
                                                      pl.col("n").min().alias("n"))
                 .select(month, pl.lit("median_days_through_funnel").alias("metric"), "value",
                         pl.col("n").cast(pl.Int64), pl.lit(None, pl.Float64).alias("ci_low"),
                         pl.lit(None, pl.Float64).alias("ci_high")))
    frame = pl.concat([p.with_columns(pl.col("n").cast(pl.Int64), pl.col("value").cast(pl.Float64))
                       for p in parts], how="vertical_relaxed")
    return frame.filter(month >= start).sort(["metric", "month_start"])


def cohort_matrix(store: Store, target_stage: str | None = None, filters: Filters = NO_FILTERS,
                  as_of: datetime | None = None) -> pl.DataFrame:
    """cohort_month, months, leads, reached, share (leads created in the month that reached the
    target stage within `months` months)."""
    return run(store.con, "marts/cohort_matrix", {
        **filters.lead_params(), "target_stage": target_stage or store.cfg.qualified_stage,
        "as_of": as_of_of(store, as_of)})


def definitions(store: Store, filters: Filters = NO_FILTERS, as_of: datetime | None = None) -> pl.DataFrame:
    """definition, current, suggested, note: the rules the two teams may want to change."""
    cfg = store.cfg
    rows = []
    table = handoff.threshold(store, filters.over(), as_of)
    suggested = handoff.suggested_threshold(table, cfg.target_precision)
    rows.append({"definition": "sales-ready score threshold", "current": cfg.score_threshold,
                 "suggested": suggested, "note": "best F1 of precision (reached sql) and recall"})
    velocity = metrics.velocity(store, filters=filters.over(), as_of=as_of)
    p90 = dict(zip(velocity["stage"], velocity["p90_days"]))
    for stage in cfg.main_stages[:-1]:
        rows.append({"definition": f"stall threshold: {stage} (days)", "current": cfg.stall_days.get(stage),
                     "suggested": p90.get(stage), "note": "90th percentile of days in the stage"})
    for name, value in (("follow-up SLA (hours)", cfg.follow_up_hours), ("decision SLA (hours)", cfg.decision_hours),
                        ("recycle SLA (days)", cfg.recycle_days)):
        rows.append({"definition": name, "current": value, "suggested": None, "note": "configured"})
    return pl.DataFrame(rows, schema={"definition": pl.String, "current": pl.Float64, "suggested": pl.Float64,
                                      "note": pl.String})


def target_progress(store: Store, months: int = 12, as_of: datetime | None = None) -> pl.DataFrame:
    as_of = as_of_of(store, as_of)
    frame = revenue.targets(store, as_of)
    return frame.filter(pl.col("period_start") >= _months_back(as_of, months))
