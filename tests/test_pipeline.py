"""Pipeline movement (docs/metrics.md "Pipeline movement"): one week of nine deals computed by hand, and the
tie-out on the sample and on the real 2023 Salesforce org (per currency)."""
from __future__ import annotations

from datetime import date, datetime

import polars as pl
import pytest

from analytics.core.config import load_config
from analytics.core.filters import Filters
from analytics.engine import pipeline
from analytics.importers.load import import_folder
from analytics.store.db import open_store
from tests.conftest import imported, quiet, run_cli, shared_dataset, write_export

LEADS = """
lead_id,created_at
L1,2026-01-01 09:00:00
"""
HISTORY = """
lead_id,stage,entered_at
L1,lead,2026-01-01 09:00:00
"""
# the week of Monday 2026-03-02; the quarter's pipeline: open deals expected to close before 2026-04-01
OPPORTUNITIES = """
opportunity_id,lead_id,created_at,closed_at,status,amount,currency
O1,L1,2026-02-01 10:00:00,,open,120,
O2,L1,2026-02-10 10:00:00,2026-03-05 12:00:00,won,200,
O3,L1,2026-02-15 10:00:00,2026-03-06 12:00:00,lost,50,
O4,L1,2026-03-03 10:00:00,,open,300,
O5,L1,2026-01-20 10:00:00,,open,400,
O6,L1,2026-01-10 10:00:00,,open,500,
O7,L1,2026-02-20 10:00:00,,open,60,
O8,L1,2026-03-04 10:00:00,2026-03-07 12:00:00,lost,70,
O9,L1,2026-02-01 10:00:00,,open,1000,EUR
"""
OPPORTUNITY_HISTORY = """
opportunity_id,changed_at,stage,amount,expected_close_at,probability
O1,2026-02-01 10:00:00,Discovery,100,2026-03-20,10
O1,2026-03-04 10:00:00,Proposal,120,2026-03-25,30
O2,2026-02-10 10:00:00,Proposal,200,2026-03-10,30
O2,2026-03-05 12:00:00,Closed Won,200,2026-03-05,100
O3,2026-02-15 10:00:00,Discovery,80,2026-03-31,10
O3,2026-03-03 10:00:00,Discovery,50,2026-03-31,10
O4,2026-03-03 10:00:00,Discovery,300,2026-03-30,10
O5,2026-01-20 10:00:00,Negotiation,400,2026-03-15,60
O5,2026-03-04 10:00:00,Negotiation,400,2026-04-15,60
O6,2026-01-10 10:00:00,Proposal,500,2026-05-01,30
O6,2026-03-06 10:00:00,Proposal,500,2026-03-28,30
O7,2026-02-20 10:00:00,Proposal,60,2026-03-20,30
O7,2026-03-05 10:00:00,Discovery,,,
"""
WEEK = Filters(start=date(2026, 3, 2), end=date(2026, 3, 8))
AS_OF = datetime(2026, 3, 20)

# by hand: opening O1 100 + O2 200 + O3 80 + O5 400 + O7 60 = 840 (5 deals); created O4 300 + O8 70;
# O1 advanced (Discovery -> Proposal, now 120); O7 moved back; O5 pushed out to April (-400); O6 pulled
# in from May (+500); amount changes O1 +20, O3 -30; won O2 200; lost O3 50 + O8 70;
# closing O1 120 + O4 300 + O6 500 + O7 60 = 980 (4 deals).
EXPECTED = {
    "opening": (5, 840.0, 840.0), "created": (2, 370.0, 370.0), "advanced": (1, 120.0, 0.0),
    "moved_back": (1, 60.0, 0.0), "pushed_out": (1, 400.0, -400.0), "pulled_in": (1, 500.0, 500.0),
    "amount_change": (2, -10.0, -10.0), "won": (1, 200.0, -200.0), "lost": (2, 120.0, -120.0),
    "closing": (4, 980.0, 980.0),
}


@pytest.fixture(scope="module")
def week_store(tmp_path_factory):
    folder = write_export(tmp_path_factory.mktemp("pipeline") / "export", {
        "leads": LEADS, "stage_history": HISTORY, "opportunities": OPPORTUNITIES,
        "opportunity_history": OPPORTUNITY_HISTORY})
    with imported(folder, folder.parent / "db.duckdb") as store:
        yield store


def test_one_week_by_hand(week_store):
    waterfall = pipeline.pipeline_movement(week_store, "week", WEEK, AS_OF)
    assert waterfall["period_start"].unique().to_list() == [date(2026, 3, 2)]
    assert waterfall["movement"].to_list() == list(pipeline.MOVEMENTS)
    got = {r["movement"]: (r["deals"], r["amount"], r["net_amount"]) for r in waterfall.iter_rows(named=True)}
    assert got == EXPECTED
    assert waterfall["currency"].unique().to_list() == ["USD"]
    gaps = pipeline.tie_out(waterfall).row(0, named=True)
    assert (gaps["amount_gap"], gaps["deals_gap"]) == (0.0, 0)


def test_the_deals_behind_the_week(week_store):
    deals = pipeline.movement_deals(week_store, "week", WEEK, AS_OF)
    moved = {(r["movement"], r["opportunity_id"]): r for r in deals.iter_rows(named=True)}
    o1 = moved[("advanced", "O1")]
    assert (o1["stage_from"], o1["stage_to"], o1["amount_from"], o1["amount_to"]) == ("Discovery", "Proposal", 100, 120)
    assert (o1["close_from"], o1["close_to"]) == (datetime(2026, 3, 20), datetime(2026, 3, 25))
    o5 = moved[("pushed_out", "O5")]
    assert (o5["close_from"], o5["close_to"]) == (datetime(2026, 3, 15), datetime(2026, 4, 15))
    o7 = moved[("moved_back", "O7")]  # an empty history value keeps the previous one
    assert (o7["stage_to"], o7["amount_to"], o7["close_to"]) == ("Discovery", 60, datetime(2026, 3, 20))
    assert moved[("won", "O2")]["stage_to"] == "won" and moved[("lost", "O8")]["stage_from"] is None
    assert deals.filter(pl.col("opportunity_id") == "O9").is_empty()  # EUR: its own block


def test_a_currency_without_a_rate_is_its_own_waterfall(week_store):
    eur = pipeline.pipeline_movement(
        week_store, "week", Filters(start=WEEK.start, end=WEEK.end, currency="EUR"), AS_OF)
    got = {r["movement"]: r["net_amount"] for r in eur.iter_rows(named=True) if r["deals"]}
    assert got == {"opening": 1000.0, "closing": 1000.0}


def test_the_report_prints_the_contract_columns(week_store):
    p = run_cli("report", "pipeline_movement", "--db", week_store.path, "--grain", "week", "--from", "2026-03-02",
                "--to", "2026-03-08", "--as-of", "2026-03-20", "--format", "csv")
    assert p.returncode == 0, p.stderr
    lines = p.stdout.strip().splitlines()
    assert lines[0] == "period_start,movement,deals,amount,net_amount,currency"
    assert "2026-03-02,pushed_out,1,400.0,-400.0,USD" in lines and len(lines) == 1 + 2 * 10


# --- invariants on the sample and on the real 2023 Salesforce org ---------------------------------

@pytest.mark.parametrize("grain", pipeline.GRAINS)
def test_the_sample_ties_out_every_period(sample_store, grain):
    waterfall = pipeline.pipeline_movement(sample_store, grain, Filters(start=date(2025, 7, 1)))
    gaps = pipeline.tie_out(waterfall)
    assert gaps.height >= (60 if grain == "week" else 16)
    assert gaps["amount_gap"].abs().max() == 0 and gaps["deals_gap"].abs().max() == 0
    every = waterfall.group_by("movement").agg(pl.col("deals").sum())
    assert every.filter(pl.col("deals") == 0).is_empty(), every  # the sample shows every kind of move


@pytest.mark.parametrize("grain", pipeline.GRAINS)
@pytest.mark.parametrize("filters", [Filters(start=date(2025, 7, 1)), Filters(sources=("Event",)),
                                     Filters(start=date(2026, 3, 2), end=date(2026, 3, 8))])
def test_the_waterfall_sums_the_deals_behind_it(sample_store, grain, filters):
    """The waterfall is summed in SQL (marts/pipeline_waterfall) and the page lists the deals behind a bar
    (marts/pipeline_movement), both over pipeline_moves(): every bar's deals and amounts are its deals'."""
    waterfall = pipeline.pipeline_movement(sample_store, grain, filters)
    deals = pipeline.movement_deals(sample_store, grain, filters)
    sums = deals.group_by("period_start", "movement").agg(
        pl.len().cast(pl.Int64).alias("listed"), pl.col("amount").sum().alias("listed_amount"),
        pl.col("net_amount").sum().alias("listed_net"))
    joined = waterfall.join(sums, on=["period_start", "movement"], how="left").with_columns(
        pl.col("listed").fill_null(0), pl.col("listed_amount").fill_null(0.0), pl.col("listed_net").fill_null(0.0))
    assert deals.height > 0 and joined.height == waterfall.height
    assert (joined["deals"] == joined["listed"]).all()
    assert ((joined["amount"] - joined["listed_amount"]).abs() < 1e-6).all()
    assert ((joined["net_amount"] - joined["listed_net"]).abs() < 1e-6).all()
    assert sums.height == waterfall.filter(pl.col("deals") > 0).height  # no bar without a row, nor the reverse


def test_the_2023_salesforce_org_ties_out_per_currency(tmp_path_factory):
    from tests.test_formats_salesforce import REAL, SPANISH, copy

    folder = copy(shared_dataset(REAL), tmp_path_factory.mktemp("sf2023") / "export", "OpportunityHistory.csv")
    db = folder.parent / "sf.duckdb"
    import_folder(folder, db, load_config(), say=quiet, fmt="salesforce", mapping=SPANISH)
    store = open_store(db)
    try:
        assert store.con.execute("select count(*) from opportunity_history").fetchall()[0][0] == 2809
        currencies = store.currencies()
        assert sorted(currencies) == ["COP", "MXN", "PEN", "USD"]
        for currency in currencies:
            waterfall = pipeline.pipeline_movement(store, "month", Filters(start=date(2022, 12, 1), currency=currency))
            gaps = pipeline.tie_out(waterfall)
            assert gaps["amount_gap"].abs().max() < 1e-6 and gaps["deals_gap"].abs().max() == 0, currency
            assert waterfall.filter(pl.col("movement") == "won")["deals"].sum() > 0
            assert waterfall.filter(pl.col("movement") == "pushed_out")["deals"].sum() > 0
    finally:
        store.close()


def test_the_targets_page_takes_its_pipeline_choices_from_the_url(monkeypatch, sample_store):
    from streamlit.testing.v1 import AppTest

    from tests.conftest import ROOT

    monkeypatch.setenv("CLOSED_LOOP_DB", sample_store.path)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    for name, value in {"pgrain": "week", "pperiod": "2026-11-16", "move": "won"}.items():
        at.query_params[name] = value
    at.run()
    at.switch_page("pages/targets.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.button_group(key="targets.pipeline_grain").value == "week"
    assert at.selectbox(key="targets.pipeline_week").value == date(2026, 11, 16)
    assert at.button_group(key="targets.pipeline.week.move").value == "won"
    assert {k: at.query_params[k] for k in ("pgrain", "pperiod", "move")} == {
        "pgrain": "week", "pperiod": "2026-11-16", "move": "won"}
    won = pipeline.movement_deals(sample_store, "week", Filters(start=date(2026, 11, 16), end=date(2026, 11, 22)))
    listed = next(d.value for d in at.dataframe if {"opportunity_id", "movement"} <= set(d.value.columns))
    assert sorted(listed["opportunity_id"]) == sorted(won.filter(pl.col("movement") == "won")["opportunity_id"])
    assert any(m.value.startswith("Last 6 months our forecast was within") for m in at.markdown)
