"""The leads (or deals) behind a figure: each list runs a drill mart of queries/marts built from the macros
that counted the figure (the lead filter, stage_entries, opportunities_in_scope, content_touch_stages), so a
list and its figure cannot disagree. Times are naive UTC, as the database stores them; [start, end)."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta

import polars as pl

from analytics.core.filters import Filters
from analytics.engine import handoff
from analytics.engine.base import NO_FILTERS, as_of_of
from analytics.store.db import Store
from analytics.store.sql import run

# the deal figures and the date that places a deal in a period (queries/marts/drill_deals.sql)
DEAL_MEASURES = {"pipeline_amount": "created_at", "won_amount": "closed_at", "won_deals": "closed_at",
                 "closed_deals": "closed_at"}
FACTS = ("source", "region", "industry", "owner_id", "score")


def day_bounds(first: date, last: date) -> tuple[datetime, datetime]:
    """[first 00:00, the day after last 00:00): inclusive dates as a time range."""
    return datetime.combine(first, datetime.min.time()), datetime.combine(last + timedelta(days=1), datetime.min.time())


def month_bounds(month: date) -> tuple[datetime, datetime]:
    start = datetime.combine(month.replace(day=1), datetime.min.time())
    following = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return start, datetime.combine(following, datetime.min.time())


def _entries(store: Store, stage: str, start: datetime, end: datetime, filters: Filters, as_of: datetime | None,
             to_stage: str | None = None, window_days: int | None = None) -> pl.DataFrame:
    return run(store.con, "marts/drill_entries", {
        **filters.lead_params(), "as_of": as_of_of(store, as_of), "stage": stage, "to_stage": to_stage,
        "window_days": window_days, "from_at": start, "to_at": end})


def deals_in(store: Store, measure: str, start: datetime, end: datetime, filters: Filters = NO_FILTERS,
             as_of: datetime | None = None) -> pl.DataFrame:
    """lead_id, opportunity_id, amount, status, created_at, closed_at, owner_id, source: the deals behind
    a money or deal count of [start, end)."""
    return run(store.con, "marts/drill_deals", {
        **filters.lead_params(), "as_of": as_of_of(store, as_of), "measure": measure, "from_at": start, "to_at": end})


def measure_leads(store: Store, measure: str, start: datetime, end: datetime, filters: Filters = NO_FILTERS,
                  as_of: datetime | None = None) -> pl.DataFrame:
    """The leads (or deals) behind one weekly measure or target metric in [start, end): a stage's
    entries (lead_id, stage_entered_at and the lead's facts) or a deal figure's deals."""
    if measure in DEAL_MEASURES:
        return deals_in(store, measure, start, end, filters, as_of)
    entries = _entries(store, measure, start, end, filters, as_of)
    return entries.select("lead_id", pl.col("entered_at").alias("stage_entered_at"), *FACTS)


def drop_leads(store: Store, row: dict, start: datetime, end: datetime, filters: Filters = NO_FILTERS,
               as_of: datetime | None = None) -> pl.DataFrame:
    """The cohort behind a conversion-drop row (weekly.conversion_drops): leads entering from_stage in
    [start, end) and whether they reached to_stage within the window (entered_at, reached_at, is_converted)."""
    return _entries(store, row["from_stage"], start, end, filters, as_of, row["to_stage"], row["window_days"])


def trend_leads(store: Store, metric: str, month: date, filters: Filters = NO_FILTERS,
                as_of: datetime | None = None) -> pl.DataFrame:
    """The leads behind one month of a monthly trend (monthly.trends): the hand-off cohort and whether it
    reached the qualified stage; the month's hand-offs with their decision or follow-up; the deals
    closed in the month."""
    as_of = as_of_of(store, as_of)
    start, end = month_bounds(month)
    cfg = store.cfg
    if metric == "conversion":
        return _entries(store, cfg.handoff_stage, start, end, filters, as_of, cfg.qualified_stage)
    if metric in ("acceptance", "follow_up_compliance"):
        leads = handoff.sla_leads(store, filters.over(start.date(), (end - timedelta(days=1)).date()), as_of)
        if metric == "acceptance":
            decision = (pl.when(pl.col("accepted_at") <= as_of).then(pl.lit("accepted"))
                        .when(pl.col("rejected_at") <= as_of).then(pl.lit("rejected")).otherwise(pl.lit("pending")))
            leads = leads.select("lead_id", "handoff_at", decision.alias("decision"), "accepted_at", "rejected_at",
                                 "owner_id", "source", "score")
        else:
            leads = leads.filter(pl.col("follow_up_status").is_not_null()).select(
                "lead_id", "handoff_at", "first_activity_at", "response_hours", "follow_up_status", "owner_id",
                "source", "score")
        return leads.sort("handoff_at")
    if metric == "win_rate":
        return deals_in(store, "closed_deals", start, end, filters, as_of)
    return pl.DataFrame()


def cohort_leads(store: Store, month: date, stage: str, filters: Filters = NO_FILTERS,
                 as_of: datetime | None = None) -> pl.DataFrame:
    """The leads created in a month (the heatmap's row) with when they reached the stage and how many
    calendar months after creation (months_to_reach)."""
    return run(store.con, "marts/drill_cohort", {
        **filters.lead_params(), "as_of": as_of_of(store, as_of), "month": month.replace(day=1),
        "target_stage": stage})


def content_leads(store: Store, content_id: str, stages: Sequence[str], filters: Filters = NO_FILTERS,
                  as_of: datetime | None = None) -> pl.DataFrame:
    """The leads that touched a content item while in one of `stages` (their latest recorded main stage at
    the touch): stage, touched_at, next_stage_at, is_progressed and the lead's facts."""
    return run(store.con, "marts/drill_content", {
        **filters.lead_params(), "as_of": as_of_of(store, as_of), "content_id": content_id, "stages": list(stages)})
