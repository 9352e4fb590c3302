"""The leads (or deals) behind a figure: each list runs a drill mart of queries/marts built from the macros
that counted the figure (the lead filter, stage_entries, opportunities_in_scope, content_touch_stages), so a
list and its figure cannot disagree. Times are naive UTC, as the database stores them; [start, end)."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta

import polars as pl

from analytics.core.filters import Filters
from analytics.engine import handoff, revenue, winloss
from analytics.engine.base import NO_FILTERS, MetricError, as_of_of, query_params
from analytics.store.db import Store
from analytics.store.sql import UnknownColumn, checked_dimension, run

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


# --- the rows of the pages' breakdown tables: each list runs the macro its row counted with, narrowed to
# the row's value of the breakdown through the same `{by}` expression (so '(none)' finds the blanks)

def conversion_leads(store: Store, from_stage: str, to_stage: str, by: str | None, by_value: str,
                     filters: Filters = NO_FILTERS, window_days: int | None = None, grain: str = "week",
                     period_start: date | None = None, as_of: datetime | None = None) -> pl.DataFrame:
    """The cohort behind a row of metrics.conversion (by, by_value) or a point of metrics.conversion_trend
    (also grain, period_start): lead_id, entered_at, reached_at, is_converted and the lead's facts."""
    if grain not in ("week", "month"):
        raise MetricError("grain must be week or month")
    by = checked_dimension(store.con, by)
    return run(store.con, "marts/drill_conversion", query_params(
        store, filters, as_of, from_stage=from_stage, to_stage=to_stage, window_days=window_days,
        by_value=by_value, grain=grain, period_start=period_start), by=by, by_table="s")


def handoff_leads(store: Store, by: str | None, by_value: str, filters: Filters = NO_FILTERS,
                  as_of: datetime | None = None) -> pl.DataFrame:
    """The hand-offs behind a row of handoff.quality: lead_id, handoff_at, decision (accepted, rejected,
    pending), accepted_at, rejected_at, rejection_reason, owner and the lead's facts."""
    by, alias = handoff._by(store, by)
    return run(store.con, "marts/drill_handoffs", query_params(store, filters, as_of, by_value=by_value),
               by=by, by_table=alias)


def rejection_leads(store: Store, by: str | None, by_value: str, reason: str, filters: Filters = NO_FILTERS,
                    as_of: datetime | None = None) -> pl.DataFrame:
    """The rejected hand-offs behind a cell of handoff.rejection_reasons (a value of `by`, a reason): the
    rows of handoff_leads sales rejected for that reason."""
    leads = handoff_leads(store, by, by_value, filters, as_of)
    return leads.filter((pl.col("decision") == "rejected") & (pl.col("rejection_reason") == reason))


def recycling_leads(store: Store, by: str | None, by_value: str, filters: Filters = NO_FILTERS,
                    as_of: datetime | None = None) -> pl.DataFrame:
    """The hand-offs behind a row of handoff.recycling, rejected ones first: lead_id, handoff_at,
    rejected_at, rejection_reason, recycled_at, days_to_recycle, returned_at, is_requalified, owner."""
    by, alias = handoff._by(store, by, extra=("team", "score_band", "rejection_reason"))
    return run(store.con, "marts/drill_recycling", query_params(store, filters, as_of, by_value=by_value),
               by=by, by_table=alias)


def sla_row_leads(store: Store, by: str | None, by_value: str, measure: str = "follow_up",
                  filters: Filters = NO_FILTERS, as_of: datetime | None = None) -> pl.DataFrame:
    """The hand-offs behind a row of handoff.sla: lead_id, handoff_at, sla_status (met, breached,
    not_due), the response (hours; days for recycling), hours past the limit of a breach, owner, team
    and the lead's facts; breaches first."""
    if measure not in handoff.SLA_MEASURES:
        raise MetricError(f"measure must be one of {', '.join(handoff.SLA_MEASURES)}")
    by, _ = handoff._by(store, by)
    frame = run(store.con, "marts/drill_sla", {**handoff._sla_params(store, filters, as_of, None), "measure": measure,
                                               "by_value": by_value}, by=by, by_table="l")
    return frame.drop(["recycle_days"] if measure != "recycle" else ["response_hours", "hours_late"])


def stage_stays(store: Store, stage: str, filters: Filters = NO_FILTERS,
                as_of: datetime | None = None) -> pl.DataFrame:
    """The completed stays behind a stage of metrics.velocity, longest first: lead_id, entered_at,
    exited_at, days_in_stage and the lead's facts."""
    return run(store.con, "marts/drill_stays", query_params(store, filters, as_of, stage=stage))


def factor_deals(store: Store, factor: str, value: str, filters: Filters = NO_FILTERS,
                 as_of: datetime | None = None) -> pl.DataFrame:
    """The closed deals behind a win/loss factor value (winloss.all_factors counts winloss.closed_deals):
    lead_id, opportunity_id, status, the factor, amount, closed_at, the reason and the owner."""
    frame = winloss.closed_deals(store, filters, as_of)
    if factor not in winloss.factors(frame):
        raise MetricError(f"{factor!r} is not a win/loss factor")
    frame = frame.filter(pl.col(factor).cast(pl.String).fill_null("(none)") == value)
    reason = pl.when(pl.col("status") == "won").then(pl.col("win_reason")).otherwise(pl.col("loss_reason"))
    wanted = ("lead_id", "opportunity_id", "status", factor, "amount", "amount_currency", "closed_at", "owner_id")
    columns = [c for c in dict.fromkeys(wanted) if c in frame.columns]
    return frame.with_columns(reason.alias("reason")).select(*columns, "reason").sort("closed_at", descending=True)


def lost_deals(store: Store, factor: str, value: str, reason: str, filters: Filters = NO_FILTERS,
               as_of: datetime | None = None) -> pl.DataFrame:
    """The lost deals behind a cell of winloss.loss_reasons_by (a factor value, a loss reason)."""
    deals = factor_deals(store, factor, value, filters, as_of)
    return deals.filter((pl.col("status") == "lost") & (pl.col("reason").fill_null("(no reason given)") == reason))


def attribution_deals(store: Store, basis: str, by: str, by_value: str, filters: Filters = NO_FILTERS,
                      as_of: datetime | None = None) -> pl.DataFrame:
    """The deals behind a row of revenue.attribution_models: lead_id, opportunity_id, amount, status,
    created_at, closed_at, owner_id, touches (in this value) and the credit to the value under each model."""
    if basis not in revenue.BASES:
        raise MetricError(f"basis must be one of {', '.join(revenue.BASES)}")
    if by not in (allowed := revenue.attribution_dimensions(store)):
        raise UnknownColumn(f"{by!r} is not a touch dimension; choose one of: {', '.join(allowed)}")
    return run(store.con, "marts/drill_attribution", query_params(store, filters, as_of, basis=basis,
                                                                  by_value=by_value),
               by=by, by_table="ct" if by in revenue.CONTENT_DIMENSIONS else "tc")
