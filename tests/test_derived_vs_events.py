"""The derived tables checked against the event tables: the same figures both ways on the sample company.

The importer builds derived tables (lead_stages, handoffs, opportunity_touches, stalled_now, ...) once
and the reports read them. Here every figure is computed a second time, straight from the CSV files
the sample generator writes, with Polars and the definitions of docs/metrics.md, and must equal what the
engine (analytics.engine.metrics, handoff, winloss, revenue) returns on the imported database: stage
entries under the skip rule, mql -> sql conversion by source, the funnel, days in stage, stalled
leads, hand-off quality by source, win/loss by industry and attribution. The event side reads no
derived table and runs none of our SQL; it shares only the config (stage names) with the engine.

Every figure is taken at the data's own as-of, the latest event, so no event is later than it.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from analytics.core.config import load_config
from analytics.core.filters import Filters
from analytics.core.stalled import stalled_params
from analytics.engine import handoff, metrics, revenue, winloss
from analytics.importers.load import import_folder
from analytics.sample import generate as sample
from analytics.store.db import Store, open_store
from analytics.store.sql import PERSON_COLUMNS, run, table_columns

CFG = load_config()
MAIN = CFG.main_stages
WON = len(MAIN) - 1  # positions in MAIN
OPPORTUNITY = WON - 1
# Tie order of events at one instant: main stages in sequence, lost level with won, exits last.
RANK = {s: i for i, s in enumerate(MAIN)} | {CFG.lost_stage: WON} | {s: len(MAIN) for s in CFG.exit_stages}
# The event times docs/metrics.md's default as-of is the latest of (not campaign or target dates,
# not score_history); they are also every timestamp the checks below read.
EVENT_TIMES = {"leads": ["created_at"], "stage_history": ["entered_at"], "touches": ["occurred_at"],
               "activities": ["occurred_at"], "feedback": ["created_at"],
               "opportunities": ["created_at", "closed_at"]}
DAY_US = 86_400_000_000


# ------------------------------------------------------------------------------ fixtures --

@pytest.fixture(scope="module")
def export(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("northwind") / "export"
    sample.generate(folder, leads=3000, seed=7)
    return folder


@pytest.fixture(scope="module")
def store(export) -> Store:
    db = export.parent / "closed_loop.duckdb"
    import_folder(export, db, CFG, say=lambda _message: None)
    opened = open_store(db)
    yield opened
    opened.close()


@pytest.fixture(scope="module")
def events(export) -> dict[str, pl.DataFrame]:
    return read_export(export)


@pytest.fixture(scope="module")
def as_of(events) -> datetime:
    return max(events[name][column].max() for name, columns in EVENT_TIMES.items() for column in columns)


@pytest.fixture(scope="module")
def entries(events) -> pl.DataFrame:
    return stage_entries(events)


# ------------------------------------------------------------------- the event side --

def read_export(folder: Path) -> dict[str, pl.DataFrame]:
    """The event tables as written (all text), timestamps parsed and amounts numeric."""
    tables = {}
    for name, columns in EVENT_TIMES.items():
        frame = pl.read_csv(folder / f"{name}.csv", infer_schema=False)
        tables[name] = frame.with_columns(pl.col(c).str.to_datetime(sample.TIMESTAMP_FORMAT) for c in columns)
    tables["opportunities"] = tables["opportunities"].with_columns(pl.col("amount").cast(pl.Float64))
    return tables


def days_between(start: str, end: str | datetime) -> pl.Expr:
    """Days from column `start` to column (or moment) `end`."""
    end_at = pl.lit(end) if isinstance(end, datetime) else pl.col(end)
    return (end_at - pl.col(start)).dt.total_microseconds() / DAY_US


def first_entries(events: dict[str, pl.DataFrame]) -> pl.DataFrame:
    """lead_id, stage, rank, entered_at: the first recorded entry of each main stage and of lost."""
    ranked = {s: r for s, r in RANK.items() if s not in CFG.exit_stages}
    return (events["stage_history"].filter(pl.col("stage").is_in(list(ranked)))
            .group_by("lead_id", "stage").agg(pl.col("entered_at").min())
            .with_columns(rank=pl.col("stage").replace_strict(ranked, return_dtype=pl.Int64)))


def stage_entries(events: dict[str, pl.DataFrame]) -> pl.DataFrame:
    """lead_id, stage, order, entered_at, is_recorded: every main stage each lead reached.
    S is reached by S, a later main stage, or lost when S comes before won; a skipped S takes the
    entry of the next stage reached, which (a skipped stage taking its successor's) is the first
    entry of the lowest-ranked stage recorded after S."""
    recorded = first_entries(events).rename({"stage": "recorded_stage"})
    main = pl.DataFrame({"stage": MAIN, "order": range(len(MAIN))}, schema={"stage": pl.String, "order": pl.Int64})
    return (recorded.join(main, how="cross")
            .filter((pl.col("rank") > pl.col("order")) | (pl.col("recorded_stage") == pl.col("stage")))
            .group_by("lead_id", "stage", "order")
            .agg(pl.col("entered_at").sort_by("rank", "entered_at").first(),
                 (pl.col("recorded_stage") == pl.col("stage")).any().alias("is_recorded")))


def stage_reached(entries: pl.DataFrame, stage: str, name: str) -> pl.DataFrame:
    """lead_id and the entry time of `stage` as `name`, for the leads that reached it."""
    return entries.filter(pl.col("stage") == stage).select("lead_id", pl.col("entered_at").alias(name))


def with_lead_column(frame: pl.DataFrame, events: dict[str, pl.DataFrame], column: str) -> pl.DataFrame:
    """The lead's `column` joined on, a missing value shown as the reports show it."""
    leads = events["leads"].select("lead_id", pl.col(column).fill_null("(none)"))
    return frame.join(leads, on="lead_id", how="left")


def tally(frame: pl.DataFrame, by: str, total: str, **flags: pl.Expr) -> pl.DataFrame:
    """Per value of `by`: its rows as `total`, and how many rows each flag holds for."""
    return frame.group_by(by).agg(pl.len().cast(pl.Int64).alias(total),
                                  *(flag.sum().cast(pl.Int64).alias(name) for name, flag in flags.items()))


def stays(events: dict[str, pl.DataFrame], entries: pl.DataFrame) -> pl.DataFrame:
    """lead_id, stage, days: days in each recorded main stage up to the next main stage reached.
    A lost opportunity leaves at its close (the golden velocity counts lost opportunities too)."""
    following = entries.select("lead_id", pl.col("order") - 1, pl.col("entered_at").alias("next_at"))
    lost = (first_entries(events).filter(pl.col("stage") == CFG.lost_stage)
            .select("lead_id", pl.lit(OPPORTUNITY, pl.Int64).alias("order"), pl.col("entered_at").alias("lost_at")))
    return (entries.filter("is_recorded")
            .join(following, on=["lead_id", "order"], how="left")
            .join(lost, on=["lead_id", "order"], how="left")
            .with_columns(pl.coalesce("next_at", "lost_at").alias("exited_at"))
            .drop_nulls("exited_at")
            .select("lead_id", "stage", days_between("entered_at", "exited_at").alias("days")))


def quantile(q: float) -> pl.Expr:
    return pl.col("days").quantile(q, interpolation="linear")  # DuckDB's quantile_cont


def stalled_leads(events: dict[str, pl.DataFrame], entries: pl.DataFrame, as_of: datetime) -> pl.DataFrame:
    """lead_id, stage, entered_at, days_in_stage, threshold_days of the leads stalled at as_of."""
    p90 = stays(events, entries).group_by("stage").agg(quantile(0.9).alias("p90"))
    thresholds = {row["stage"]: CFG.stall_days.get(row["stage"], row["p90"]) for row in p90.iter_rows(named=True)}
    latest = (events["stage_history"].filter(pl.col("entered_at") <= as_of)
              .with_columns(rank=pl.col("stage").replace_strict(RANK, return_dtype=pl.Int64))
              .group_by("lead_id").agg(pl.col("stage", "entered_at").sort_by("entered_at", "rank").last()))
    return (latest.filter(pl.col("stage").is_in(MAIN[:WON]))
            .with_columns(days_between("entered_at", as_of).alias("days_in_stage"),
                          pl.col("stage").replace_strict(thresholds, default=None, return_dtype=pl.Float64)
                          .alias("threshold_days"))
            .filter(pl.col("days_in_stage") > pl.col("threshold_days")))


def won_deals(events: dict[str, pl.DataFrame], as_of: datetime) -> pl.DataFrame:
    return events["opportunities"].filter((pl.col("status") == "won") & (pl.col("closed_at") <= as_of))


def touch_sequences(events: dict[str, pl.DataFrame], entries: pl.DataFrame, as_of: datetime) -> pl.DataFrame:
    """Per won opportunity: amount, and its lead's touches up to its creation in time order (ties by
    touch_id) as lists: channel, days before the creation, at or before the lead's mql entry.
    An opportunity without such touches has null lists."""
    deals = won_deals(events, as_of).select("opportunity_id", "lead_id", "created_at", "amount")
    touches = (deals.join(events["touches"], on="lead_id")
               .filter(pl.col("occurred_at") <= pl.col("created_at"))
               .join(stage_reached(entries, CFG.handoff_stage, "handoff_at"), on="lead_id", how="left")
               .sort("opportunity_id", "occurred_at", "touch_id")
               .group_by("opportunity_id", maintain_order=True)
               .agg(pl.col("channel").fill_null("(none)"),
                    days_between("occurred_at", "created_at").alias("days_before"),
                    (pl.col("occurred_at") <= pl.col("handoff_at")).fill_null(False).alias("early")))
    return deals.join(touches, on="opportunity_id", how="left")


def w_shaped(early: list[bool]) -> list[float]:
    """30% each to the first, the last at or before the mql entry and the last touch; 10% (40% when
    no touch precedes the mql entry) over the other touches, or without any, over the role touches."""
    n = len(early)
    at_handoff = [i for i, e in enumerate(early) if e][-1:]
    roles = [0, n - 1, *at_handoff]
    weights = [0.3 * roles.count(i) for i in range(n)]
    rest = 0.1 if at_handoff else 0.4
    others = [i for i in range(n) if i not in roles] or sorted(set(roles))
    for i in others:
        weights[i] += rest / len(others)
    return weights


def u_shaped(n: int) -> list[float]:
    if n <= 2:
        return [1 / n] * n
    return [0.4 if i in (0, n - 1) else 0.2 / (n - 2) for i in range(n)]


def time_decay(days_before: list[float]) -> list[float]:
    raw = [2 ** (-d / 7) for d in days_before]
    return [r / sum(raw) for r in raw]


MODEL_WEIGHTS = {  # (days before creation, at or before mql entry) of the touches -> their weights
    "first_touch": lambda days, early: [float(i == 0) for i in range(len(days))],
    "last_touch": lambda days, early: [float(i == len(days) - 1) for i in range(len(days))],
    "linear": lambda days, early: [1 / len(days)] * len(days),
    "u_shaped": lambda days, early: u_shaped(len(days)),
    "w_shaped": lambda days, early: w_shaped(early),
    "time_decay": lambda days, early: time_decay(days),
}


def attributed(sequences: pl.DataFrame, model: str) -> dict[str, float]:
    """Credit per channel under `model`; an opportunity with no touch credits "(no touch)"."""
    credit: dict[str, float] = defaultdict(float)
    for deal in sequences.iter_rows(named=True):
        if not deal["channel"]:
            credit["(no touch)"] += deal["amount"]
            continue
        weights = MODEL_WEIGHTS[model](deal["days_before"], deal["early"])
        for channel, weight in zip(deal["channel"], weights, strict=True):
            credit[channel] += deal["amount"] * weight
    return dict(credit)


# ------------------------------------------------------------------------- comparison --

def assert_same(engine: pl.DataFrame, expected: pl.DataFrame, key: str | list[str]) -> None:
    """The engine's rows equal the expected ones on the expected columns: counts exactly, days to
    1e-6, whatever the row order and the integer widths."""
    assert_frame_equal(engine.select(expected.columns).sort(key), expected.sort(key),
                       check_dtypes=False, rel_tol=0, abs_tol=1e-6)


# ------------------------------------------------------------------------------ tests --

def test_default_as_of_is_the_latest_event(store, as_of):
    assert store.default_as_of == as_of


def test_stage_entries_follow_the_skip_rule(store, entries):
    derived = store.con.sql("select lead_id, stage, entered_at, is_recorded from lead_stages "
                            "where list_contains($main, stage)", params={"main": list(MAIN)}).pl()
    expected = entries.select("lead_id", "stage", "entered_at", "is_recorded")
    assert entries.filter(~pl.col("is_recorded")).height > 0  # the sample does skip stages
    assert_same(derived, expected, ["lead_id", "stage"])


def test_conversion_mql_to_sql_by_source(store, events, entries):
    # The defaults: no period, no window, as of the latest event (so every entry counts).
    cohort = (stage_reached(entries, CFG.handoff_stage, "from_at")
              .join(stage_reached(entries, CFG.qualified_stage, "to_at"), on="lead_id", how="left"))
    expected = tally(with_lead_column(cohort, events, "source"), "source", "cohort",
                     converted=pl.col("to_at").is_not_null())
    engine = metrics.conversion(store, CFG.handoff_stage, CFG.qualified_stage, by="source")
    assert_same(engine, expected, "source")


def test_funnel_counts_never_rise_down_the_stages(store, entries):
    expected = entries.group_by("stage").agg(pl.len().cast(pl.Int64).alias("leads"))
    engine = metrics.funnel(store)
    assert_same(engine, expected, "stage")
    counts = engine.sort("stage_order")["leads"].to_list()
    assert counts == sorted(counts, reverse=True), counts


def test_velocity_days_in_each_stage(store, events, entries):
    expected = stays(events, entries).group_by("stage").agg(
        pl.len().cast(pl.Int64).alias("n"), quantile(0.5).alias("median_days"), quantile(0.25).alias("p25_days"),
        quantile(0.75).alias("p75_days"), pl.col("days").mean().alias("mean_days"))
    assert_same(metrics.velocity(store), expected, "stage")


def test_stalled_leads_at_the_data_as_of(store, events, entries, as_of):
    expected = stalled_leads(events, entries, as_of)
    assert expected.height > 0
    assert_same(metrics.stalled(store), expected, "lead_id")


def test_stalled_list_is_most_overdue_first(store):
    engine = metrics.stalled(store)
    ordered = engine.sort(["days_over", "lead_id"], descending=[True, False])
    assert engine["lead_id"].to_list() == ordered["lead_id"].to_list()


@pytest.mark.parametrize("filters", [Filters(), Filters(sources=("Webinar",), regions=("EMEA", "(none)"))])
def test_stored_stalled_list_equals_the_live_one(store, filters):
    """The list stored at import (stalled_now) and the one computed from stage_history at an as-of."""
    params = stalled_params(store.cfg, filters, store.default_as_of)
    stored, live = run(store.con, "marts/stalled_now", filters.lead_params()), run(store.con, "marts/stalled", params)
    assert stored.height > 0
    assert_frame_equal(stored, live)


def test_handoff_quality_by_source(store, events, entries):
    feedback = events["feedback"].group_by("lead_id").agg(
        (pl.col("verdict") == "accepted").any().alias("accepted_verdict"),
        (pl.col("verdict") == "rejected").any().alias("rejected_verdict"))
    exited = (events["stage_history"].filter(pl.col("stage").is_in(CFG.exit_stages))
              .select("lead_id", pl.lit(True).alias("exited")).unique())
    # handed off = a recorded hand-off entry; accepted = reached the accepted stage (skip rule) or
    # an accepted verdict; rejected = otherwise a rejected verdict or an exit
    handed = (entries.filter((pl.col("stage") == CFG.handoff_stage) & pl.col("is_recorded")).select("lead_id")
              .join(stage_reached(entries, CFG.accepted_stage, "accepted_at"), on="lead_id", how="left")
              .join(feedback, on="lead_id", how="left")
              .join(exited, on="lead_id", how="left")
              .with_columns((pl.col("accepted_at").is_not_null() | pl.col("accepted_verdict").fill_null(False))
                            .alias("is_accepted")))
    expected = tally(with_lead_column(handed, events, "source"), "source", "handed_off",
                     accepted=pl.col("is_accepted"),
                     rejected=~pl.col("is_accepted") & (pl.col("rejected_verdict").fill_null(False)
                                                        | pl.col("exited").fill_null(False)))
    assert_same(handoff.quality(store, by="source"), expected, "source")


def test_winloss_by_industry_counts_closed_deals_only(store, events, as_of):
    opportunities = events["opportunities"]
    closed = opportunities.filter(pl.col("status").is_in(["won", "lost"]) & (pl.col("closed_at") <= as_of))
    assert 0 < closed.height < opportunities.height  # the sample has open deals to leave out
    expected = tally(with_lead_column(closed, events, "industry"), "industry", "closed",
                     won=pl.col("status") == "won")
    assert_same(winloss.winloss(store, by="industry"), expected, "industry")
    assert set(winloss.closed_deals(store)["opportunity_id"]) == set(closed["opportunity_id"])


@pytest.mark.parametrize("model", revenue.MODELS)
def test_attribution_credit_adds_up_and_matches_the_touches(store, events, entries, as_of, model):
    engine = revenue.attribution(store, model)
    won_amount = won_deals(events, as_of)["amount"].sum()
    assert engine["credit"].sum() == pytest.approx(won_amount, abs=1e-6)
    expected = attributed(touch_sequences(events, entries, as_of), model)
    credited = dict(zip(engine["channel"], engine["credit"], strict=True))
    channels = sorted(credited.keys() | expected.keys())
    assert [credited.get(c, 0.0) for c in channels] == pytest.approx([expected.get(c, 0.0) for c in channels],
                                                                      abs=1e-6)


def test_stage_rows_carry_the_leads_columns_but_who_the_lead_is(store):
    """A stage row carries its lead's columns so the marts filter and break down without a join, but not the
    lead's name, email or company (never a breakdown; the lists that show them join them from leads)."""
    leads, stages = set(table_columns(store.con, "leads")), set(table_columns(store.con, "lead_stages"))
    assert PERSON_COLUMNS <= leads  # the sample names its people
    assert not PERSON_COLUMNS & stages
    assert leads - PERSON_COLUMNS - {"created_at"} <= stages and "lead_created_at" in stages
