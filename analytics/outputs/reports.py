"""The `report` names of docs/cli.md: each maps options to a metric and selects the contract columns."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime

import polars as pl

from analytics.core.filters import Filters
from analytics.engine import handoff, metrics
from analytics.store.db import Store


@dataclass(frozen=True)
class Options:
    by: str | None = None
    start: date | None = None
    end: date | None = None
    as_of: datetime | None = None
    from_stage: str | None = None
    to_stage: str | None = None
    window: int | None = None
    grain: str = "week"
    hours: float | None = None
    measure: str = "follow_up"
    model: str = "linear"
    basis: str = "won"
    currency: str | None = None
    period: str | None = None
    relative: str | None = None

    @property
    def filters(self) -> Filters:
        return Filters(start=self.start, end=self.end, currency=self.currency)


def _with_by(columns: list[str], by: str | None) -> list[str]:
    return [by or "segment", *columns]


def conversion(store: Store, o: Options) -> pl.DataFrame:
    cfg = store.cfg
    frame = metrics.conversion(store, o.from_stage or cfg.handoff_stage, o.to_stage or cfg.qualified_stage,
                               by=o.by, filters=o.filters, window_days=o.window, as_of=o.as_of)
    return frame.select(_with_by(["cohort", "converted", "rate", "ci_low", "ci_high"], o.by))


def velocity(store: Store, o: Options) -> pl.DataFrame:
    frame = metrics.velocity(store, by=o.by, filters=o.filters, as_of=o.as_of)
    columns = ["stage", "n", "median_days", "p25_days", "p75_days", "mean_days"]
    return frame.select([o.by, *columns] if o.by else columns)


def stalled(store: Store, o: Options) -> pl.DataFrame:
    columns = ["lead_id", "stage", "entered_at", "days_in_stage", "threshold_days", "owner_id"]
    return metrics.stalled(store, filters=o.filters, as_of=o.as_of, columns=columns).select(columns)


def funnel(store: Store, o: Options) -> pl.DataFrame:
    frame = metrics.funnel(store, by=o.by, filters=o.filters, as_of=o.as_of)
    return frame.select(_with_by(["stage", "leads", "rate", "ci_low", "ci_high"], o.by))


def flow(store: Store, o: Options) -> pl.DataFrame:
    return metrics.flow(store, grain=o.grain, filters=o.filters, as_of=o.as_of).drop("stage_order")


def cycle(store: Store, o: Options) -> pl.DataFrame:
    return metrics.cycle(store, filters=o.filters, as_of=o.as_of)


def quality(store: Store, o: Options) -> pl.DataFrame:
    frame = handoff.quality(store, by=o.by, filters=o.filters, as_of=o.as_of)
    return frame.select(_with_by(["handed_off", "accepted", "rejected", "acceptance_rate"], o.by))


def reasons(store: Store, o: Options) -> pl.DataFrame:
    return handoff.rejection_reasons(store, by=o.by or "source", filters=o.filters, as_of=o.as_of)


def sla(store: Store, o: Options) -> pl.DataFrame:
    by = o.by or "owner_id"
    frame = handoff.sla(store, by=by, measure=o.measure, filters=o.filters, as_of=o.as_of,
                        follow_up_hours=o.hours)
    unit = "days" if o.measure == "recycle" else "hours"
    return frame.select(by, "met", "breached", "not_due", f"median_response_{unit}", "compliance")


def breaches(store: Store, o: Options) -> pl.DataFrame:
    return handoff.breaches(store, filters=o.filters, as_of=o.as_of)


def recycling(store: Store, o: Options) -> pl.DataFrame:
    return handoff.recycling(store, by=o.by or "source", filters=o.filters, as_of=o.as_of)


def threshold(store: Store, o: Options) -> pl.DataFrame:
    frame = handoff.threshold(store, filters=o.filters, as_of=o.as_of)
    return frame.select("threshold", "handed_off", "qualified", "precision", "recall", "f1", "is_suggested")


def stalled_by_owner(store: Store, o: Options) -> pl.DataFrame:
    return handoff.stalled_by_owner(store, filters=o.filters, as_of=o.as_of)


REPORTS: dict[str, Callable[[Store, Options], pl.DataFrame]] = {
    "conversion": conversion,
    "velocity": velocity,
    "stalled": stalled,
    "funnel": funnel,
    "flow": flow,
    "cycle": cycle,
    "quality": quality,
    "reasons": reasons,
    "sla": sla,
    "breaches": breaches,
    "recycling": recycling,
    "threshold": threshold,
    "stalled_by_owner": stalled_by_owner,
}


def winloss(store: Store, o: Options) -> pl.DataFrame:
    from analytics.engine.winloss import winloss as table

    frame = table(store, by=o.by, filters=o.filters, as_of=o.as_of)
    return frame.select(_with_by(["closed", "won", "win_rate", "ci_low", "ci_high", "lift", "p_value", "q_value"],
                                 o.by))


REPORTS["winloss"] = winloss


def per_currency(report: Callable[[Store, Options], pl.DataFrame]) -> Callable[[Store, Options], pl.DataFrame]:
    """A money report: one block of rows per currency (`currency` last), never two currencies added.
    With every amount converted (or `--currency` given) that is one block."""
    def each(store: Store, o: Options) -> pl.DataFrame:
        wanted = [store.money_currency(o.currency)] if o.currency else store.currencies()
        return pl.concat([report(store, replace(o, currency=c)).drop("currency", strict=False)
                          .with_columns(pl.lit(c).alias("currency")) for c in wanted], how="vertical_relaxed")
    return each


@per_currency
def attribution(store: Store, o: Options) -> pl.DataFrame:
    from analytics.engine.revenue import attribution as credit

    by = o.by or "channel"
    grain = "account" if o.grain == "account" else "lead"
    return credit(store, o.model, o.basis, by, o.filters, o.as_of, grain).select(by, "credit")


@per_currency
def sourcing(store: Store, o: Options) -> pl.DataFrame:
    from analytics.engine.revenue import sourcing as split

    return split(store, o.filters, o.as_of)


@per_currency
def roi(store: Store, o: Options) -> pl.DataFrame:
    from analytics.engine.revenue import campaign_roi

    return campaign_roi(store, o.model, o.filters, o.as_of)


def targets(store: Store, o: Options) -> pl.DataFrame:
    from analytics.engine.revenue import targets as actual_vs_target

    return actual_vs_target(store, o.as_of)


@per_currency
def sales_velocity(store: Store, o: Options) -> pl.DataFrame:
    from analytics.engine.revenue import sales_velocity as levers

    return levers(store, o.as_of, o.currency)


REPORTS.update(attribution=attribution, sourcing=sourcing, roi=roi, targets=targets, sales_velocity=sales_velocity)


PORTFOLIO = ["unit", "bookings", "growth", "relative_share", "quadrant", "uncertain", "strategy", "growth_ci_low",
             "growth_ci_high", "share_ci_low", "share_ci_high", "basis", "competitor", "head_to_head",
             "head_to_head_won", "win_rate", "won_deals", "prior_bookings", "prior_growth", "prior_relative_share",
             "prior_quadrant", "period"]


def _units(o: Options) -> tuple[str, ...] | None:
    """--by product,region: the business unit's columns (default: [strategy] unit)."""
    return tuple(c.strip() for c in o.by.split(",") if c.strip()) if o.by else None


@per_currency
def portfolio(store: Store, o: Options) -> pl.DataFrame:
    from analytics.engine.strategy import portfolio as matrix

    return matrix(store, o.period, o.relative, _units(o), o.filters, o.as_of).select(PORTFOLIO)


@per_currency
def growth_paths(store: Store, o: Options) -> pl.DataFrame:
    from analytics.engine.strategy import growth_paths as paths

    return paths(store, o.period, _units(o), o.filters, o.as_of)


REPORTS.update(portfolio=portfolio, growth_paths=growth_paths)


@per_currency
def pipeline_movement(store: Store, o: Options) -> pl.DataFrame:
    from analytics.engine.pipeline import pipeline_movement as waterfall

    return waterfall(store, o.grain, o.filters, o.as_of).select(
        "period_start", "movement", "deals", "amount", "net_amount")


REPORTS.update(pipeline_movement=pipeline_movement)

FORECAST_COLUMNS = ["period", "period_start", "period_end", "won_so_far", "open_deals", "expected_from_open",
                    "expected_from_new", "forecast", "low", "high", "naive", "rep_expected", "target"]
BACKTEST_COLUMNS = ["period", "period_start", "forecast", "low", "high", "naive", "actual", "error", "naive_error",
                    "abs_pct_error", "naive_abs_pct_error", "is_within_interval", "is_learned"]


@per_currency
def forecast(store: Store, o: Options) -> pl.DataFrame:
    from analytics.engine.forecast import forecast as bookings

    return bookings(store, o.as_of, o.currency).select(FORECAST_COLUMNS)


@per_currency
def forecast_backtest(store: Store, o: Options) -> pl.DataFrame:
    from analytics.engine.forecast import backtest

    frame = backtest(store, o.as_of, o.currency)
    if frame.is_empty():
        return pl.DataFrame(schema={c: pl.String for c in BACKTEST_COLUMNS})
    return frame.select(BACKTEST_COLUMNS)


REPORTS.update(forecast=forecast, forecast_backtest=forecast_backtest)
