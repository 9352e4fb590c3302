"""Drill-down lists of the meeting pages ("the leads behind this row"): they select, from the engine's
own lead-grain tables (lead_stages, leads, touches, handoffs via sla_leads, deals), the rows each
aggregate counted, with the same rules as the mart that counted them; tests/test_app_review.py ties
every list's length to the engine's figure, so the two cannot drift apart unnoticed.

The figures and shown tables of those pages are in weekly.py, monthly.py, content.py and journey.py.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta

import polars as pl

from analytics.core.filters import Filters
from analytics.views.weekly import DEAL_MEASURES

# --- drill-down: the leads behind a row ---------------------------------------------------------

def filtered_leads(leads: pl.DataFrame, filters: Filters) -> pl.DataFrame:
    """The leads the lead filters keep (queries/derived/lead_status.sql filtered_leads: a missing
    value matches '(none)')."""
    for column, wanted in (("source", filters.sources), ("region", filters.regions),
                           ("industry", filters.industries), ("owner_id", filters.owners)):
        if wanted:
            leads = leads.filter(pl.col(column).fill_null("(none)").is_in(list(wanted)))
    return leads


FACTS = ("lead_id", "source", "region", "industry", "owner_id", "score")


def facts(leads: pl.DataFrame, frame: pl.DataFrame) -> pl.DataFrame:
    """frame (lead_id first) with the lead's facts after its own columns."""
    keep = [c for c in FACTS if c in leads.columns and (c == "lead_id" or c not in frame.columns)]
    return frame.join(leads.select(keep), on="lead_id", how="left")


def stage_entries(lead_stages: pl.DataFrame, leads: pl.DataFrame, stage: str, start: datetime, end: datetime,
                  filters: Filters, as_of: datetime) -> pl.DataFrame:
    """lead_id, entered_at: the leads whose entry into `stage` (skip rule included) falls in
    [start, end) and by as_of — the leads behind a flow count (weekly_counts.sql, flow.sql)."""
    kept = filtered_leads(leads, filters).select("lead_id")
    return (lead_stages.filter((pl.col("stage") == stage) & (pl.col("entered_at") >= start)
                               & (pl.col("entered_at") < end) & (pl.col("entered_at") <= as_of))
            .join(kept, on="lead_id", how="semi").select("lead_id", "entered_at").sort("entered_at"))


def reached(lead_stages: pl.DataFrame, cohort: pl.DataFrame, stage: str, as_of: datetime,
            window_days: int | None = None) -> pl.DataFrame:
    """cohort (lead_id, entered_at) with reached_at (entry into `stage` by as_of, within the window
    of entry when one is given) and is_converted."""
    later = lead_stages.filter((pl.col("stage") == stage) & (pl.col("entered_at") <= as_of)) \
        .select("lead_id", pl.col("entered_at").alias("reached_at"))
    frame = cohort.join(later, on="lead_id", how="left")
    if window_days is not None:
        frame = frame.with_columns(pl.when(pl.col("reached_at") <= pl.col("entered_at") + timedelta(days=window_days))
                                   .then(pl.col("reached_at")).alias("reached_at"))
    return frame.with_columns(pl.col("reached_at").is_not_null().alias("is_converted"))


def deals_in(deals: pl.DataFrame, measure: str, start: datetime, end: datetime) -> pl.DataFrame:
    """The opportunities behind a money or deal count of [start, end) (weekly_counts.sql 'money')."""
    at = DEAL_MEASURES[measure]
    frame = deals.filter((pl.col(at) >= start) & (pl.col(at) < end))
    if measure in ("won_amount", "won_deals"):
        frame = frame.filter(pl.col("status") == "won")
    elif measure == "closed_deals":
        frame = frame.filter(pl.col("status").is_in(["won", "lost"]))
    return frame.select("lead_id", "opportunity_id", "amount", "status", "created_at", "closed_at", "owner_id",
                        "source").sort(at)


def measure_leads(tables: dict[str, pl.DataFrame], measure: str, start: datetime, end: datetime, filters: Filters,
                  as_of: datetime) -> pl.DataFrame:
    """The leads (or deals) behind one weekly measure or target metric in [start, end). tables:
    lead_stages, leads, and deals (winloss.deals with the same lead filters) when money is asked."""
    if measure in DEAL_MEASURES:
        return deals_in(tables["deals"], measure, start, end)
    entries = stage_entries(tables["lead_stages"], tables["leads"], measure, start, end, filters, as_of)
    return facts(tables["leads"], entries.rename({"entered_at": "stage_entered_at"}))


def drop_leads(tables: dict[str, pl.DataFrame], row: dict, start: datetime, end: datetime, filters: Filters,
               as_of: datetime) -> pl.DataFrame:
    """The cohort behind a conversion-drop row: leads entering from_stage in the cohort's week and
    whether they reached to_stage within the window (weekly_conversion.sql)."""
    cohort = stage_entries(tables["lead_stages"], tables["leads"], row["from_stage"], start, end, filters, as_of)
    return facts(tables["leads"], reached(tables["lead_stages"], cohort, row["to_stage"], as_of, row["window_days"]))


def day_bounds(first: date, last: date) -> tuple[datetime, datetime]:
    """[first 00:00, the day after last 00:00): inclusive dates as a time range."""
    return datetime.combine(first, datetime.min.time()), datetime.combine(last + timedelta(days=1), datetime.min.time())


def month_bounds(month: date) -> tuple[datetime, datetime]:
    start = datetime.combine(month.replace(day=1), datetime.min.time())
    following = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return start, datetime.combine(following, datetime.min.time())


def trend_leads(tables: dict[str, pl.DataFrame], metric: str, month: date, stages: dict[str, str],
                filters: Filters, as_of: datetime) -> pl.DataFrame:
    """The leads behind one month of a monthly trend (monthly.trends): the hand-off cohort and
    whether it reached the qualified stage; the month's hand-offs with their decision or follow-up;
    the deals closed in the month. tables: lead_stages, leads, sla_leads, deals."""
    start, end = month_bounds(month)
    if metric == "conversion":
        cohort = stage_entries(tables["lead_stages"], tables["leads"], stages["handoff"], start, end, filters, as_of)
        return facts(tables["leads"], reached(tables["lead_stages"], cohort, stages["qualified"], as_of))
    if metric in ("acceptance", "follow_up_compliance"):
        leads = tables["sla_leads"].filter((pl.col("handoff_at") >= start) & (pl.col("handoff_at") < end))
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
        return deals_in(tables["deals"], "closed_deals", start, end)
    return pl.DataFrame()


def cohort_leads(tables: dict[str, pl.DataFrame], month: date, stage: str, filters: Filters,
                 as_of: datetime) -> pl.DataFrame:
    """The leads created in a month (the heatmap's row) with when they reached the stage and how
    many calendar months after creation (cohort_matrix.sql)."""
    start, end = month_bounds(month)
    created = filtered_leads(tables["leads"], filters).filter(
        (pl.col("created_at") >= start) & (pl.col("created_at") < end) & (pl.col("created_at") <= as_of))
    cohort = created.select("lead_id", pl.col("created_at").alias("entered_at"))
    frame = reached(tables["lead_stages"], cohort, stage, as_of).with_columns(
        ((pl.col("reached_at").dt.year() - start.year) * 12 + pl.col("reached_at").dt.month() - start.month)
        .alias("months_to_reach"))
    return facts(tables["leads"], frame.rename({"entered_at": "created_at"})).sort("created_at")


def content_leads(tables: dict[str, pl.DataFrame], content_id: str, stages: list[str], main_stages: tuple[str, ...],
                  filters: Filters, as_of: datetime) -> pl.DataFrame:
    """The leads that touched a content item while in one of `stages` (their latest recorded main
    stage at the touch) and whether they reached the next main stage by as_of (content_progress.sql)."""
    kept = filtered_leads(tables["leads"], filters).select("lead_id")
    ls = tables["lead_stages"].filter(pl.col("stage").is_in(list(main_stages)) & (pl.col("entered_at") <= as_of))
    recorded = (ls.filter(pl.col("is_recorded"))
                .select("lead_id", "stage", "stage_order", pl.col("entered_at").alias("stage_at"))
                .sort("lead_id", "stage_at"))
    touches = (tables["touches"].filter((pl.col("content_id") == content_id) & (pl.col("occurred_at") <= as_of))
               .join(kept, on="lead_id", how="semi").select("lead_id", "occurred_at").sort("lead_id", "occurred_at"))
    at = touches.join_asof(recorded, left_on="occurred_at", right_on="stage_at", by="lead_id", strategy="backward",
                           check_sortedness=False)  # sorted within each lead above
    at = at.filter(pl.col("stage").is_in(stages) & (pl.col("stage_order") < len(main_stages)))
    touched = at.group_by("lead_id", "stage", "stage_order").agg(pl.col("occurred_at").min().alias("touched_at"))
    following = ls.select("lead_id", (pl.col("stage_order") - 1).alias("stage_order"),
                          pl.col("entered_at").alias("next_stage_at"))
    frame = touched.join(following, on=["lead_id", "stage_order"], how="left").with_columns(
        pl.col("next_stage_at").is_not_null().alias("is_progressed"))
    return facts(tables["leads"], frame.select("lead_id", "stage", "touched_at", "next_stage_at", "is_progressed")) \
        .sort("touched_at")
