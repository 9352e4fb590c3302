"""Closed-loop revenue (docs/metrics.md "Revenue contribution", "Targets", "Sales velocity"): sourced vs
influenced revenue, the six attribution models reconciled to bookings, campaign ROI, targets and
the four levers of sales velocity."""
from __future__ import annotations

import math
from datetime import datetime

import polars as pl

from analytics.core.filters import Filters
from analytics.engine import datadriven
from analytics.engine.base import NO_FILTERS, MetricError, as_of_of, query_params
from analytics.engine.winloss import deals
from analytics.store.db import Store
from analytics.store.sql import UnknownColumn, dimensions, run

MODELS = ("first_touch", "last_touch", "linear", "u_shaped", "w_shaped", "time_decay")
DATA_DRIVEN = ("markov", "shapley")  # analytics/engine/datadriven.py
ALL_MODELS = (*MODELS, *DATA_DRIVEN)
BASES = ("won", "pipeline")
CONTENT_DIMENSIONS = ("content_type", "funnel_stage")



def attribution_dimensions(store: Store) -> list[str]:
    return [*(c for c in dimensions(store.con, "touches") if c not in ("touch_id",)), *CONTENT_DIMENSIONS]


def attribution(store: Store, model: str = "linear", basis: str = "won", by: str = "channel",
                filters: Filters = NO_FILTERS, as_of: datetime | None = None, grain: str = "lead") -> pl.DataFrame:
    """BY, credit, opportunities: the amount of each opportunity in the basis shared by the model
    (a data-driven one, or any model at the account grain: datadriven.credit)."""
    if model not in ALL_MODELS:
        raise MetricError(f"model must be one of {', '.join(ALL_MODELS)}")
    if basis not in BASES:
        raise MetricError(f"basis must be one of {', '.join(BASES)}")
    allowed = attribution_dimensions(store)
    if by not in allowed:
        raise UnknownColumn(f"--by {by!r} is not a touch dimension; choose one of: {', '.join(allowed)}")
    if model in DATA_DRIVEN or grain != "lead":
        return datadriven.credit(store, model, basis, by, filters, as_of, grain)
    frame = run(store.con, "marts/attribution",
                query_params(store, filters, as_of, model=model, basis=basis),
                by=by, by_table="ct" if by in CONTENT_DIMENSIONS else "tc")
    return frame.rename({"by_value": by})


def booked(store: Store, basis: str = "won", filters: Filters = NO_FILTERS, as_of: datetime | None = None) -> float:
    """The amount the models must add up to, counted straight from the opportunities."""
    frame = deals(store, filters, as_of)
    if basis == "won":
        frame = frame.filter(pl.col("status") == "won")
        date_col = "closed_at"
    else:
        date_col = "created_at"
    if filters.start:
        frame = frame.filter(pl.col(date_col).dt.date() >= filters.start)
    if filters.end:
        frame = frame.filter(pl.col(date_col).dt.date() <= filters.end)
    return float(frame.filter(in_currency(store, filters))["amount"].sum())


def in_currency(store: Store, filters: Filters) -> pl.Expr:
    """Deals whose amount is in the currency money figures are shown in (never two added)."""
    return pl.col("amount_currency") == store.money_currency(filters.currency)


def attribution_models(store: Store, basis: str = "won", by: str = "channel", filters: Filters = NO_FILTERS,
                       as_of: datetime | None = None, models: tuple[str, ...] = MODELS,
                       order: int = 1) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The models side by side (BY, one column per model, spread = max - min) and the tie-out:
    model, credited, booked, difference — every difference must be zero. `order`: the Markov model's."""
    wide = None
    counted = datadriven.paths(store, basis, by, filters, as_of) if set(models) & set(DATA_DRIVEN) else None
    for model in models:
        if model in DATA_DRIVEN:  # one query of the paths for both
            frame = datadriven.evaluate(counted, model, by, order).frame
        else:
            frame = attribution(store, model, basis, by, filters, as_of)
        frame = frame.select(by, pl.col("credit").alias(model))
        wide = frame if wide is None else wide.join(frame, on=by, how="full", coalesce=True)
    models = list(models)
    wide = wide.with_columns(pl.col(m).fill_null(0.0) for m in models).with_columns(
        (pl.max_horizontal(models) - pl.min_horizontal(models)).alias("spread")).sort(by)
    total = booked(store, basis, filters, as_of)
    tie_out = pl.DataFrame({
        "model": models,
        "credited": [float(wide[m].sum()) for m in models],
        "booked": [total] * len(models),
    }).with_columns(((pl.col("credited") - pl.col("booked")).round(6) + 0.0).alias("difference"))  # no "-0"
    return wide, tie_out


SOURCING = ("marketing_sourced", "sales_sourced", "marketing_influenced")


def sourcing_counts(category: str, filters: Filters) -> tuple[pl.Expr, pl.Expr, pl.Expr]:
    """The rule of a sourcing row, on deals(): (in the category, won in the period, created in it)."""
    if category not in SOURCING:
        raise MetricError(f"category must be one of {', '.join(SOURCING)}")

    def in_period(column: str) -> pl.Expr:
        day = pl.col(column).dt.date()
        inside = pl.col(column).is_not_null()
        if filters.start:
            inside &= day >= filters.start
        if filters.end:
            inside &= day <= filters.end
        return inside

    member = {"marketing_sourced": pl.col("is_marketing_sourced"), "sales_sourced": ~pl.col("is_marketing_sourced"),
              "marketing_influenced": pl.col("is_marketing_influenced")}[category]
    return member, (pl.col("status") == "won") & in_period("closed_at"), in_period("created_at")


# what sourcing() reads of deals(): the category flags, the dates, the outcome and the amount with its currency
SOURCING_COLUMNS = ["is_marketing_sourced", "is_marketing_influenced", "status", "closed_at", "created_at", "amount",
                    "amount_currency"]


def sourcing_deals(store: Store, filters: Filters = NO_FILTERS, as_of: datetime | None = None,
                   columns: list[str] | None = None) -> pl.DataFrame:
    """The deals the sourcing table counts: deals() in the currency shown (only `columns` of them, which
    hold SOURCING_COLUMNS, when given)."""
    return deals(store, filters, as_of, columns=columns).filter(in_currency(store, filters))


def sourcing(store: Store, filters: Filters = NO_FILTERS, as_of: datetime | None = None) -> pl.DataFrame:
    """category (marketing_sourced, sales_sourced, marketing_influenced), won_deals, won_amount,
    opportunities, pipeline_amount, currency: the deals whose amount is in the currency shown (all of
    them when every amount converts). Sourced splits the total; influenced overlaps both."""
    frame = sourcing_deals(store, filters, as_of, columns=SOURCING_COLUMNS)
    rows = []
    for name in SOURCING:
        member, won, created = sourcing_counts(name, filters)
        rows.append(frame.filter(member).select(
            pl.lit(name).alias("category"),
            won.sum().cast(pl.Int64).alias("won_deals"),
            pl.col("amount").filter(won).sum().alias("won_amount"),
            created.sum().cast(pl.Int64).alias("opportunities"),
            pl.col("amount").filter(created).sum().alias("pipeline_amount"),
            pl.lit(store.money_currency(filters.currency)).alias("currency"),
        ))
    table = pl.concat(rows)
    totals = table.filter(pl.col("category") != "marketing_influenced").select(
        pl.col("won_amount").sum(), pl.col("pipeline_amount").sum()).row(0)
    return table.with_columns(
        (pl.col("won_amount") / totals[0] if totals[0] else pl.lit(None, pl.Float64)).alias("won_share"),
        (pl.col("pipeline_amount") / totals[1] if totals[1] else pl.lit(None, pl.Float64)).alias("pipeline_share"),
    )


def campaign_roi(store: Store, model: str = "linear", filters: Filters = NO_FILTERS,
                 as_of: datetime | None = None) -> pl.DataFrame:
    """Per campaign over its whole life (cost, the funnel of the leads whose original campaign it is,
    and the won revenue the model attributes to its touches, so all three cover the same leads):
    cost per mql/sql/opportunity/won deal, ROI = attributed ÷ cost (null when cost is 0) and a
    maturity status. A period keeps the campaigns that ran in it."""
    cfg = store.cfg
    lifetime = filters.over()
    base = run(store.con, "marts/campaigns", query_params(
        store, lifetime, as_of, handoff_stage=cfg.handoff_stage, qualified_stage=cfg.qualified_stage,
        opportunity_stage=cfg.opportunity_stage))
    if filters.start or filters.end:
        ran = pl.lit(True)
        if filters.end:
            ran &= pl.col("start_date").is_null() | (pl.col("start_date") <= filters.end)
        if filters.start:
            ran &= pl.col("end_date").is_null() | (pl.col("end_date") >= filters.start)
        base = base.filter(ran)
    credit = attribution(store, model, "won", "campaign_id", lifetime, as_of)
    frame = base.join(credit.select(pl.col("campaign_id"), pl.col("credit").alias("attributed_won_amount")),
                      on="campaign_id", how="left").with_columns(pl.col("attributed_won_amount").fill_null(0.0))
    # a cost in a currency without a rate to the revenue's currency has no ratio to it
    positive_cost = ((pl.col("cost").fill_null(0) > 0)
                     & (pl.col("cost_currency") == store.money_currency(filters.currency)))

    def per(column: str) -> pl.Expr:
        return pl.when(positive_cost & (pl.col(column) > 0)).then(pl.col("cost") / pl.col(column))

    return frame.with_columns(
        per("mqls").alias("cost_per_mql"),
        per("sqls").alias("cost_per_sql"),
        per("opportunities").alias("cost_per_opportunity"),
        per("won_deals").alias("cost_per_won"),
        pl.when(positive_cost).then(pl.col("attributed_won_amount") / pl.col("cost")).alias("roi"),
        pl.when(pl.col("campaign_id") == "(none)").then(pl.lit("no campaign"))
        .when(pl.col("attributed_won_amount") > 0).then(pl.lit("producing revenue"))
        .when(pl.col("open_pipeline_amount") > 0).then(pl.lit("immature: pipeline, no revenue yet"))
        .otherwise(pl.lit("no pipeline")).alias("status"),
        pl.lit(store.money_currency(filters.currency)).alias("currency"),
    ).sort("attributed_won_amount", descending=True)


STAGE_METRICS = ("leads", "mqls", "sals", "sqls", "opportunities")


def target_stage_params(store: Store) -> dict:
    """The stage each stage metric of a target counts (queries/macros/targets.sql)."""
    cfg = store.cfg
    stages = (cfg.main_stages[0], cfg.handoff_stage, cfg.accepted_stage, cfg.qualified_stage, cfg.opportunity_stage)
    return {"stage_metrics": list(STAGE_METRICS), "stage_names": list(stages)}


def targets(store: Store, as_of: datetime | None = None) -> pl.DataFrame:
    """period_start, period_end, metric, team, segment, target, actual, attainment, pacing."""
    frame = run(store.con, "marts/target_actuals", {"as_of": as_of_of(store, as_of), **target_stage_params(store)})
    return frame.with_columns(
        pl.when(pl.col("target") > 0).then(pl.col("actual") / pl.col("target")).alias("attainment"),
        pl.when((pl.col("target") > 0) & (pl.col("elapsed_share") > 0))
        .then(pl.col("actual") / (pl.col("target") * pl.col("elapsed_share"))).alias("pacing"),
    )


def pipeline_coverage(store: Store, as_of: datetime | None = None) -> dict:
    """Open pipeline ÷ the won_amount target still to win in the period that contains as_of."""
    as_of = as_of_of(store, as_of)
    # the targets are in the corporate currency, so is the pipeline that covers them
    open_now = run(store.con, "marts/open_pipeline",
                   {"as_of": as_of, "currency": store.cfg.currency}).row(0, named=True)
    current = targets(store, as_of).filter(
        (pl.col("metric") == "won_amount") & pl.col("team").is_null()
        & (pl.col("period_start") <= as_of.date()) & (pl.col("period_end") >= as_of.date()))
    open_now["currency"] = store.cfg.currency
    if current.height == 0:
        return {**open_now, "remaining_target": None, "coverage": None}
    row = current.row(0, named=True)
    remaining = max(row["target"] - row["actual"], 0.0)
    return {**open_now, "period_start": row["period_start"], "period_end": row["period_end"],
            "remaining_target": remaining,
            "coverage": open_now["open_pipeline_amount"] / remaining if remaining else None}


LEVERS = ("open_opportunities", "win_rate", "avg_won_amount", "avg_cycle_days")


def sales_velocity(store: Store, as_of: datetime | None = None, currency: str | None = None) -> pl.DataFrame:
    """Per month: the four levers, velocity per day, and each lever's share of the log change
    since the previous month (cycle days count inversely); shares add up to 1. Amounts (and so
    velocity) are those in `currency` (default: the data's default currency)."""
    frame = run(store.con, "marts/velocity_months", {"as_of": as_of_of(store, as_of),
                                                      "currency": store.money_currency(currency)})
    frame = frame.with_columns(
        pl.when(pl.col("closed_deals") > 0).then(pl.col("won_deals") / pl.col("closed_deals")).alias("win_rate"),
    ).with_columns(
        (pl.col("open_opportunities") * pl.col("win_rate") * pl.col("avg_won_amount")
         / pl.col("avg_cycle_days")).alias("velocity_per_day"),
    )
    # log(V) = log(open) + log(win rate) + log(avg won) - log(cycle): the month-on-month change of
    # log(V) is the sum of the levers' log changes ("effects"); a share is effect / total change.
    effects = {lever: (pl.col(lever).log() - pl.col(lever).shift(1).log()) * (-1 if lever == "avg_cycle_days" else 1)
               for lever in LEVERS}
    total = pl.col("velocity_per_day").log() - pl.col("velocity_per_day").shift(1).log()
    frame = frame.with_columns(expr.alias(f"{lever}_effect") for lever, expr in effects.items())
    return frame.with_columns(
        total.alias("log_change"),
        *(pl.when(total.is_finite() & (total != 0)).then(pl.col(f"{lever}_effect") / total).alias(f"{lever}_share")
          for lever in LEVERS),
    )


def biggest_lever(row: dict) -> str | None:
    """The lever whose log change moved velocity most, either way, in one month's row."""
    effects = {lever: row.get(f"{lever}_effect") for lever in LEVERS}
    effects = {k: v for k, v in effects.items() if v is not None and math.isfinite(v)}
    return max(effects, key=lambda k: abs(effects[k])) if effects else None
