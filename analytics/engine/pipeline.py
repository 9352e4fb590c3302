"""Pipeline movement (docs/metrics.md "Pipeline movement"): what moved the quarter's open pipeline in each
week or month, deal by deal, tied out exactly from the opening to the closing pipeline."""
from __future__ import annotations

from datetime import date, datetime, timedelta

import polars as pl

from analytics.core.filters import Filters
from analytics.engine.base import NO_FILTERS, MetricError, as_of_of, query_params
from analytics.store.db import Store
from analytics.store.sql import run

GRAINS = ("week", "month")
MOVEMENTS = ("opening", "created", "advanced", "moved_back", "pushed_out", "pulled_in", "amount_change",
             "won", "lost", "closing")
DEFAULT_PERIODS = {"week": 12, "month": 6}  # how far back a report reaches without --from


def _window(store: Store, grain: str, filters: Filters, as_of: datetime | None) -> tuple[date, date]:
    if grain not in GRAINS:
        raise MetricError(f"grain must be one of {', '.join(GRAINS)}")
    as_of = as_of_of(store, as_of)
    end = filters.end or as_of.date()
    if filters.start:
        return filters.start, end
    back = DEFAULT_PERIODS[grain] - 1
    if grain == "week":
        return end - timedelta(days=7 * back), end
    index = end.year * 12 + end.month - 1 - back
    return date(index // 12, index % 12 + 1, 1), end


def movement_deals(store: Store, grain: str = "week", filters: Filters = NO_FILTERS,
                   as_of: datetime | None = None) -> pl.DataFrame:
    """One row per period, deal and movement (opening and closing included): period_start, movement,
    opportunity_id, lead_id, account_id, owner_id, net_deals, amount, net_amount, stage_from, stage_to,
    amount_from, amount_to, close_from, close_to, currency."""
    start, end = _window(store, grain, filters, as_of)
    frame = run(store.con, "marts/pipeline_movement",
                query_params(store, filters.over(start, end), as_of, grain=grain))
    return frame.drop("movement_order").with_columns(pl.lit(store.money_currency(filters.currency)).alias("currency"))


def pipeline_movement(store: Store, grain: str = "week", filters: Filters = NO_FILTERS,
                      as_of: datetime | None = None) -> pl.DataFrame:
    """The waterfall: period_start, movement (MOVEMENTS, every one in every period), deals, amount,
    net_amount, currency. opening + Σ net_amount of the movements = closing, per period. Summed in the
    database (marts/pipeline_waterfall): the deals behind it are movement_deals()."""
    start, end = _window(store, grain, filters, as_of)
    sums = run(store.con, "marts/pipeline_waterfall", query_params(store, filters.over(start, end), as_of, grain=grain))
    periods = _periods(start, min(end, as_of_of(store, as_of).date()), grain)
    grid = pl.DataFrame({"period_start": periods}, schema={"period_start": pl.Date}).join(
        pl.DataFrame({"movement": list(MOVEMENTS), "movement_order": list(range(len(MOVEMENTS)))}), how="cross")
    return (grid.join(sums.with_columns(pl.col("deals").cast(pl.Int64)), on=["period_start", "movement"], how="left")
            .with_columns(pl.col("deals").fill_null(0), pl.col("amount").fill_null(0.0),
                          pl.col("net_amount").fill_null(0.0),
                          pl.lit(store.money_currency(filters.currency)).alias("currency"))
            .sort("period_start", "movement_order").drop("movement_order"))


def history_source(store: Store) -> dict:
    """Where deal history comes from: kind export (opportunity_history), snapshots (earlier imports kept in
    the side database: their number and the first one's as-of) or none."""
    cur = store.con.cursor()
    try:
        kind, snapshots, first = cur.execute("select kind, snapshots, first_at from history_source").fetchall()[0]
    finally:
        cur.close()
    return {"kind": kind, "snapshots": snapshots, "first_at": first}


def period_end(start: date, grain: str) -> date:
    """The last day of the week or month that starts on `start`."""
    if grain == "week":
        return start + timedelta(days=6)
    index = start.year * 12 + start.month  # the month after
    return date(index // 12, index % 12 + 1, 1) - timedelta(days=1)


def _periods(start: date, end: date, grain: str) -> list[date]:
    if grain == "week":
        first = start - timedelta(days=start.weekday())
        return [first + timedelta(days=7 * i) for i in range((end - first).days // 7 + 1)]
    first = start.replace(day=1)
    months = (end.year * 12 + end.month) - (first.year * 12 + first.month)
    return [date((first.year * 12 + first.month - 1 + i) // 12, (first.month - 1 + i) % 12 + 1, 1)
            for i in range(months + 1)]


def tie_out(waterfall: pl.DataFrame) -> pl.DataFrame:
    """Per period: opening, Σ net movements, closing and the differences (amount and count), all zero."""
    inner = ~pl.col("movement").is_in(["opening", "closing"])
    signed = pl.when(pl.col("movement").is_in(["pushed_out", "won", "lost"])).then(-pl.col("deals")) \
        .when(pl.col("movement").is_in(["created", "pulled_in"])).then(pl.col("deals")).otherwise(0)
    return waterfall.group_by("period_start", maintain_order=True).agg(
        pl.col("net_amount").filter(pl.col("movement") == "opening").sum().alias("opening_amount"),
        pl.col("net_amount").filter(inner).sum().alias("moved_amount"),
        pl.col("net_amount").filter(pl.col("movement") == "closing").sum().alias("closing_amount"),
        pl.col("deals").filter(pl.col("movement") == "opening").sum().alias("opening_deals"),
        signed.filter(inner).sum().alias("moved_deals"),
        pl.col("deals").filter(pl.col("movement") == "closing").sum().alias("closing_deals"),
    ).with_columns(
        (pl.col("opening_amount") + pl.col("moved_amount") - pl.col("closing_amount")).round(6).alias("amount_gap"),
        (pl.col("opening_deals") + pl.col("moved_deals") - pl.col("closing_deals")).alias("deals_gap"),
    )
