"""The strategy review (docs/metrics.md "Strategy"): business units on the growth–share matrix, with an
interval on both axes and the units whose quadrant the intervals leave open marked uncertain; and where
this period's bookings growth came from on the product–market growth grid (penetration, market
development, product development, diversification), summing exactly to the change in bookings.

The deals come from two marts over one scope (queries/macros/strategy.sql): marts/strategy_deals.sql (won
and lost deals with their unit and competitor: the matrix) and marts/strategy_paths.sql (won deals with
their market and growth path: the grid), so the matrix does not pay for the paths' look-back; the
arithmetic of the two axes is here."""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import polars as pl

from analytics.core.filters import Filters
from analytics.core.stats import Z95, wilson
from analytics.engine.base import NO_FILTERS, MetricError, as_of_of, query_params, require
from analytics.store.db import Store
from analytics.store.sql import PERSON_COLUMNS, UnknownColumn, dimensions, run

QUADRANTS = ("star", "cash_cow", "question_mark", "dog")
# the textbook strategies of each quadrant (a suggestion: the page and the CLI say so)
STRATEGY = {"star": "build_hold", "cash_cow": "hold_harvest", "question_mark": "build_divest",
            "dog": "harvest_divest"}
PATHS = ("penetration", "market_development", "product_development", "diversification")
BASES = ("bookings", "competitor")
WINDOWS = {"12m": 12, "6m": 6}  # trailing windows; a four-digit year is a calendar year
NOT_UNITS = {"status", "loss_reason", "win_reason", "amount_currency", "currency", "account_id",
             "lead_account_id", "lead_owner_id", "competitor"} | PERSON_COLUMNS


@dataclass(frozen=True)
class Window:
    """Closing dates from `start` to `end`, both days included."""
    start: date
    end: date

    def contains(self) -> pl.Expr:
        day = pl.col("closed_at").dt.date()
        return (day >= self.start) & (day <= self.end)


@dataclass(frozen=True)
class Periods:
    """The period judged, the one before it (growth) and the one before that (the trail)."""
    current: Window
    prior: Window
    trail: Window


def months_back(day: date, months: int) -> date:
    """The same day `months` months earlier (the month's last day when it has fewer days)."""
    total = day.year * 12 + day.month - 1 - months
    year, month = divmod(total, 12)
    month += 1
    for d in (day.day, 30, 29, 28):
        try:
            return date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def periods(period: str, as_of: datetime) -> Periods:
    """`12m`/`6m`: the trailing months to as-of and the same span before it (twice); `YYYY`: the
    calendar year, the year before and the one before that (the year of as-of: up to as-of's day in each)."""
    if period in WINDOWS:
        months, end = WINDOWS[period], as_of.date()
        edges = [months_back(end, k * months) for k in range(4)]  # each window counted back from as-of
        return Periods(*(Window(edges[k + 1] + timedelta(days=1), edges[k]) for k in range(3)))
    if len(period) == 4 and period.isdigit():
        year, today = int(period), as_of.date()
        if year == today.year:  # the year so far, against the same days of the years before
            return Periods(*(Window(date(year - k, 1, 1), months_back(today, 12 * k)) for k in range(3)))
        return Periods(*(Window(date(y, 1, 1), date(y, 12, 31)) for y in (year, year - 1, year - 2)))
    raise MetricError(f"period {period!r}: choose 12m, 6m or a year such as 2026")


def period_choices(store: Store) -> list[str]:
    """12m, 6m and the calendar years with a closed deal, newest first."""
    require(store, "opportunities")
    cur = store.con.cursor()
    try:
        years = [r[0] for r in cur.execute(
            "select distinct year(closed_at) as y from opportunities where closed_at is not null "
            "and status in ('won', 'lost') order by y desc").fetchall()]
    finally:
        cur.close()
    return [*WINDOWS, *(str(y) for y in years)]


def default_period(store: Store) -> str:
    """The longest trailing window whose prior period the data covers (12m, else 6m)."""
    first = store.first_lead_at.date() if store.first_lead_at else None
    as_of = as_of_of(store, None)
    for period in WINDOWS:
        if first is None or as_of is None or periods(period, as_of).prior.start >= first:
            return period
    return list(WINDOWS)[-1]


def unit_columns(store: Store) -> list[str]:
    """The allow-list of unit (and market segment) columns: the text columns of a deal and its lead."""
    return [c for c in dimensions(store.con, "deal_facts") if c not in NOT_UNITS and not c.startswith("is_")]


def checked_columns(store: Store, columns: tuple[str, ...] | list[str], market: bool = False) -> tuple[str, ...]:
    allowed = unit_columns(store) + (["account_id"] if market else [])
    for column in columns:
        if column not in allowed:
            what = "market" if market else "unit"
            raise UnknownColumn(f"{what} column {column!r} is not a text column of the deals or their leads; "
                                f"choose among: {', '.join(allowed)}")
    return tuple(columns)


def strategy_deals(store: Store, period: str, unit: tuple[str, ...] | None = None,
                   filters: Filters = NO_FILTERS, as_of: datetime | None = None,
                   columns: list[str] | None = None, paths: bool = False) -> pl.DataFrame:
    """The deals of the trail period onwards with `window` (current, prior, trail): every won or lost
    deal (marts/strategy_deals), or with `paths` the won deals with their market and growth path
    (marts/strategy_paths); only `columns` of the mart's (closed_at among them) when given."""
    require(store, "opportunities")
    cfg = store.cfg
    keys = {"unit": checked_columns(store, unit or cfg.unit_columns)}
    extra = {}
    if paths:
        keys["market"] = tuple("account_key" if c == "account_id" else c  # the deal's account, else its lead's
                               for c in checked_columns(store, (cfg.market_column,), market=True))
        extra["new_months"] = cfg.new_months
    judged = as_of_of(store, as_of)
    p = periods(period, judged)
    frame = run(store.con, "marts/strategy_paths" if paths else "marts/strategy_deals", query_params(
        store, filters, judged, from_at=datetime.combine(p.trail.start, datetime.min.time()), **extra),
        by_table="j", keys=keys, columns=columns)
    return frame.with_columns(
        pl.when(p.current.contains()).then(pl.lit("current"))
        .when(p.prior.contains()).then(pl.lit("prior"))
        .when(p.trail.contains()).then(pl.lit("trail")).alias("window")
    ).filter(pl.col("window").is_not_null())


def _totals(deals: pl.DataFrame, window: str) -> pl.DataFrame:
    """unit, bookings, deals and the sum of squared amounts (for the interval) of one window."""
    won = deals.filter((pl.col("window") == window) & pl.col("won_amount").is_not_null())
    return won.group_by("unit").agg(
        pl.col("won_amount").sum().cast(pl.Float64).alias("bookings"),
        pl.len().cast(pl.Int64).alias("won_deals"),
        (pl.col("won_amount").cast(pl.Float64) ** 2).sum().alias("squares"))


def ratio_interval(a: float, a2: float, b: float, b2: float) -> tuple[float | None, float | None]:
    """95% interval of a/b for two bookings totals, each a sum of deal amounts: deals arrive as a
    Poisson process, so var(total) ≈ Σ amount², and the log ratio's standard error is
    sqrt(Σa²/a² + Σb²/b²) (the delta method)."""
    if a <= 0 or b <= 0:
        return None, None
    se = math.sqrt(a2 / a ** 2 + b2 / b ** 2)
    return a / b * math.exp(-Z95 * se), a / b * math.exp(Z95 * se)


def _growth_side(row: dict, line: float) -> tuple[bool, bool]:
    """(high growth, uncertain) from growth and its interval; a unit new this period grows."""
    if row["prior_bookings"] <= 0:
        return True, False
    low, high = row["growth_ci_low"], row["growth_ci_high"]
    high_side = row["growth"] >= line
    uncertain = low is None or high is None or low < line < high
    return high_side, uncertain


def _position(table: pl.DataFrame, deals: pl.DataFrame, window: str, basis: str, share_line: float) -> list[dict]:
    """Per unit: relative_share with its interval, and (competitor basis) the strongest competitor
    and the head-to-head record."""
    rows = []
    books = {r["unit"]: r for r in table.iter_rows(named=True)}
    closed = deals.filter((pl.col("window") == window) & pl.col("competitor").is_not_null())
    for unit, r in books.items():
        out = {"unit": unit, "competitor": None, "head_to_head": None, "head_to_head_won": None,
               "win_rate": None, "win_rate_ci_low": None, "win_rate_ci_high": None}
        if basis == "bookings":
            others = [o for u, o in books.items() if u != unit and o["bookings"] > 0]
            if others and r["bookings"] > 0:
                top = max(others, key=lambda o: (o["bookings"], o["unit"]))
                out["relative_share"] = r["bookings"] / top["bookings"]
                out["share_ci_low"], out["share_ci_high"] = ratio_interval(
                    r["bookings"], r["squares"], top["bookings"], top["squares"])
            else:
                out["relative_share"] = out["share_ci_low"] = out["share_ci_high"] = None
        else:
            mine = closed.filter(pl.col("unit") == unit)
            record = (mine.group_by("competitor")
                      .agg((pl.col("status") == "lost").sum().alias("lost"), pl.len().alias("deals"))
                      .sort(["lost", "deals", "competitor"], descending=[True, True, False]))
            if record.is_empty():
                out["relative_share"] = out["share_ci_low"] = out["share_ci_high"] = None
            else:
                name, lost, n = record.row(0)
                won = n - lost
                low, high = wilson(won, n)
                out.update(competitor=name, head_to_head=n, head_to_head_won=won, win_rate=won / n,
                           win_rate_ci_low=low, win_rate_ci_high=high)
                out["relative_share"] = won / lost if lost else None  # unbeaten: beyond any line
                out["share_ci_low"] = low / (1 - low) if low < 1 else None
                out["share_ci_high"] = high / (1 - high) if high < 1 else None
        rows.append(out)
    return rows


def _share_side(row: dict, basis: str, line: float) -> tuple[bool | None, bool]:
    """(high share, uncertain); None when the unit has nothing to place it by."""
    if basis == "competitor":
        if row["win_rate"] is None:
            return None, True
        p_line = line / (1 + line)  # relative share won/lost = line  <=>  win rate = line / (1 + line)
        return row["win_rate"] >= p_line, row["win_rate_ci_low"] < p_line < row["win_rate_ci_high"]
    if row["relative_share"] is None:
        return None, True
    low, high = row["share_ci_low"], row["share_ci_high"]
    return row["relative_share"] >= line, low is None or high is None or low < line < high


def quadrant(high_share: bool | None, high_growth: bool) -> str | None:
    if high_share is None:
        return None
    return {(True, True): "star", (True, False): "cash_cow", (False, True): "question_mark",
            (False, False): "dog"}[(high_share, high_growth)]


def _matrix(deals: pl.DataFrame, now: str, before: str, basis: str, growth_line: float,
            share_line: float) -> pl.DataFrame:
    current, prior = _totals(deals, now), _totals(deals, before)
    units = pl.concat([current.select("unit"), prior.select("unit")]).unique()
    table = (units.join(current, on="unit", how="left").join(prior, on="unit", how="left", suffix="_prior")
             .fill_null(0).filter((pl.col("bookings") > 0) | (pl.col("bookings_prior") > 0)))
    position = {r["unit"]: r for r in _position(table, deals, now, basis, share_line)}
    rows = []
    for r in table.sort("unit").iter_rows(named=True):
        b, b2, p, p2 = r["bookings"], r["squares"], r["bookings_prior"], r["squares_prior"]
        growth = b / p - 1 if p > 0 else None
        low, high = ratio_interval(b, b2, p, p2)
        row = {"unit": r["unit"], "bookings": b, "won_deals": r["won_deals"], "prior_bookings": p,
               "prior_won_deals": r["won_deals_prior"], "growth": growth,
               "growth_ci_low": (low - 1) if low is not None else (-1.0 if p > 0 else None),
               "growth_ci_high": (high - 1) if high is not None else None,
               "is_new": p <= 0, **{k: v for k, v in position[r["unit"]].items() if k != "unit"}}
        high_growth, growth_unsure = _growth_side(row, growth_line)
        high_share, share_unsure = _share_side(row, basis, share_line)
        row.update(quadrant=quadrant(high_share, high_growth), uncertain=growth_unsure or share_unsure,
                   uncertain_growth=growth_unsure, uncertain_share=share_unsure)
        row["strategy"] = STRATEGY.get(row["quadrant"]) if row["quadrant"] else None
        rows.append(row)
    return pl.DataFrame(rows, schema=MATRIX_SCHEMA, orient="row") if rows else pl.DataFrame(schema=MATRIX_SCHEMA)


MATRIX_SCHEMA = {
    "unit": pl.String, "bookings": pl.Float64, "won_deals": pl.Int64, "prior_bookings": pl.Float64,
    "prior_won_deals": pl.Int64, "growth": pl.Float64, "growth_ci_low": pl.Float64, "growth_ci_high": pl.Float64,
    "is_new": pl.Boolean, "competitor": pl.String, "head_to_head": pl.Int64, "head_to_head_won": pl.Int64,
    "win_rate": pl.Float64, "win_rate_ci_low": pl.Float64, "win_rate_ci_high": pl.Float64,
    "relative_share": pl.Float64, "share_ci_low": pl.Float64, "share_ci_high": pl.Float64,
    "quadrant": pl.String, "uncertain": pl.Boolean, "uncertain_growth": pl.Boolean, "uncertain_share": pl.Boolean,
    "strategy": pl.String,
}


def default_basis(deals: pl.DataFrame) -> str:
    """competitor when at least half of the units that booked in the period have a closed deal naming a
    competitor in it (a head-to-head record to place them by), else bookings."""
    current = deals.filter(pl.col("window") == "current")
    booked = set(current.filter(pl.col("won_amount") > 0)["unit"])
    named = set(current.filter(pl.col("competitor").is_not_null())["unit"]) & booked
    return "competitor" if booked and 2 * len(named) >= len(booked) else "bookings"


def portfolio(store: Store, period: str | None = None, basis: str | None = None,
              unit: tuple[str, ...] | None = None, filters: Filters = NO_FILTERS,
              as_of: datetime | None = None) -> pl.DataFrame:
    """One row per business unit: bookings and growth (with intervals) against the prior period, the
    relative position (basis `bookings`: against the largest other unit; `competitor`: head-to-head
    against the strongest named competitor), the quadrant and its textbook strategy, whether the
    intervals leave the quadrant open (`uncertain`), and the same position a period earlier
    (prior_growth, prior_relative_share, prior_quadrant: the trail). Largest bookings first."""
    period = period or default_period(store)
    deals = strategy_deals(store, period, unit, filters, as_of,
                           columns=["unit", "closed_at", "status", "competitor", "won_amount"])
    basis = basis or default_basis(deals)
    if basis not in BASES:
        raise MetricError(f"basis {basis!r}: choose bookings or competitor")
    cfg = store.cfg
    now = _matrix(deals, "current", "prior", basis, cfg.growth_line, cfg.share_line)
    trail = _matrix(deals, "prior", "trail", basis, cfg.growth_line, cfg.share_line).select(
        "unit", pl.col("growth").alias("prior_growth"), pl.col("relative_share").alias("prior_relative_share"),
        pl.col("quadrant").alias("prior_quadrant"))
    return (now.filter(pl.col("bookings") > 0).join(trail, on="unit", how="left")
            .with_columns(pl.lit(basis).alias("basis"), pl.lit(period).alias("period"))
            .sort(["bookings", "unit"], descending=[True, False]))


def growth_paths(store: Store, period: str | None = None, unit: tuple[str, ...] | None = None,
                 filters: Filters = NO_FILTERS, as_of: datetime | None = None) -> pl.DataFrame:
    """path (the four paths, then total), prior_amount, current_amount, change_amount, prior_deals,
    current_deals: won bookings of the period and the one before, split by growth path. The four
    changes sum to the total's exactly."""
    deals = _on_paths(strategy_deals(store, period or default_period(store), unit, filters, as_of,
                                     columns=["path", "closed_at", "won_amount"], paths=True))
    rows = []
    for path in PATHS:
        mine = deals.filter(pl.col("path") == path)
        prior = mine.filter(pl.col("window") == "prior")
        current = mine.filter(pl.col("window") == "current")
        rows.append({"path": path, "prior_amount": float(prior["won_amount"].sum()),
                     "current_amount": float(current["won_amount"].sum()),
                     "prior_deals": prior.height, "current_deals": current.height})
    frame = pl.DataFrame(rows, schema={"path": pl.String, "prior_amount": pl.Float64, "current_amount": pl.Float64,
                                       "prior_deals": pl.Int64, "current_deals": pl.Int64}, orient="row")
    total = frame.select(pl.lit("total").alias("path"), pl.exclude("path").sum())
    return (pl.concat([frame, total])
            .with_columns((pl.col("current_amount") - pl.col("prior_amount")).alias("change_amount"))
            .select("path", "prior_amount", "current_amount", "change_amount", "prior_deals", "current_deals"))


def _on_paths(deals: pl.DataFrame) -> pl.DataFrame:
    """The deals a growth path counts: won (an amount in the currency shown), this period or the one before."""
    return deals.filter(pl.col("window").is_in(["current", "prior"]) & pl.col("won_amount").is_not_null())


def path_deals(store: Store, period: str | None = None, unit: tuple[str, ...] | None = None,
               filters: Filters = NO_FILTERS, as_of: datetime | None = None) -> pl.DataFrame:
    """The won deals behind the growth paths (this period and the one before), newest first."""
    deals = strategy_deals(store, period or default_period(store), unit, filters, as_of, paths=True)
    return (_on_paths(deals)
            .select("window", "path", "unit", "closed_at", "won_amount", "opportunity_id", "lead_id",
                    "account_id", "market", "owner_id")
            .sort(["closed_at", "opportunity_id"], descending=[True, False]))
