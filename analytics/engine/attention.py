"""What needs attention in a week, ranked: the weekly page's headline (docs/reviews.md).

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

import polars as pl

from analytics.core.config import Config
from analytics.core.filters import Filters
from analytics.engine import handoff, weekly
from analytics.engine.base import NO_FILTERS
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
