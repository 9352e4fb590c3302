"""The hand-off between marketing and sales: lead quality feedback, the two-sided SLA scorecard,
the recycling loop, the sales-ready score threshold and stalled leads by owner (docs/metrics.md)."""
from __future__ import annotations

from datetime import datetime, timedelta

import polars as pl

from analytics.core.filters import Filters
from analytics.core.stats import with_rate
from analytics.engine.base import NO_FILTERS, MetricError, as_of_of, query_params, require
from analytics.engine.metrics import stalled
from analytics.store.db import Store
from analytics.store.sql import UnknownColumn, dimensions, one_row_unsplit, run

SLA_MEASURES = ("follow_up", "decision", "recycle")


def handoff_dimensions(store: Store) -> list[str]:
    return [*dimensions(store.con), "team", "score_band"]


def _by(store: Store, by: str | None, extra: tuple[str, ...] = ("team", "score_band")) -> tuple[str | None, str]:
    """The breakdown column, checked against the lead's columns plus the hand-off's extras (team,
    score band, rejection reason), which the marts' handoff_decisions rows carry beside them."""
    if by is None:
        return None, "l"
    lead_columns = dimensions(store.con)
    if by in lead_columns:
        return by, "l"
    if by in extra:
        return by, "l"
    raise UnknownColumn(f"--by {by!r} is not a breakdown here; choose one of: "
                        f"{', '.join([*lead_columns, *extra])}")



def _named(frame: pl.DataFrame, by: str | None) -> pl.DataFrame:
    return frame.rename({"by_value": by or "segment"})


def quality(store: Store, by: str | None = None, filters: Filters = NO_FILTERS,
            as_of: datetime | None = None) -> pl.DataFrame:
    """BY, handed_off, accepted, rejected, pending, avg_rating, acceptance_rate, ci_low, ci_high."""
    by, alias = _by(store, by)
    frame = run(store.con, "marts/quality", query_params(store, filters, as_of), by=by, by_table=alias)
    frame = one_row_unsplit(frame, by)
    frame = frame.with_columns((pl.col("accepted") + pl.col("rejected")).alias("decided"))
    frame = with_rate(frame, "accepted", "decided", "acceptance_rate", store.cfg.low_volume_n)
    return _named(frame, by)


def rejection_reasons(store: Store, by: str | None = "source", filters: Filters = NO_FILTERS,
                      as_of: datetime | None = None) -> pl.DataFrame:
    """BY, reason, rejections, share (of the BY value's rejections)."""
    by, alias = _by(store, by)
    frame = run(store.con, "marts/quality_reasons", query_params(store, filters, as_of), by=by, by_table=alias)
    return _named(frame, by)


def quality_trend(store: Store, filters: Filters = NO_FILTERS, as_of: datetime | None = None) -> pl.DataFrame:
    frame = run(store.con, "marts/quality_trend", query_params(store, filters, as_of))
    frame = frame.with_columns((pl.col("accepted") + pl.col("rejected")).alias("decided"))
    return with_rate(frame, "accepted", "decided", "acceptance_rate", store.cfg.low_volume_n)


def _sla_params(store: Store, filters: Filters, as_of: datetime | None, follow_up_hours: float | None) -> dict:
    cfg = store.cfg
    return query_params(store, filters, as_of,
                   follow_up_hours=cfg.follow_up_hours if follow_up_hours is None else follow_up_hours,
                   decision_hours=cfg.decision_hours, recycle_days=cfg.recycle_days)


def sla_leads(store: Store, filters: Filters = NO_FILTERS, as_of: datetime | None = None,
              follow_up_hours: float | None = None) -> pl.DataFrame:
    """One row per handed-off lead with its follow-up, decision and recycling status."""
    return run(store.con, "marts/sla_leads", _sla_params(store, filters, as_of, follow_up_hours))


def sla(store: Store, by: str | None = "owner_id", measure: str = "follow_up",
        filters: Filters = NO_FILTERS, as_of: datetime | None = None,
        follow_up_hours: float | None = None) -> pl.DataFrame:
    """BY, met, breached, not_due, median_response_hours, p90_response_hours, compliance (+ interval).
    For the recycle measure the response columns are in days (median_response_days...)."""
    if measure not in SLA_MEASURES:
        raise MetricError(f"measure must be one of {', '.join(SLA_MEASURES)}")
    if measure == "follow_up":
        require(store, "activities")
    by, _ = _by(store, by)
    frame = one_row_unsplit(run(store.con, "marts/sla", {**_sla_params(store, filters, as_of, follow_up_hours),
                                                         "measure": measure}, by=by, by_table="l"), by)
    unit = "days" if measure == "recycle" else "hours"
    frame = frame.rename({"median_response": f"median_response_{unit}", "p90_response": f"p90_response_{unit}"})
    frame = frame.with_columns((pl.col("met") + pl.col("breached")).alias("judged"))
    return _named(with_rate(frame, "met", "judged", "compliance", store.cfg.low_volume_n), by)


def breaches(store: Store, filters: Filters = NO_FILTERS, as_of: datetime | None = None) -> pl.DataFrame:
    """The breach list for the weekly meeting: lead, owner, SLA, hand-off time, hours late.
    Without an activities export the follow-up SLA cannot be judged, so it is not listed."""
    frame = run(store.con, "marts/breaches", _sla_params(store, filters, as_of, None))
    if "activities" not in store.tables_present():
        frame = frame.filter(pl.col("sla") != "follow_up")
    return frame


def recycling(store: Store, by: str | None = "source", filters: Filters = NO_FILTERS,
              as_of: datetime | None = None) -> pl.DataFrame:
    """BY, handed_off, ever_rejected, recycled, recycle_rate, median_days_to_recycle, returned,
    return_rate, returned_qualified_rate vs fresh_qualified_rate."""
    by, alias = _by(store, by, extra=("team", "score_band", "rejection_reason"))
    frame = one_row_unsplit(run(store.con, "marts/recycling", query_params(store, filters, as_of), by=by,
                                by_table=alias), by)
    n = store.cfg.low_volume_n
    for hits, total, name in (("recycled", "ever_rejected", "recycle_rate"), ("returned", "recycled", "return_rate"),
                              ("fresh_qualified", "fresh", "fresh_qualified_rate"),
                              ("returned_qualified", "returned", "returned_qualified_rate")):
        frame = with_rate(frame, hits, total, name, n).rename(
            {"ci_low": f"{name}_ci_low", "ci_high": f"{name}_ci_high", "is_low_volume": f"{name}_low_volume"})
    return _named(frame, by)


def threshold(store: Store, filters: Filters = NO_FILTERS, as_of: datetime | None = None,
              step: int = 5) -> pl.DataFrame:
    """threshold, handed_off, qualified, precision, recall, f1, is_suggested."""
    cfg = store.cfg
    frame = run(store.con, "marts/threshold", query_params(
        store, filters, as_of, score_min=cfg.score_min, score_max=cfg.score_max, step=step))
    frame = frame.with_columns(
        (pl.col("qualified") / pl.col("handed_off")).alias("precision"),
        (pl.col("qualified") / pl.col("all_qualified")).alias("recall"),
    ).with_columns(
        (2 * pl.col("precision") * pl.col("recall") / (pl.col("precision") + pl.col("recall"))).alias("f1"),
    ).with_columns(pl.col(c).fill_nan(None) for c in ("precision", "recall", "f1"))
    suggested = suggested_threshold(frame, cfg.target_precision)
    is_suggested = (pl.col("threshold") == suggested) if suggested is not None else pl.lit(False)
    return frame.with_columns(is_suggested.alias("is_suggested"))


def suggested_threshold(frame: pl.DataFrame, target_precision: float = 0) -> float | None:
    """The threshold with the best F1; with a target precision, the lowest threshold reaching it."""
    if target_precision:
        ok = frame.filter(pl.col("precision") >= target_precision).sort("threshold")
        return ok["threshold"][0] if ok.height else None
    best = frame.filter(pl.col("f1").is_not_null()).sort(["f1", "threshold"], descending=[True, False])
    return best["threshold"][0] if best.height else None


def threshold_impact(store: Store, new_threshold: float, filters: Filters = NO_FILTERS,
                     as_of: datetime | None = None, days: int = 91) -> dict[str, int | float]:
    """Had new_threshold been in force over the last quarter (days before as_of): hand-offs sales
    would not have received, and qualified leads among them that would have been missed."""
    as_of = as_of_of(store, as_of)
    start = (as_of - timedelta(days=days)).date()
    window = filters.over(start, as_of.date())
    frame = run(store.con, "marts/threshold", query_params(
        store, window, as_of, score_min=new_threshold, score_max=new_threshold, step=1))
    everything = run(store.con, "marts/threshold", query_params(
        store, window, as_of, score_min=store.cfg.score_min, score_max=store.cfg.score_min, step=1))
    kept, total = frame.row(0, named=True), everything.row(0, named=True)
    return {
        "threshold": new_threshold,
        "from": start,
        "handed_off": total["handed_off"],
        "not_received": total["handed_off"] - kept["handed_off"],
        "qualified": total["qualified"],
        "qualified_missed": total["qualified"] - kept["qualified"],
    }


def stalled_by_owner(store: Store, filters: Filters = NO_FILTERS, as_of: datetime | None = None) -> pl.DataFrame:
    """owner_id, stage, stalled, median_days_over, max_days_over: what each rep should act on."""
    frame = stalled(store, filters, as_of, columns=["owner_id", "stage", "days_in_stage", "threshold_days"])
    return (
        frame.group_by(pl.col("owner_id").fill_null("(none)"), "stage")
        .agg(pl.len().alias("stalled"), pl.col("days_over").median().alias("median_days_over"),
             pl.col("days_over").max().alias("max_days_over"))
        .sort(["stalled", "owner_id", "stage"], descending=[True, False, False])  # total: ties by stage
    )
