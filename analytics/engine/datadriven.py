"""Data-driven attribution (docs/metrics.md "Data-driven attribution"): the Markov-chain removal-effect
and Shapley models of analytics/engine/pathmodels.py on the touch paths of
queries/marts/attribution_paths.sql, with seeded bootstrap intervals and the warnings a reader needs;
and the account-based view (accounts engaged → opportunity → won, the buying committee)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import polars as pl

from analytics.core.filters import Filters
from analytics.engine import pathmodels
from analytics.engine.base import NO_FILTERS, MetricError, query_params
from analytics.store.db import Store
from analytics.store.sql import UnknownColumn, run

DATA_DRIVEN = ("markov", "shapley")
GRAINS = ("lead", "account")
ORDERS = (1, 2, 3)
MIN_NON_CONVERTING = 30  # fewer non-converting paths than this: the models cannot tell what fails
BOOTSTRAP_DRAWS = 100


def paths(store: Store, basis: str = "won", by: str = "channel", filters: Filters = NO_FILTERS,
          as_of: datetime | None = None, grain: str = "lead") -> pathmodels.Paths:
    """The distinct touch paths ({by} values in order) of the basis's deals and of the leads (accounts)
    that did not convert, with counts and amounts."""
    from analytics.engine.revenue import CONTENT_DIMENSIONS, attribution_dimensions  # the rule models' allow-list

    if grain not in GRAINS:
        raise MetricError(f"grain must be one of {', '.join(GRAINS)}")
    if by not in attribution_dimensions(store):
        raise UnknownColumn(f"--by {by!r} is not a touch dimension")
    frame = run(store.con, "marts/attribution_paths", query_params(store, filters, as_of, basis=basis, grain=grain),
                by=by, by_table="ct" if by in CONTENT_DIMENSIONS else "tc")
    return pathmodels.Paths.of(frame.select("steps", "is_converting", "paths", "amount").rows())


@dataclass(frozen=True)
class Attribution:
    """BY, credit, conversions, opportunities, sampling_error, credit_low, credit_high (bootstrap),
    is_noise (credit within the bootstrap's noise of zero), and what the reader must be warned of."""
    frame: pl.DataFrame
    converting: int
    non_converting: int
    warnings: tuple[str, ...]


def data_driven(store: Store, model: str = "markov", basis: str = "won", by: str = "channel",
                filters: Filters = NO_FILTERS, as_of: datetime | None = None, grain: str = "lead",
                order: int = 1, draws: int = 0, seed: int = 0) -> Attribution:
    """The chosen data-driven model's credit per value of BY; `draws` > 0 adds bootstrap intervals."""
    allowed = (*DATA_DRIVEN, *pathmodels.RULES)
    if model not in allowed or (grain == "lead" and model not in DATA_DRIVEN):
        raise MetricError(f"at the {grain} grain the model must be one of "
                          f"{', '.join(allowed if grain == 'account' else DATA_DRIVEN)}")
    if order not in ORDERS:
        raise MetricError(f"order must be one of {', '.join(map(str, ORDERS))}")
    return evaluate(paths(store, basis, by, filters, as_of, grain), model, by, order, draws, seed)


def evaluate(counted: pathmodels.Paths, model: str, by: str, order: int = 1, draws: int = 0,
             seed: int = 0) -> Attribution:
    """A model on paths already counted (several models on one query: revenue.attribution_models)."""
    credits = pathmodels.credits_of(model, counted, order, seed)
    intervals = pathmodels.bootstrap(model, counted, draws, order, seed) if draws else {}
    values = sorted(credits.amount)
    frame = pl.DataFrame({
        by: values,
        "credit": [credits.amount[v] for v in values],
        "conversions": [credits.conversions[v] for v in values],
        "opportunities": [int(round(credits.paths.get(v, 0.0))) for v in values],
        "sampling_error": [credits.sampling_var.get(v, 0.0) ** 0.5 for v in values],
        "credit_low": [intervals[v][0] if v in intervals else None for v in values],
        "credit_high": [intervals[v][1] if v in intervals else None for v in values],
    }, schema_overrides={by: pl.String, "credit": pl.Float64, "conversions": pl.Float64, "sampling_error": pl.Float64,
                         "credit_low": pl.Float64, "credit_high": pl.Float64, "opportunities": pl.Int64})
    frame = frame.with_columns(
        (pl.col("credit_low").is_not_null() & (pl.col("credit_low") <= 0) & (pl.col("credit_high") >= 0)
         & (pl.col(by) != pathmodels.NO_TOUCH))
        .alias("is_noise"))
    warnings = []
    non_converting = int(round(counted.non_converting))
    if credits.amount and non_converting < MIN_NON_CONVERTING:
        warnings.append("few_non_converting")
    if frame["is_noise"].any():
        warnings.append("noise")
    converting = int(round(counted.count[counted.converting].sum()))
    return Attribution(frame, converting, non_converting, tuple(warnings))


def credit(store: Store, model: str, basis: str, by: str, filters: Filters = NO_FILTERS,
           as_of: datetime | None = None, grain: str = "lead") -> pl.DataFrame:
    """BY, credit, opportunities: the same columns as a rule model's attribution (revenue.attribution)."""
    return data_driven(store, model, basis, by, filters, as_of, grain).frame.select(by, "credit", "opportunities")


def account_funnel(store: Store, filters: Filters = NO_FILTERS, as_of: datetime | None = None) -> dict:
    """Accounts engaged (a lead of theirs had a touch) → with an opportunity → won, and the share of won
    revenue whose account had touches from more than one person before the deal was created."""
    row = run(store.con, "marts/account_funnel", query_params(store, filters, as_of)).row(0, named=True)
    won = row["won_amount"] or 0.0
    return {**row, "committee_share": (row["committee_won_amount"] or 0.0) / won if won else None}
