"""Why deals are won and lost (docs/metrics.md "Win/loss"): win rate per value of every factor with a
Wilson interval, lift, Fisher's exact test against all other values and Benjamini–Hochberg
q-values; reason Paretos; the ideal customer profile that falls out of it."""
from __future__ import annotations

from datetime import datetime

import polars as pl
from scipy.stats import false_discovery_control, fisher_exact

from analytics.core.filters import Filters
from analytics.core.stats import with_rate
from analytics.engine.base import NO_FILTERS, query_params
from analytics.store.db import Store
from analytics.store.sql import PERSON_COLUMNS, UnknownColumn, one_row_unsplit, run

# Columns that describe the outcome itself, not a factor of it.
OUTCOME = {"opportunity_id", "lead_id", "account_id", "status", "loss_reason", "win_reason", "content_types",
           "is_marketing_sourced", "is_marketing_influenced"} | PERSON_COLUMNS
JOURNEY = ("score_band", "touches_band", "follow_up_sla", "cycle_band")
TOUCHED = "touched "


def deals(store: Store, filters: Filters = NO_FILTERS, as_of: datetime | None = None,
          columns: list[str] | None = None) -> pl.DataFrame:
    """Every opportunity with its own, its lead's and its journey's columns (queries/marts/deals.sql);
    `columns`, if given, must be among deal_columns()."""
    return run(store.con, "marts/deals", query_params(
        store, filters, as_of, follow_up_hours=store.cfg.follow_up_hours), columns=columns)


def deal_columns(store: Store) -> dict[str, pl.DataType]:
    """The deals mart's columns and types (nothing is read: the query returns no rows at a past as-of)."""
    return deals(store, as_of=datetime(1, 1, 1)).schema


def closed_deals(store: Store, filters: Filters = NO_FILTERS, as_of: datetime | None = None,
                 factors_wanted: list[str] | None = None) -> pl.DataFrame:
    """Won and lost deals closed in the period; content types touched become yes/no factors.
    With `factors_wanted` (checked names) only those columns and the outcome are read."""
    columns = None
    if factors_wanted is not None:
        touched = any(f.startswith(TOUCHED) for f in factors_wanted)
        always = {"status", "closed_at", "amount", "amount_currency", "loss_reason", "win_reason"}
        columns = [c for c in deal_columns(store) if c in always
                   or c in factors_wanted or (touched and c == "content_types")]
    frame = deals(store, filters, as_of, columns).filter(pl.col("status").is_in(["won", "lost"]))
    if filters.start:
        frame = frame.filter(pl.col("closed_at").dt.date() >= filters.start)
    if filters.end:
        frame = frame.filter(pl.col("closed_at").dt.date() <= filters.end)
    if "content_types" not in frame.columns:
        return frame
    if factors_wanted is None:
        kinds = frame["content_types"].explode().drop_nulls().unique().sort().to_list()
    else:  # asked for by name: the column exists even when no deal of the period touched that type
        kinds = [f.removeprefix(TOUCHED) for f in factors_wanted if f.startswith(TOUCHED)]
    return frame.with_columns(
        pl.when(pl.col("content_types").list.contains(k).fill_null(False)).then(pl.lit("yes")).otherwise(pl.lit("no"))
        .alias(f"{TOUCHED}{k}") for k in kinds)


def factors(frame: pl.DataFrame) -> list[str]:
    """The allow-list of win/loss factors: every text column that is not the outcome itself."""
    return [c for c, t in frame.schema.items() if t == pl.String and c not in OUTCOME]


def factor_names(store: Store) -> list[str]:
    """factors() of the closed deals, known without reading them: the mart's text columns and a
    `touched <type>` for every content type any deal touched."""
    cur = store.con.cursor()
    try:
        kinds = [r[0] for r in cur.execute(
            "select distinct unnest(content_types) as k from deal_facts order by k").fetchall()]
    finally:
        cur.close()
    return [c for c, t in deal_columns(store).items() if t == pl.String and c not in OUTCOME] + \
        [f"{TOUCHED}{k}" for k in kinds]


def winloss(store: Store, by: str | None = None, filters: Filters = NO_FILTERS,
            as_of: datetime | None = None) -> pl.DataFrame:
    """BY, closed, won, win_rate, ci_low, ci_high, lift, p_value, q_value, is_low_volume."""
    if by is not None and by not in (known := factor_names(store)):
        raise UnknownColumn(f"--by {by!r} is not a win/loss factor; choose one of: {', '.join(known)}")
    frame = closed_deals(store, filters, as_of, factors_wanted=[by] if by else [])
    table = factor_table(frame, by, store.cfg.low_volume_n).drop("factor").rename({"value": "by_value"})
    return one_row_unsplit(table, by).rename({"by_value": by or "segment"})


def factor_table(frame: pl.DataFrame, by: str | None, low_volume_n: int = 30) -> pl.DataFrame:
    """factor, value, closed, won, win_rate (+ interval), lift, p_value, q_value for one factor."""
    won_all = int((frame["status"] == "won").sum())
    closed_all = frame.height
    key = pl.col(by).cast(pl.String).fill_null("(none)") if by else pl.lit("all")
    table = (
        frame.with_columns(key.alias("value"))
        .group_by("value")
        .agg(pl.len().alias("closed"), (pl.col("status") == "won").sum().cast(pl.Int64).alias("won"))
        .sort("value")
    )
    table = with_rate(table, "won", "closed", "win_rate", low_volume_n)
    overall = won_all / closed_all if closed_all else None
    p_values = [
        fisher_exact([[w, n - w], [won_all - w, closed_all - n - won_all + w]])[1] if by else None
        for w, n in zip(table["won"], table["closed"])
    ]
    table = table.with_columns(
        pl.lit(by or "all").alias("factor"),
        (pl.col("win_rate") / overall if overall else pl.lit(None, pl.Float64)).alias("lift"),
        pl.Series("p_value", p_values, dtype=pl.Float64),
    )
    return with_q_values(table)


def with_q_values(table: pl.DataFrame) -> pl.DataFrame:
    """Benjamini–Hochberg adjustment across every p-value in the table."""
    p = table["p_value"]
    if p.null_count() == len(p):
        return table.with_columns(pl.lit(None, pl.Float64).alias("q_value"))
    q = false_discovery_control(p.fill_null(1.0).to_numpy(), method="bh")
    return table.with_columns(pl.Series("q_value", q).alias("q_value"))


def all_factors(store: Store, filters: Filters = NO_FILTERS, as_of: datetime | None = None) -> pl.DataFrame:
    """Every value of every factor, q-values adjusted across all of them, significant first."""
    frame = closed_deals(store, filters, as_of)
    if frame.height == 0:
        return pl.DataFrame()
    tables = [factor_table(frame, f, store.cfg.low_volume_n).drop("q_value") for f in factors(frame)
              if frame[f].n_unique() > 1]
    if not tables:
        return pl.DataFrame()
    table = with_q_values(pl.concat(tables, how="diagonal_relaxed"))
    return table.select("factor", "value", "closed", "won", "win_rate", "ci_low", "ci_high", "lift",
                        "p_value", "q_value", "is_low_volume").sort(["q_value", "factor", "value"])


def reasons(store: Store, outcome: str = "lost", filters: Filters = NO_FILTERS,
            as_of: datetime | None = None) -> pl.DataFrame:
    """Pareto of loss (or win) reasons: reason, deals, share, cumulative_share."""
    column = "loss_reason" if outcome == "lost" else "win_reason"
    frame = closed_deals(store, filters, as_of, factors_wanted=[]).filter(pl.col("status") == outcome)
    return (
        frame.group_by(pl.col(column).fill_null("(no reason given)").alias("reason"))
        .agg(pl.len().alias("deals"),
             pl.col("amount").filter(pl.col("amount_currency") == store.money_currency(filters.currency))
             .sum().alias("amount"))
        .sort(["deals", "reason"], descending=[True, False])
        .with_columns((pl.col("deals") / pl.col("deals").sum()).alias("share"))
        .with_columns(pl.col("share").cum_sum().alias("cumulative_share"))
    )


def loss_reasons_by(store: Store, by: str = "source", filters: Filters = NO_FILTERS,
                    as_of: datetime | None = None) -> pl.DataFrame:
    """BY, reason, deals, share of that BY value's losses."""
    if by not in factor_names(store):
        raise UnknownColumn(f"{by!r} is not a win/loss factor")
    frame = closed_deals(store, filters, as_of, factors_wanted=[by]).filter(pl.col("status") == "lost")
    return (
        frame.group_by(pl.col(by).fill_null("(none)"),
                       pl.col("loss_reason").fill_null("(no reason given)").alias("reason"))
        .agg(pl.len().alias("deals"))
        .with_columns((pl.col("deals") / pl.col("deals").sum().over(by)).alias("share"))
        .sort([by, "deals"], descending=[False, True])
    )


def ideal_customer_profile(store: Store, dimensions: tuple[str, ...] = ("industry", "company_size", "region"),
                           filters: Filters = NO_FILTERS, as_of: datetime | None = None,
                           top: int = 10) -> pl.DataFrame:
    """Segments (pairs of the dimensions) with enough closed deals, best win rate first: segment (in
    codes), first_factor, first_value, second_factor, second_value (the pair, for names and the deals
    behind a row), closed, won, avg_won_amount, win_rate and its interval."""
    frame = closed_deals(store, filters, as_of)
    dims = [d for d in dimensions if d in frame.columns]
    currency = store.money_currency(filters.currency)
    n_min = store.cfg.low_volume_n
    parts = []
    for i, a in enumerate(dims):
        for b in dims[i + 1:]:
            seg = (
                frame.group_by(pl.col(a).fill_null("(none)"), pl.col(b).fill_null("(none)"))
                .agg(pl.len().alias("closed"), (pl.col("status") == "won").sum().cast(pl.Int64).alias("won"),
                     pl.col("amount").filter((pl.col("status") == "won") & (pl.col("amount_currency") == currency))
                     .mean().alias("avg_won_amount"))
                .filter(pl.col("closed") >= n_min)
                .select(pl.format("{} = {} · {} = {}", pl.lit(a), pl.col(a), pl.lit(b), pl.col(b)).alias("segment"),
                        pl.lit(a).alias("first_factor"), pl.col(a).cast(pl.String).alias("first_value"),
                        pl.lit(b).alias("second_factor"), pl.col(b).cast(pl.String).alias("second_value"),
                        "closed", "won", "avg_won_amount")
            )
            parts.append(seg)
    if not parts:
        return pl.DataFrame(schema={"segment": pl.String, "first_factor": pl.String, "first_value": pl.String,
                                    "second_factor": pl.String, "second_value": pl.String, "closed": pl.Int64,
                                    "won": pl.Int64})
    table = with_rate(pl.concat(parts), "won", "closed", "win_rate", n_min)
    return table.sort(["ci_low", "closed"], descending=True).head(top)
