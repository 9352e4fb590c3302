"""The leads (or deals) behind a figure: each list runs a drill mart of queries/marts built from the macros
that counted the figure (the lead filter, stage_entries, opportunities_in_scope, content_touch_stages), so a
list and its figure cannot disagree. Times are naive UTC, as the database stores them; [start, end)."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta

import polars as pl

from analytics.core.filters import Filters
from analytics.engine import handoff, metrics, revenue, winloss
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
    lead_id, opportunity_id, status, the factor, amount, dates, owner, source and the reason."""
    return profile_deals(store, {factor: value}, filters, as_of)


def lost_deals(store: Store, factor: str, value: str, reason: str, filters: Filters = NO_FILTERS,
               as_of: datetime | None = None) -> pl.DataFrame:
    """The lost deals behind a cell of winloss.loss_reasons_by (a factor value, a loss reason)."""
    deals = factor_deals(store, factor, value, filters, as_of)
    return deals.filter((pl.col("status") == "lost") & (pl.col("reason") == reason))


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


DEAL_COLUMNS = ("lead_id", "opportunity_id", "status", "amount", "amount_currency", "created_at", "closed_at",
                "owner_id", "source")


def sourcing_deals(store: Store, category: str, filters: Filters = NO_FILTERS,
                   as_of: datetime | None = None) -> pl.DataFrame:
    """The deals behind a row of revenue.sourcing (marketing_sourced, sales_sourced, marketing_influenced):
    each deal of the category won or created in the period, with which of the two it counts as
    (is_won_in_period: won_deals and won_amount; is_created_in_period: opportunities and pipeline_amount),
    the latest first."""
    member, won, created = revenue.sourcing_counts(category, filters)
    frame = revenue.sourcing_deals(store, filters, as_of)
    return (frame.filter(member & (won | created))
            .select(*[c for c in DEAL_COLUMNS if c in frame.columns], won.alias("is_won_in_period"),
                    created.alias("is_created_in_period"))
            .sort(pl.coalesce("closed_at", "created_at"), "opportunity_id", descending=[True, False]))


def _closed(store: Store, filters: Filters, as_of: datetime | None) -> pl.DataFrame:
    """winloss.closed_deals with the reason of its outcome (as winloss.reasons names a missing one)."""
    frame = winloss.closed_deals(store, filters, as_of)
    reason = pl.when(pl.col("status") == "won").then(pl.col("win_reason")).otherwise(pl.col("loss_reason"))
    return frame.with_columns(reason.fill_null("(no reason given)").alias("reason"))


def reason_deals(store: Store, outcome: str, reason: str, filters: Filters = NO_FILTERS,
                 as_of: datetime | None = None) -> pl.DataFrame:
    """The won (or lost) deals behind a bar of winloss.reasons: those closed in the period with that
    reason ("(no reason given)": none recorded), the latest first."""
    if outcome not in ("won", "lost"):
        raise MetricError("outcome must be won or lost")
    frame = _closed(store, filters, as_of).filter((pl.col("status") == outcome) & (pl.col("reason") == reason))
    return frame.select(*[c for c in DEAL_COLUMNS if c in frame.columns], "reason").sort(
        "closed_at", "opportunity_id", descending=[True, False])


def profile_deals(store: Store, segment: dict[str, str], filters: Filters = NO_FILTERS,
                  as_of: datetime | None = None) -> pl.DataFrame:
    """The closed deals behind a row of winloss.ideal_customer_profile: those whose factors hold the
    segment's values ({factor: value}, "(none)" for a blank), the latest first."""
    frame = _closed(store, filters, as_of)
    if unknown := [f for f in segment if f not in winloss.factors(frame)]:
        raise MetricError(f"{', '.join(map(repr, unknown))} is not a win/loss factor")
    for factor, value in segment.items():
        frame = frame.filter(pl.col(factor).cast(pl.String).fill_null("(none)") == value)
    columns = [c for c in dict.fromkeys((*DEAL_COLUMNS[:3], *segment, *DEAL_COLUMNS[3:])) if c in frame.columns]
    return frame.select(*columns, "reason").sort("closed_at", "opportunity_id", descending=[True, False])


def stalled_leads(store: Store, owner_id: str, stage: str, filters: Filters = NO_FILTERS,
                  as_of: datetime | None = None) -> pl.DataFrame:
    """The stalled leads behind a cell of handoff.stalled_by_owner (an owner, "(none)" for none, and a
    stage): lead_id, stage, entered_at, days_in_stage, threshold_days, days_over and the lead's facts,
    the most recently stalled (most salvageable) first."""
    frame = metrics.stalled(store, filters, as_of)
    return frame.filter((pl.col("owner_id").fill_null("(none)") == owner_id) & (pl.col("stage") == stage)).sort(
        "days_over", "lead_id")


def target_leads(store: Store, row: dict, as_of: datetime | None = None) -> pl.DataFrame:
    """The leads (a stage metric: their stage entries) or deals (pipeline_amount, won_amount) behind a row
    of revenue.targets (its period_start, period_end, metric, team, segment), counted by the same rule
    (queries/macros/targets.sql), the newest first."""
    frame = run(store.con, "marts/drill_targets", {
        **revenue.target_stage_params(store), "as_of": as_of_of(store, as_of),
        **{k: row.get(k) for k in ("period_start", "period_end", "metric", "team", "segment")}})
    if row["metric"] in revenue.STAGE_METRICS:
        return frame.select("lead_id", pl.col("counted_at").alias("stage_entered_at"), "owner_id", "source",
                            "region", "industry")
    return frame.drop("counted_at")


def velocity_deals(store: Store, month: date, as_of: datetime | None = None) -> pl.DataFrame:
    """The deals behind a month of revenue.sales_velocity: those closed (won or lost) in it by as_of, as
    its win rate, average won amount and cycle count them (every deal: the levers take no lead filter)."""
    start, end = month_bounds(month)
    as_of = as_of_of(store, as_of)
    return deals_in(store, "closed_deals", start, min(end, as_of + timedelta(microseconds=1)), NO_FILTERS, as_of)
