"""One deal policy for every importer (docs/metrics.md): a deal is kept and repaired, never dropped, so
the figures that count won deals agree on every export we ship or read — the bundled sample, the
golden example and each real export in ../shared/datasets through its own importer.

What the data model guarantees, and so what is checked:
- the leads the funnel counts as won (a won stage entry) are exactly the leads of won opportunities
  (the importers write a won entry for the lead of every won deal, and no other);
- win/loss's won deals (all time) equal sourcing's won deals, summed over its currency blocks, and
  equal the won opportunities; credit of every attribution model adds up to the won amount booked;
- no opportunity is rejected for its dates ("closed before it was created" is repaired, not refused).
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import polars as pl
import pytest
from conftest import GOLDEN_INPUT, quiet

from analytics import reports
from analytics.config import load_config
from analytics.db import SAMPLE_DIR, open_store
from analytics.importer import import_folder
from analytics.revenue import attribution_models
from analytics.winloss import winloss

ROOT = Path(__file__).resolve().parents[1]
DATASETS = ROOT.parent / "shared" / "datasets"
SF = DATASETS / "crm_export_formats" / "salesforce"
EXPORTS = {  # name: (folder, format, mapping)
    "sample": (SAMPLE_DIR, "canonical", None),
    "golden": (GOLDEN_INPUT, "canonical", None),
    "olist": (DATASETS / "olist_marketing_funnel", "olist", None),
    "maven": (DATASETS / "maven_crm_sales_opportunities", "maven", None),
    "salesforce_2018": (SF / "data_export_demo_org_2018", "salesforce", None),
    "salesforce_2023": (SF / "data_export_real_org_2023", "salesforce",
                        ROOT / "mappings/salesforce_spanish_stages.toml"),
    "x_education": (DATASETS / "x_education_leads", "mapped", ROOT / "mappings/x_education.toml"),
}


@pytest.fixture(scope="module", params=sorted(EXPORTS))
def store(request, tmp_path_factory):
    folder, fmt, mapping = EXPORTS[request.param]
    if not folder.is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{folder} must be there in CI (../shared beside the repository)")
        pytest.skip(f"{folder} is not here (../shared beside the repository)")
    if request.param == "olist":  # the shipped folder holds mangled copies below it: read the export itself
        copy = tmp_path_factory.mktemp("olist") / "export"
        copy.mkdir()
        for path in folder.glob("*.csv"):
            shutil.copy(path, copy / path.name)
        folder = copy
    db = tmp_path_factory.mktemp(request.param) / "db.duckdb"
    import_folder(folder, db, load_config(), say=quiet, fmt=fmt, mapping=mapping)
    opened = open_store(db)
    yield opened
    opened.close()


def one(store, sql: str):
    return store.con.execute(sql).fetchall()[0][0]


def test_the_funnels_won_leads_are_the_leads_of_won_deals(store):
    if "opportunities" not in store.tables_present():
        pytest.skip("this export has no deals: its won stage is the lead's conversion alone")
    funnel_only = one(store, """select count(*) from (
        select lead_id from lead_stages where stage = 'won'
        except select lead_id from opportunities where status = 'won')""")
    deals_only = one(store, """select count(*) from (
        select lead_id from opportunities where status = 'won'
        except select lead_id from lead_stages where stage = 'won')""")
    assert (funnel_only, deals_only) == (0, 0)


def test_win_loss_sourcing_and_the_opportunities_count_the_same_won_deals(store):
    won = one(store, "select count(*) from opportunities where status = 'won'")
    assert winloss(store)["won"].sum() == won
    sourced = reports.REPORTS["sourcing"](store, reports.Options()).filter(
        pl.col("category").is_in(["marketing_sourced", "sales_sourced"]))
    assert sourced["won_deals"].sum() == won


def test_attribution_adds_up_to_the_bookings_in_every_currency(store):
    for currency in store.currencies():
        _, tie_out = attribution_models(store, "won", "channel", reports.Options(currency=currency).filters)
        assert set(tie_out["difference"]) <= {0.0}, currency


def test_no_deal_is_refused_for_its_dates(store):
    assert one(store, "select count(*) from rejects where table_name = 'opportunities' "
                      "and reason like 'closed before%'") == 0
