"""The deal rules every import applies (analytics/importers/deal_repairs.py): planned dates are not events, one
deal policy (kept and repaired), money in one currency or per currency. Figures by hand on tiny
exports, then the bundled sample and the 2023 Salesforce org (../shared/datasets)."""
from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

import polars as pl
import pytest
from conftest import DATASETS, quiet, run_cli, shared_dataset

from analytics.core.config import load_config
from analytics.core.filters import Filters
from analytics.engine import metrics
from analytics.engine.revenue import attribution_models, campaign_roi, sourcing
from analytics.importers.load import import_folder
from analytics.outputs import reports
from analytics.store.db import SAMPLE_DIR, open_store

REAL_2023 = DATASETS / "crm_export_formats/salesforce/data_export_real_org_2023"

LEADS = """\
    lead_id,created_at,source
    A,2026-01-01 09:00:00,Webinar
    B,2026-01-02 09:00:00,Outbound
    C,2026-01-03 09:00:00,Webinar
    D,2026-01-04 09:00:00,Webinar
    """
STAGES = """\
    lead_id,stage,entered_at
    A,lead,2026-01-01 09:00:00
    A,opportunity,2026-01-05 09:00:00
    A,won,2026-01-20 12:00:00
    B,lead,2026-01-02 09:00:00
    B,opportunity,2026-01-06 09:00:00
    B,won,2026-01-25 09:00:00
    C,lead,2026-01-03 09:00:00
    C,opportunity,2026-01-07 09:00:00
    D,lead,2026-01-04 09:00:00
    D,opportunity,2026-01-08 09:00:00
    D,lost,2026-01-28 09:00:00
    """
# The export's last recorded event is D's lost entry, 2026-01-28 09:00. O1 won says 2026-03-31 (a
# planned date typed in the close field): it takes A's won entry, 01-20 12:00; O4 lost says 2026-02-15:
# it takes D's lost entry, 01-28 09:00.
# O2 won closed 01-10, created 01-15: closed before it was created, kept, created 01-10.
# O3 open with a close date 2027-06-30: its expected close, never an event.
DEALS = """\
    opportunity_id,lead_id,created_at,closed_at,status,amount
    O1,A,2026-01-05 09:00:00,2026-03-31,won,1000
    O2,B,2026-01-15 09:00:00,2026-01-10 09:00:00,won,500
    O3,C,2026-01-07 09:00:00,2027-06-30,open,700
    O4,D,2026-01-08 09:00:00,2026-02-15,lost,300
    """


def export(make_export, tmp_path, deals: str = DEALS, **extra: str) -> Path:
    return make_export(tmp_path, {"leads": LEADS, "stage_history": STAGES, "opportunities": deals, **extra})


def test_planned_and_impossible_dates_are_repaired_with_notes(make_export, tmp_path):
    notes: list[str] = []
    db = tmp_path / "d.duckdb"
    import_folder(export(make_export, tmp_path), db, load_config(), say=notes.append)
    store = open_store(db)
    try:
        rows = store.con.execute("select opportunity_id, created_at, closed_at, expected_close_at, status "
                                 "from opportunities order by 1").fetchall()
        as_of = store.default_as_of
        rejects = store.con.execute("select count(*) from rejects").fetchall()[0][0]
    finally:
        store.close()
    assert rows == [
        ("O1", datetime(2026, 1, 5, 9), datetime(2026, 1, 20, 12), None, "won"),    # its won stage entry
        ("O2", datetime(2026, 1, 10, 9), datetime(2026, 1, 10, 9), None, "won"),    # created when it closed
        ("O3", datetime(2026, 1, 7, 9), None, datetime(2027, 6, 30), "open"),      # expected close
        ("O4", datetime(2026, 1, 8, 9), datetime(2026, 1, 28, 9), None, "lost"),   # its lost stage entry
    ]
    assert as_of == datetime(2026, 1, 28, 9)  # D's lost entry: the latest thing that happened
    assert rejects == 0  # one deal policy: kept, never dropped
    assert any(n.startswith("1 open deals carry a close date: it is their expected close") for n in notes)
    assert any(n.startswith("2 closed deals have a close date after the export's last recorded event") and
               "(O1, O4)" in n for n in notes)
    assert any(n.startswith("1 deals closed before they were created") and "(O2)" in n for n in notes)


def test_a_close_after_the_last_event_without_a_stage_entry_takes_that_event(make_export, tmp_path, import_store):
    stages = "\n".join(line for line in STAGES.splitlines() if ",won," not in line and ",lost," not in line)
    folder = make_export(tmp_path, {"leads": LEADS, "stage_history": stages + "\n", "opportunities": DEALS})
    store = import_store(folder)
    rows = {r[0]: r[1:] for r in store.con.execute(
        "select opportunity_id, created_at, closed_at from opportunities").fetchall()}
    # no closing stage entries: the last recorded event is O2's creation, 01-15 09:00; O1 and O4 close then
    assert rows["O1"][1] == rows["O4"][1] == datetime(2026, 1, 15, 9) == store.default_as_of
    # O2 closed 01-10, before that last event: its close stays, and it is taken as created then
    assert rows["O2"] == (datetime(2026, 1, 10, 9), datetime(2026, 1, 10, 9))


def test_open_deals_expected_close_never_moves_as_of_on_the_sample(tmp_path):
    folder = tmp_path / "sample"
    shutil.copytree(SAMPLE_DIR, folder)
    deals = pl.read_csv(folder / "opportunities.csv", infer_schema=False)
    open_deals = deals["status"] == "open"
    deals.with_columns(pl.when(open_deals).then(pl.lit("2027-06-30")).otherwise(pl.col("closed_at"))
                       .alias("closed_at")).write_csv(folder / "opportunities.csv")
    before, after = tmp_path / "before.duckdb", tmp_path / "after.duckdb"
    import_folder(SAMPLE_DIR, before, load_config(), say=quiet)
    import_folder(folder, after, load_config(), say=quiet)
    a, b = open_store(before), open_store(after)
    try:
        assert a.default_as_of == b.default_as_of and a.default_as_of.date() == datetime(2026, 11, 26).date()
        assert metrics.stalled(a).height == metrics.stalled(b).height
        assert b.con.execute("select count(*) from opportunities where expected_close_at = '2027-06-30'"
                             ).fetchall()[0][0] == int(open_deals.sum())
    finally:
        a.close()
        b.close()


# --- money ------------------------------------------------------------------------------------------

MONEY_DEALS = """\
    opportunity_id,lead_id,created_at,closed_at,status,amount,currency
    O1,A,2026-01-05 09:00:00,2026-01-20 12:00:00,won,1000,EUR
    O2,B,2026-01-06 09:00:00,2026-01-25 09:00:00,won,500,usd
    O3,C,2026-01-07 09:00:00,,open,700,EUR
    O4,D,2026-01-08 09:00:00,2026-01-28 09:00:00,lost,300,GBP
    """
# 1 EUR = 1.10 USD from 2026-01-01, 1.20 USD from 2026-01-22: O1 (closed 01-20) at 1.10 = 1,100 USD;
# O3 open, converted at as-of (01-28): 700 x 1.20 = 840 USD. GBP has no rate: O4 stays 300 GBP.
RATES = """\
    currency,valid_from,rate
    EUR,2026-01-01,1.10
    EUR,2026-01-22,1.20
    """
CAMPAIGNS = """\
    campaign_id,name,cost,currency,start_date
    K1,Webinar series,100,EUR,2026-01-02
    K2,UK show,50,GBP,2026-01-02
    """


@pytest.fixture
def money(make_export, tmp_path, import_store):
    return import_store(export(make_export, tmp_path, MONEY_DEALS, exchange_rates=RATES, campaigns=CAMPAIGNS))


def test_amounts_convert_at_the_close_date_or_as_of(money):
    rows = money.con.execute("select opportunity_id, amount, amount_currency, original_amount, currency "
                             "from opportunities order by 1").fetchall()
    assert rows == [("O1", pytest.approx(1100.0), "USD", 1000.0, "EUR"), ("O2", 500.0, "USD", 500.0, "USD"),
                    ("O3", pytest.approx(840.0), "USD", 700.0, "EUR"), ("O4", 300.0, "GBP", 300.0, "GBP")]
    assert money.currencies() == ["USD", "GBP"]  # corporate first; GBP has no rate
    costs = money.con.execute("select campaign_id, cost, cost_currency from campaigns order by 1").fetchall()
    assert costs == [("K1", pytest.approx(110.0), "USD"), ("K2", 50.0, "GBP")]


def test_no_figure_adds_two_currencies(money):
    usd, gbp = Filters(), Filters(currency="GBP")
    table = {r["category"]: r for r in sourcing(money, usd).to_dicts()}
    # USD: O1 (1,100, marketing: Webinar) and O2 (500, Outbound) won; marketing pipeline O1 + O3 = 1,940
    assert (table["marketing_sourced"]["won_amount"], table["sales_sourced"]["won_amount"]) == (
        pytest.approx(1100.0), 500.0)
    assert table["marketing_sourced"]["pipeline_amount"] == pytest.approx(1940.0)
    gbp_table = {r["category"]: r for r in sourcing(money, gbp).to_dicts()}
    assert (gbp_table["marketing_sourced"]["pipeline_amount"], gbp_table["marketing_sourced"]["won_deals"]) == (300, 0)
    _, tie_out = attribution_models(money, "won", "channel", usd)
    assert tie_out["booked"].to_list() == [pytest.approx(1600.0)] * 6 and set(tie_out["difference"]) == {0.0}
    roi = {r["campaign_id"]: r for r in campaign_roi(money, filters=gbp).to_dicts()}
    assert roi["K2"]["currency"] == "GBP" and roi["K1"]["roi"] is None  # a USD cost has no ratio to GBP revenue


def test_money_reports_print_one_block_per_currency(money):
    frame = reports.REPORTS["sourcing"](money, reports.Options())
    assert frame.filter(pl.col("category") == "marketing_sourced").select("currency", "pipeline_amount").rows() == [
        ("USD", pytest.approx(1940.0)), ("GBP", 300.0)]
    one = reports.REPORTS["attribution"](money, reports.Options(currency="GBP", basis="pipeline"))
    assert one["currency"].unique().to_list() == ["GBP"]


# --- the 2023 Salesforce org ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def org_2023(tmp_path_factory):
    folder = tmp_path_factory.mktemp("org2023") / "export"
    shutil.copytree(shared_dataset(REAL_2023), folder, ignore=shutil.ignore_patterns("headers"))
    return folder


def test_the_2023_org_as_of_is_its_export_date_and_money_is_per_currency(org_2023, tmp_path):
    db = tmp_path / "sf.duckdb"
    p = run_cli("import", org_2023, "--format", "salesforce", "--db", db)
    assert p.returncode == 0, p.stderr
    assert "11 closed deals have a close date after the export's last recorded event" in p.stdout
    store = open_store(db)
    try:
        assert store.default_as_of == datetime(2023, 9, 1, 1, 1, 29)  # was 2023-12-15, a planned close
        assert store.currencies() == ["USD", "MXN", "COP", "PEN"]
        frame = reports.REPORTS["sourcing"](store, reports.Options())
    finally:
        store.close()
    won = frame.filter(pl.col("category") == "sales_sourced").select("currency", "won_deals", "won_amount").rows()
    assert won == [("USD", 34, pytest.approx(85701.28)), ("MXN", 57, pytest.approx(7705722.0)),
                   ("COP", 22, pytest.approx(329420000.0)), ("PEN", 50, pytest.approx(587578.5765))]
    assert sum(r[1] for r in won) == 163


def test_the_2023_org_with_salesforce_dated_rates_is_one_currency(org_2023, tmp_path):
    folder = tmp_path / "with_rates"
    shutil.copytree(org_2023, folder)
    # Salesforce's DatedConversionRate: units of the currency per 1 USD (the org's corporate currency)
    (folder / "DatedConversionRate.csv").write_text(
        "Id,IsoCode,StartDate,NextStartDate,ConversionRate\n"
        "04w1,MXN,2022-01-01,2023-06-01,20.0\n04w2,MXN,2023-06-01,9999-12-31,17.0\n"
        "04w3,COP,2022-01-01,9999-12-31,4000.0\n04w4,PEN,2022-01-01,9999-12-31,4.0\n", encoding="utf-8")
    db = tmp_path / "rates.duckdb"
    import_folder(folder, db, load_config(), say=quiet, fmt="salesforce")
    store = open_store(db)
    try:
        assert store.currencies() == ["USD"]
        won = store.con.execute("select currency, sum(original_amount), sum(amount) from opportunities "
                                "where status = 'won' group by all order by 1").fetchall()
        table = {r["category"]: r for r in sourcing(store).to_dicts()}
    finally:
        store.close()
    by_currency = {c: (original, converted) for c, original, converted in won}
    assert by_currency["COP"][1] == pytest.approx(329420000.0 / 4000)   # 82,355 USD
    assert by_currency["PEN"][1] == pytest.approx(587578.5765 / 4)      # 146,894.64 USD
    assert by_currency["USD"][1] == pytest.approx(85701.28)
    total = sum(v[1] for v in by_currency.values())
    assert table["sales_sourced"]["won_deals"] == 163
    assert table["sales_sourced"]["won_amount"] == pytest.approx(total)


def test_bad_exchange_rates_are_rejects_with_their_line(make_export, tmp_path, import_store):
    rates = """\
        currency,valid_from,rate
        EUR,2026-01-01,1.10
        EUR,2026-01-01,1.15
        GBP,soon,1.30
        GBP,2026-01-01,-1
        DOLLARS,2026-01-01,1
        """
    store = import_store(export(make_export, tmp_path, MONEY_DEALS, exchange_rates=rates))
    rejects = store.con.execute("select line, column_name, reason from rejects where table_name = 'exchange_rates' "
                                "order by line").fetchall()
    assert rejects == [(3, "valid_from", "a second rate for the same currency and day"),
                       (4, "valid_from", "not a valid date"),
                       (5, "rate", "rate must be positive"),
                       (6, "currency", "currency must be a three-letter ISO code")]
    # the one good rate converts O1 (EUR, closed 01-20) and O3 (EUR, open): 1,000 and 700 at 1.10
    assert store.con.execute("select opportunity_id, amount from opportunities where currency = 'EUR' "
                             "order by 1").fetchall() == [("O1", pytest.approx(1100.0)), ("O3", pytest.approx(770.0))]
