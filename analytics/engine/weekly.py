"""The weekly review (docs/reviews.md): what moved in one week, judged against normal week-to-week noise,
the SLA breaches and newly stalled leads of the week, and conversion rates that dropped — with
cohorts too young to judge marked immature instead of shown as bad.

Weeks start on Monday 00:00 in the configured time zone; stored times are UTC.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import polars as pl
from scipy.stats import fisher_exact

from analytics.core.filters import Filters
from analytics.engine import handoff, metrics
from analytics.engine.base import NO_FILTERS, MetricError, query_params
from analytics.store.db import Store
from analytics.store.sql import run

BASELINE_WEEKS = 12
MIN_COUNT_CHANGE = 3
TARGET_METRICS = {"leads": 0, "mqls": "handoff", "sals": "accepted", "sqls": "qualified",
                  "opportunities": "opportunity", "pipeline_amount": None, "won_amount": None}


@dataclass(frozen=True, order=True)
class Week:
    year: int
    week: int

    @classmethod
    def parse(cls, text: str) -> Week:
        m = re.fullmatch(r"(\d{4})-?W(\d{1,2})", text.strip(), re.IGNORECASE)
        if not m:
            raise MetricError(f"week {text!r} is not an ISO week like 2026-W07")
        week = cls(int(m.group(1)), int(m.group(2)))
        try:
            week.monday  # noqa: B018 - date.fromisocalendar rejects a week the year does not have
        except ValueError:
            raise MetricError(f"week {text!r} does not exist") from None
        return week

    @classmethod
    def of(cls, day: date) -> Week:
        iso = day.isocalendar()
        return cls(iso.year, iso.week)

    @property
    def label(self) -> str:
        return f"{self.year}-W{self.week:02d}"

    @property
    def monday(self) -> date:
        return date.fromisocalendar(self.year, self.week, 1)

    @property
    def sunday(self) -> date:
        return self.monday + timedelta(days=6)

    def shift(self, weeks: int) -> Week:
        return Week.of(self.monday + timedelta(weeks=weeks))

    def bounds_utc(self, tz: str) -> tuple[datetime, datetime]:
        """[start, end) of the week as naive UTC datetimes (how the database stores time)."""
        zone = ZoneInfo(tz)
        start = datetime.combine(self.monday, datetime.min.time(), zone)
        end = datetime.combine(self.monday + timedelta(days=7), datetime.min.time(), zone)
        utc = ZoneInfo("UTC")
        return start.astimezone(utc).replace(tzinfo=None), end.astimezone(utc).replace(tzinfo=None)


def last_complete_week(store: Store) -> Week:
    """The latest week that had ended by the data's as-of (in the configured time zone)."""
    as_of = store.default_as_of or datetime.now()
    local = as_of.replace(tzinfo=ZoneInfo("UTC")).astimezone(ZoneInfo(store.cfg.timezone))
    return Week.of(local.date()).shift(-1)


def _lead_params(store: Store, filters: Filters, as_of: datetime | None) -> dict:
    return query_params(store, filters.over(), as_of)


def weekly_counts(store: Store, first: Week, last: Week, filters: Filters = NO_FILTERS,
                  as_of: datetime | None = None) -> pl.DataFrame:
    """week_start, measure, value for every week from first to last (missing weeks filled with 0)."""
    frame = run(store.con, "marts/weekly_counts", {
        **_lead_params(store, filters, as_of), "tz": store.cfg.timezone,
        "from_week": first.monday, "to_week": last.monday})
    measures = [*store.cfg.main_stages, "pipeline_amount", "won_deals", "closed_deals", "won_amount"]
    n = (last.monday - first.monday).days // 7 + 1
    grid = pl.DataFrame({"week_start": [first.monday + timedelta(weeks=i) for i in range(n)]}).join(
        pl.DataFrame({"measure": measures}), how="cross")
    return grid.join(frame, on=["week_start", "measure"], how="left").with_columns(pl.col("value").fill_null(0.0))


def week_summary(store: Store, week: Week, filters: Filters = NO_FILTERS,
                 as_of: datetime | None = None) -> pl.DataFrame:
    """measure, value, previous, avg_4w, target, baseline_mean, baseline_sd, z, is_unusual.

    Noise: the mean and standard deviation of the 12 weeks before; counts use at least the Poisson
    deviation sqrt(mean). A change is unusual when |z| >= 2 with at least 6 weeks of history."""
    counts = weekly_counts(store, week.shift(-BASELINE_WEEKS), week, filters, as_of)
    this = counts.filter(pl.col("week_start") == week.monday).select("measure", "value")
    history = counts.filter(pl.col("week_start") < week.monday)
    first_data = store.first_lead_at.date() if store.first_lead_at else week.monday
    weeks_with_data = history.filter(pl.col("week_start") >= first_data - timedelta(days=6))
    stats = weeks_with_data.group_by("measure").agg(
        pl.col("value").filter(pl.col("week_start") == week.shift(-1).monday).first().alias("previous"),
        pl.col("value").filter(pl.col("week_start") >= week.shift(-4).monday).mean().alias("avg_4w"),
        pl.col("value").mean().alias("baseline_mean"),
        pl.col("value").std().alias("baseline_sd"),
        pl.len().alias("baseline_weeks"),
    )
    is_count = ~pl.col("measure").str.ends_with("_amount")
    table = this.join(stats, on="measure", how="left").with_columns(
        pl.when(is_count).then(pl.max_horizontal(pl.col("baseline_sd"), pl.col("baseline_mean").sqrt()))
        .otherwise(pl.col("baseline_sd")).alias("noise_sd"))
    table = table.with_columns(
        pl.when(pl.col("noise_sd") > 0).then((pl.col("value") - pl.col("baseline_mean")) / pl.col("noise_sd"))
        .alias("z"),
    ).with_columns(
        # a count must also move by at least MIN_COUNT_CHANGE: one event on a near-empty baseline is not news
        ((pl.col("z").abs() >= 2) & (pl.col("baseline_weeks") >= 6)
         & (~is_count | ((pl.col("value") - pl.col("baseline_mean")).abs() >= MIN_COUNT_CHANGE)))
        .fill_null(False).alias("is_unusual"),
        (pl.col("value") - pl.col("previous")).alias("change_vs_previous"),
    )
    targets = weekly_targets(store, week)
    order = {m: i for i, m in enumerate([*store.cfg.main_stages, "pipeline_amount", "won_deals", "closed_deals",
                                          "won_amount"])}
    return (table.join(targets, on="measure", how="left")
            .with_columns(pl.col("measure").replace_strict(order, default=99).alias("_order"))
            .sort("_order").drop("_order"))


def _target_measure(store: Store, metric: str) -> str | None:
    role = TARGET_METRICS.get(metric)
    cfg = store.cfg
    return {0: cfg.main_stages[0], "handoff": cfg.handoff_stage, "accepted": cfg.accepted_stage,
            "qualified": cfg.qualified_stage, "opportunity": cfg.opportunity_stage}.get(role, metric) \
        if metric in TARGET_METRICS else None


def weekly_targets(store: Store, week: Week) -> pl.DataFrame:
    """measure, target: company-wide targets prorated to the days of the week inside each period."""
    cur = store.con.cursor()
    try:
        rows = cur.execute(
            "select period_start, period_end, metric, target from targets "
            "where team is null and segment is null and period_end >= ? and period_start <= ?",
            [week.monday, week.sunday]).fetchall()
    finally:
        cur.close()
    totals: dict[str, float] = {}
    for start, end, metric, target in rows:
        measure = _target_measure(store, metric)
        if measure is None:
            continue
        days = (end - start).days + 1
        overlap = (min(end, week.sunday) - max(start, week.monday)).days + 1
        totals[measure] = totals.get(measure, 0.0) + target * overlap / days
    return pl.DataFrame({"measure": list(totals), "target": list(totals.values())},
                        schema={"measure": pl.String, "target": pl.Float64})


def newly_stalled(store: Store, week: Week, filters: Filters = NO_FILTERS) -> pl.DataFrame:
    """Leads stalled at the end of the week that were not stalled at its start: the most recently
    stalled (least overdue, most salvageable) first."""
    start, end = week.bounds_utc(store.cfg.timezone)
    end = min(end, store.default_as_of) if store.default_as_of else end
    before = metrics.stalled(store, filters, as_of=start).select("lead_id", "stage")
    after = metrics.stalled(store, filters, as_of=end)
    return after.join(before, on=["lead_id", "stage"], how="anti").sort(["days_over", "lead_id"])


def breaches_of_week(store: Store, week: Week, filters: Filters = NO_FILTERS) -> pl.DataFrame:
    """SLA breaches that happened during the week (breached at its end, not at its start): the least
    overdue (the most recent, most salvageable) first."""
    start, end = week.bounds_utc(store.cfg.timezone)
    end = min(end, store.default_as_of) if store.default_as_of else end
    before = handoff.breaches(store, filters, as_of=start).select("lead_id", "sla")
    return (handoff.breaches(store, filters, as_of=end).join(before, on=["lead_id", "sla"], how="anti")
            .sort(["hours_late", "lead_id", "sla"]))


def conversion_windows(store: Store, filters: Filters = NO_FILTERS) -> dict[str, int]:
    """Days each stage's weekly cohort gets to convert: the 90th percentile of days in the stage,
    rounded up, between 7 and 120 days."""
    velocity = metrics.velocity(store, filters=filters.over())
    days = dict(zip(velocity["stage"], velocity["p90_days"]))
    return {s: int(min(max(math.ceil(days.get(s) or 7), 7), 120)) for s in store.cfg.main_stages[:-1]}


def conversion_by_week(store: Store, first: Week, last: Week, filters: Filters = NO_FILTERS,
                       as_of: datetime | None = None) -> pl.DataFrame:
    windows = conversion_windows(store, filters)
    return run(store.con, "marts/weekly_conversion", {
        **_lead_params(store, filters, as_of), "tz": store.cfg.timezone,
        "from_week": first.monday, "to_week": last.monday,
        "window_stages": list(windows), "window_days": list(windows.values())})


DROPS_SCHEMA = {"from_stage": pl.String, "to_stage": pl.String, "window_days": pl.Int64, "is_immature": pl.Boolean,
                "cohort_week": pl.String, "cohort": pl.Int64, "converted": pl.Int64, "rate": pl.Float64,
                "baseline_rate": pl.Float64, "p_value": pl.Float64, "is_drop": pl.Boolean,
                "is_low_volume": pl.Boolean}


def conversion_drops(store: Store, week: Week, filters: Filters = NO_FILTERS,
                     as_of: datetime | None = None) -> pl.DataFrame:
    """Per stage pair: the latest mature weekly cohort (at or before the week) against the 8 mature
    cohorts before it; Fisher's exact test; is_drop when lower with p < 0.05. Pairs whose cohorts
    of the week are still too young are listed with is_immature."""
    frame = conversion_by_week(store, week.shift(-BASELINE_WEEKS - 20), week, filters, as_of)
    rows = []
    for (from_stage, to_stage), group in frame.sort("week_start").group_by(["from_stage", "to_stage"],
                                                                           maintain_order=True):
        mature = group.filter(~pl.col("is_immature"))
        this_week = group.filter(pl.col("week_start") == week.monday)
        row = {"from_stage": from_stage, "to_stage": to_stage, "window_days": int(group["window_days"][0]),
               "is_immature": bool(this_week["is_immature"][0]) if this_week.height else False,
               "cohort_week": None, "cohort": None, "converted": None, "rate": None,
               "baseline_rate": None, "p_value": None, "is_drop": False, "is_low_volume": False}
        if mature.height >= 2:
            latest, base = mature.tail(1).row(0, named=True), mature.head(mature.height - 1).tail(8)
            k, n = int(base["converted"].sum()), int(base["cohort"].sum())
            row.update(cohort_week=Week.of(latest["week_start"]).label, cohort=latest["cohort"],
                       converted=latest["converted"],
                       rate=latest["converted"] / latest["cohort"] if latest["cohort"] else None,
                       baseline_rate=k / n if n else None,
                       is_low_volume=(latest["cohort"] or 0) < store.cfg.low_volume_n)
            if latest["cohort"] and n:
                p = fisher_exact([[latest["converted"], latest["cohort"] - latest["converted"]], [k, n - k]])[1]
                row.update(p_value=p, is_drop=bool(p < 0.05 and row["rate"] < row["baseline_rate"]))
        rows.append(row)
    return pl.DataFrame(rows, schema=DROPS_SCHEMA)
