"""What needs attention, ranked: the weekly page's headline and the monthly review's (docs/reviews.md).

A figure is judged twice and keeps the worse verdict:
- against its target prorated to the week: below `target_red_below` of it (config, default 70%) is
  red, below `target_amber_below` (90%) amber — whatever the noise band says, since a week off pace
  is news even when weeks are noisy;
- against normal week-to-week noise (weekly.week_summary): an unusual fall is red, an unusual rise is
  good news, listed last.
Besides the figures: conversion drops (weekly.conversion_drops), the SLA breaches of the week and the
leads that stalled during it, each with the owners concerned (most affected first).

Ranking: red before amber before good news; within a level, off-target figures first (furthest
below target first), then falls beyond noise, conversion drops, SLA breaches, newly stalled leads.
"""
from __future__ import annotations

from datetime import date, datetime

import polars as pl

from analytics.core.config import Config
from analytics.core.filters import Filters
from analytics.engine import handoff, monthly, weekly
from analytics.engine.base import NO_FILTERS, as_of_of
from analytics.engine.weekly import Week
from analytics.store.db import Store

LEVELS = ("red", "amber", "good")
KINDS = ("target", "noise", "conversion", "breaches", "stalled")
SCHEMA = {"rank": pl.Int64, "level": pl.String, "kind": pl.String, "subject": pl.String, "to_subject": pl.String,
          "value": pl.Float64, "reference": pl.Float64, "of_target": pl.Float64, "avg_4w": pl.Float64,
          "z": pl.Float64, "n": pl.Int64, "leads": pl.Int64, "is_low_volume": pl.Boolean,
          "owner_ids": pl.List(pl.String), "owner_counts": pl.List(pl.Int64), "stages": pl.List(pl.String),
          "cohort_week": pl.String}


def measures(cfg: Config) -> list[str]:
    """The figures the headline judges: the main stages' entries and the two amounts."""
    return [*cfg.main_stages, "pipeline_amount", "won_amount"]


def target_level(of_target: float | None, cfg: Config) -> str | None:
    """red / amber when a figure is below the configured share of its prorated target, else None."""
    if of_target is None:
        return None
    if of_target < cfg.target_red_below:
        return "red"
    if of_target < cfg.target_amber_below:
        return "amber"
    return None


def measure_levels(summary: pl.DataFrame, cfg: Config) -> pl.DataFrame:
    """measure, of_target, target_level, noise_level, level for every row of weekly.week_summary:
    level is the worse of the target verdict and the noise verdict (None when neither warns)."""
    rows = []
    for r in summary.iter_rows(named=True):
        of_target = r["value"] / r["target"] if r.get("target") else None
        by_target = target_level(of_target, cfg)
        by_noise = ("red" if (r["z"] or 0) < 0 else "good") if r["is_unusual"] else None
        level = min((v for v in (by_target, by_noise) if v), key=LEVELS.index, default=None)
        rows.append({"measure": r["measure"], "of_target": of_target, "target_level": by_target,
                     "noise_level": by_noise, "level": level})
    return pl.DataFrame(rows, schema={"measure": pl.String, "of_target": pl.Float64, "target_level": pl.String,
                                      "noise_level": pl.String, "level": pl.String})


def _owners(frame: pl.DataFrame) -> tuple[list[str], list[int]]:
    """Owners by how many leads of `frame` they hold, most first (ties by id); leads without one last."""
    counts = (frame.unique("lead_id").group_by(pl.col("owner_id").fill_null("")).len()
              .sort(["len", "owner_id"], descending=[True, False]))
    counts = pl.concat([counts.filter(pl.col("owner_id") != ""), counts.filter(pl.col("owner_id") == "")])
    return counts["owner_id"].to_list(), counts["len"].to_list()


def rank(summary: pl.DataFrame, drops: pl.DataFrame, breaches: pl.DataFrame, stalled: pl.DataFrame,
         cfg: Config) -> pl.DataFrame:
    """The ranked attention list from the week's parts (see the module's rules); rank starts at 1."""
    items: list[dict] = []
    empty = {k: None for k in SCHEMA}
    levels = {r["measure"]: r for r in measure_levels(summary, cfg).iter_rows(named=True)}
    for r in summary.filter(pl.col("measure").is_in(measures(cfg))).iter_rows(named=True):
        judged = levels[r["measure"]]
        common = {**empty, "subject": r["measure"], "value": r["value"], "reference": r["target"],
                  "of_target": judged["of_target"], "avg_4w": r["avg_4w"], "z": r["z"]}
        if judged["target_level"]:
            items.append({**common, "level": judged["target_level"], "kind": "target"})
        elif judged["noise_level"]:  # off target already says it: one line per figure
            items.append({**common, "level": judged["noise_level"], "kind": "noise"})
    for r in drops.filter(pl.col("is_drop")).iter_rows(named=True) if "is_drop" in drops.columns else []:
        items.append({**empty, "level": "red", "kind": "conversion", "subject": r["from_stage"],
                      "to_subject": r["to_stage"], "value": r["rate"], "reference": r["baseline_rate"],
                      "n": r["cohort"], "leads": r["converted"], "is_low_volume": r.get("is_low_volume"),
                      "cohort_week": r.get("cohort_week")})
    for kind, frame, level in (("breaches", breaches, "red"), ("stalled", stalled, "amber")):
        if frame.height:
            owners, counts = _owners(frame)
            stages = frame["stage" if kind == "stalled" else "sla"].unique(maintain_order=True).to_list()
            items.append({**empty, "level": level, "kind": kind, "subject": kind, "n": frame.height,
                          "leads": frame["lead_id"].n_unique(), "owner_ids": owners, "owner_counts": counts,
                          "stages": stages})

    def key(item: dict) -> tuple:
        severity = item["of_target"] if item["kind"] == "target" else (item["z"] or 0) if item["kind"] == "noise" else 0
        if item["level"] == "good":
            severity = -severity
        return LEVELS.index(item["level"]), KINDS.index(item["kind"]), severity

    items.sort(key=key)
    for i, item in enumerate(items, start=1):
        item["rank"] = i
    return pl.DataFrame(items, schema=SCHEMA)


def attention(store: Store, week: Week, filters: Filters = NO_FILTERS) -> pl.DataFrame:
    """The week's ranked attention list (rank, level, kind, subject, figures, owners)."""
    return rank(weekly.week_summary(store, week, filters), weekly.conversion_drops(store, week, filters),
                weekly.breaches_of_week(store, week, filters), weekly.newly_stalled(store, week, filters), store.cfg)


def recent_first(frame: pl.DataFrame, at: str, overdue: str, tz: str) -> pl.DataFrame:
    """Action-list order: the latest week's items first (the week of `at` in zone `tz`, newest first),
    and within a week the least overdue — the most salvageable — first."""
    week = pl.col(at).dt.replace_time_zone("UTC").dt.convert_time_zone(tz).dt.truncate("1w")
    return (frame.with_columns(week.alias("_week"))
            .sort(["_week", overdue, "lead_id"], descending=[True, False, False], nulls_last=True).drop("_week"))


def breach_list(store: Store, filters: Filters = NO_FILTERS) -> pl.DataFrame:
    """The SLA page's breach list (handoff.breaches of the period): the latest week's hand-offs first,
    least overdue first within a week."""
    return recent_first(handoff.breaches(store, filters), "handoff_at", "hours_late", store.cfg.timezone)


def salvageable_first(stalled: pl.DataFrame) -> pl.DataFrame:
    """Stalled leads, the most recently stalled first: the fewest days over the stage's threshold (a
    lead stalled `days_over` days ago) — not the leads stuck for a year."""
    return stalled.sort(["days_over", "lead_id"], nulls_last=True)


# --- the monthly review's headline ------------------------------------------------------------------

PACE_KINDS = ("pace", "missed", "on_pace")
PACE_SCHEMA = {"rank": pl.Int64, "level": pl.String, "kind": pl.String, "metric": pl.String,
               "period_start": pl.Date, "period_end": pl.Date, "target": pl.Float64, "actual": pl.Float64,
               "due": pl.Float64, "ratio": pl.Float64, "elapsed_share": pl.Float64}


def rank_targets(progress: pl.DataFrame, today: date, cfg: Config) -> pl.DataFrame:
    """The monthly headline from target progress (revenue.targets): the company-wide targets of every
    period in progress on `today` judged by pacing — actual ÷ the target prorated to the time elapsed
    ("due") — and those of the latest closed period by attainment, with the weekly thresholds
    (target_red_below, target_amber_below): a month off pace is red or amber whatever the noise.

    kind: pace (in progress, behind), missed (closed below target), on_pace (in progress, at or above
    the amber line — good news, last). Ranked red, amber, good; within a level the periods in progress
    first, then the furthest behind."""
    company = progress.filter(pl.col("team").is_null() & pl.col("segment").is_null())
    current = company.filter((pl.col("period_start") <= today) & (pl.col("period_end") >= today))
    closed = company.filter(pl.col("period_end") < today)
    if not closed.is_empty():
        closed = closed.filter(pl.col("period_end") == closed["period_end"].max())
    items: list[dict] = []
    for frame, in_progress in ((current, True), (closed, False)):
        for r in frame.iter_rows(named=True):
            ratio = r["pacing"] if in_progress else r["attainment"]
            level = target_level(ratio, cfg)
            if level is None and not in_progress:
                continue  # a closed period that made its target is not news
            share = r["elapsed_share"] if in_progress else 1.0
            kind = ("pace" if level else "on_pace") if in_progress else "missed"
            items.append({"level": level or "good", "kind": kind,
                          "metric": r["metric"], "period_start": r["period_start"], "period_end": r["period_end"],
                          "target": r["target"], "actual": r["actual"],
                          "due": None if r["target"] is None or share is None else r["target"] * share,
                          "ratio": ratio, "elapsed_share": share})
    items.sort(key=lambda i: (LEVELS.index(i["level"]), PACE_KINDS.index(i["kind"]),
                              -(i["ratio"] or 0) if i["level"] == "good" else (i["ratio"] or 0), i["metric"]))
    for i, item in enumerate(items, start=1):
        item["rank"] = i
    return pl.DataFrame(items, schema=PACE_SCHEMA)


def month_attention(store: Store, as_of: datetime | None = None) -> pl.DataFrame:
    """The monthly review's ranked headline (rank_targets) at `as_of` (default: the data's as-of).
    Targets are company-wide: the sidebar's lead filters do not narrow them."""
    as_of = as_of_of(store, as_of)
    return rank_targets(monthly.target_progress(store, as_of=as_of), as_of.date(), store.cfg)
