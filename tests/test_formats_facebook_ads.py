"""Ad spend (issue 12, item 7): the canonical `spend` table adds to campaign cost everywhere (ROI, cost
per mql/sql/opportunity), and `--format facebook_ads` sums an ad-level export per campaign and day beside
a canonical export: a hand-computed fixture (2 campaigns, 3 ads, 2 days) and the real Kaggle file
(3 campaigns, 1,143 ads, 58,705.23 spent, 55,662.15 of it by campaign 1178)."""
from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest
from conftest import DATASETS, quiet, run_cli, shared_dataset, write_export

from analytics.core.config import load_config
from analytics.engine import revenue
from analytics.importers.formats import ConversionFailed
from analytics.importers.formats.facebook_ads import convert
from analytics.importers.load import import_folder
from analytics.importers.upload import import_upload
from analytics.store.db import open_store
from tests.test_upload import zipped

KAG = DATASETS / "fb_ad_campaign_conversions"

# A: C1, lead -> won (OA 1200, one touch of C1 before it); B: C2, mql only (touch of C2); C: C1, sql.
CANONICAL = {
    "leads": """
        lead_id,created_at,source,campaign_id
        A,2026-01-05 09:00:00,Paid Social,C1
        B,2026-01-05 10:00:00,Paid Social,C2
        C,2026-01-06 09:00:00,Paid Social,C1
        """,
    "stage_history": """
        lead_id,stage,entered_at
        A,lead,2026-01-05 09:00:00
        A,mql,2026-01-06 09:00:00
        A,sql,2026-01-07 09:00:00
        A,opportunity,2026-01-08 09:00:00
        A,won,2026-01-20 09:00:00
        B,lead,2026-01-05 10:00:00
        B,mql,2026-01-06 10:00:00
        C,lead,2026-01-06 09:00:00
        C,mql,2026-01-07 09:00:00
        C,sql,2026-01-08 09:00:00
        """,
    "opportunities": """
        opportunity_id,lead_id,created_at,closed_at,status,amount
        OA,A,2026-01-08 09:00:00,2026-01-20 09:00:00,won,1200
        """,
    "touches": """
        touch_id,lead_id,occurred_at,channel,campaign_id
        T1,A,2026-01-05 08:00:00,Paid Social,C1
        T2,B,2026-01-05 09:30:00,Paid Social,C2
        """,
}
# Ads Manager's shape: 3 ads of 2 campaigns over 2 days, a float artefact (4.749999948), then the traps.
ADS = """
    Campaign name,Campaign ID,Ad name,Ad ID,Day,Amount spent (USD),Impressions,Link clicks,Results
    Spring launch,C1,Ad one,A1,2026-01-05,10.25,1000,10,1
    Spring launch,C1,Ad two,A2,2026-01-05,4.749999948,500,5,0
    Spring launch,C1,Ad one,A1,2026-01-06,5.00,800,8,1
    Retargeting,C2,Ad three,A3,2026-01-05,20,2000,40,2
    Retargeting,C2,Ad three,A3,2026-01-06,30.10,2500,50,1
    Retargeting,C2,Ad three,A3,2026-01-07,-3,10,0,0
    Spring launch,C1,Ad one,A1,2026-01-05,10.25,1000,10,1
    ,,Ad four,A4,2026-01-05,1.00,10,0,0
    Retargeting,C2,Ad three,A3,yesterday,1.00,10,0,0
    Retargeting,C2,Ad three,A3,2026-01-08,,10,0,0
    """
# The CRM knows C1 (its own cost 100); C2 comes from the ads only.
CRM_CAMPAIGNS = """
    campaign_id,name,channel,cost
    C1,Spring launch (CRM),Paid Social,100
    """


@pytest.fixture
def ads_store(tmp_path):
    folder = write_export(tmp_path / "export", {**CANONICAL, "campaigns": CRM_CAMPAIGNS, "facebook_ads": ADS,
                                                "README.txt": "not a table\n"})
    db = tmp_path / "db" / "fb.duckdb"
    notes: list[str] = []
    import_folder(folder, db, load_config(), say=notes.append, fmt="facebook_ads")
    store = open_store(db)
    yield store, notes
    store.close()


def rows(store, sql: str) -> list[tuple]:
    return store.con.execute(sql).fetchall()


def test_spend_is_summed_per_campaign_and_day(ads_store):
    store, notes = ads_store
    # C1 on the 5th: 10.25 + 4.75 (4.749999948 to the cent) = 15.00 over ads A1, A2; the rest one ad each.
    assert rows(store, "select campaign_id, spend_date::varchar, cost, ads, impressions, clicks, conversions "
                       "from spend order by 1, 2") == [
        ("C1", "2026-01-05", 15.0, "2", "1500", "15", "1"),
        ("C1", "2026-01-06", 5.0, "1", "800", "8", "1"),
        ("C2", "2026-01-05", 20.0, "1", "2000", "40", "2"),
        ("C2", "2026-01-06", 30.1, "1", "2500", "50", "1"),
    ]
    # "Amount spent (USD)": the currency is kept on every row and named in a note
    assert rows(store, "select distinct currency from spend") == [("USD",)]
    assert any("spend is in USD" in n for n in notes)


def test_every_bad_ad_row_is_a_reject_with_its_line(ads_store):
    store, _ = ads_store
    assert rows(store, "select file, line, column_name, value, reason from rejects order by line") == [
        ("facebook_ads.csv", 7, "Amount spent (USD)", "-3", "negative spend"),
        ("facebook_ads.csv", 8, "Ad ID", "A1 2026-01-05", "the same ad (and day) again (first at line 2)"),
        ("facebook_ads.csv", 9, "Campaign ID", None, "no campaign: the spend cannot be assigned"),
        ("facebook_ads.csv", 10, "Day", "yesterday", "not a date"),
        ("facebook_ads.csv", 11, "Amount spent (USD)", None, "spend is empty"),
    ]


def test_campaigns_keep_the_crm_row_and_add_the_ads_ones(ads_store):
    store, notes = ads_store
    assert rows(store, "select campaign_id, name, channel, start_date::varchar, end_date::varchar, cost "
                       "from campaigns order by 1") == [
        ("C1", "Spring launch (CRM)", "Paid Social", None, None, 100.0),
        ("C2", "Retargeting", "Paid Social", "2026-01-05", "2026-01-06", None),
    ]
    assert any("skipped README.txt" in n for n in notes)
    assert any("facebook_ads.csv: 2 campaign(s), 70.10 spent" in n for n in notes)


def test_roi_and_cost_per_stage_use_campaign_cost_plus_spend(ads_store):
    store, _ = ads_store
    roi = {r["campaign_id"]: r for r in revenue.campaign_roi(store, model="linear").to_dicts()}
    # C1: 100 (CRM) + 15 + 5 (spend) = 120; mqls A, C; sqls A, C; 1 opportunity; OA's 1200 all to T1 (C1).
    c1 = roi["C1"]
    assert (c1["cost"], c1["spend_cost"]) == pytest.approx((120.0, 20.0))
    assert (c1["cost_per_mql"], c1["cost_per_sql"], c1["cost_per_opportunity"]) == pytest.approx((60, 60, 120))
    assert c1["roi"] == pytest.approx(1200 / 120)
    # C2: 20 + 30.10 = 50.10 of spend only; 1 mql, no sql; nothing won: ROI 0.
    c2 = roi["C2"]
    assert c2["cost"] == pytest.approx(50.1) and c2["cost_per_mql"] == pytest.approx(50.1)
    assert c2["cost_per_sql"] is None and c2["roi"] == 0


def test_a_canonical_spend_table_and_a_campaign_only_spend_knows(tmp_path, make_export, import_store):
    store = import_store(make_export(tmp_path, {**CANONICAL, "campaigns": CRM_CAMPAIGNS, "spend": """
        campaign_id,spend_date,cost,impressions
        C1,2026-01-05,7.5,100
        C1,,2.5,
        C9,2026-01-06,40,
        C2,2026-01-06,-1,
        ,2026-01-06,5,
        C2,2026-01-06,,
        """}))
    roi = {r["campaign_id"]: r for r in revenue.campaign_roi(store).to_dicts()}
    assert roi["C1"]["cost"] == pytest.approx(110.0)  # 100 + 7.5 + 2.5
    # C9: no campaigns row, no lead: kept, named by its id, its dates those of its spend
    assert {k: roi["C9"][k] for k in ("name", "cost", "leads", "roi")} == {
        "name": "C9", "cost": 40.0, "leads": 0, "roi": 0.0}
    assert str(roi["C9"]["start_date"]) == "2026-01-06"
    # C2 has a lead but no campaigns row and no valid spend: no cost, so no ROI
    assert roi["C2"]["name"] == "C2" and roi["C2"]["cost"] is None and roi["C2"]["roi"] is None
    assert rows(store, "select line, column_name, reason from rejects order by line") == [
        (5, "cost", "negative cost"), (6, "campaign_id", "required value missing"),
        (7, "cost", "required value missing")]
    assert rows(store, "select sum(impressions::int) from spend") == [(100,)]


def test_alone_the_format_says_what_to_add(tmp_path):
    folder = write_export(tmp_path / "ads", {"facebook_ads": ADS})
    with pytest.raises(ConversionFailed, match=r"facebook_ads.csv: 2 campaign\(s\), 70.10 spent, and no leads.csv "
                                               r"or stage_history.csv: an ad spend export has no leads"):
        convert(folder, load_config())
    p = run_cli("import", folder, "--format", "facebook_ads", "--db", tmp_path / "x.duckdb")
    assert p.returncode == 2 and "Traceback" not in p.stderr and "put it in the folder" in p.stderr.lower()
    write_export(folder, {"facebook_ads": "Campaign name,Reach\nA,1\n"})
    with pytest.raises(ConversionFailed, match="no ad spend export found"):
        convert(folder, load_config())


def test_an_uploaded_zip_of_crm_tables_and_the_ads_export(tmp_path):
    files = {f"export/{k}.csv": textwrap.dedent(v).lstrip().encode()
             for k, v in {**CANONICAL, "facebook_ads": ADS}.items()}
    result = import_upload(zipped(files), tmp_path / "up.duckdb", load_config(), fmt="facebook_ads", say=quiet)
    tables = {t.table: (t.loaded, t.rejected) for t in result.tables}
    # the ads file's five bad rows are rejects of the spend table they were meant for
    assert tables["spend"] == (4, 5) and tables["campaigns"] == (2, 0)


# --- the real file ----------------------------------------------------------------------------------

def real_kag() -> Path:
    return shared_dataset(KAG / "KAG_conversion_data.csv")


@pytest.fixture(scope="module")
def real(tmp_path_factory):
    folder = write_export(tmp_path_factory.mktemp("kag") / "export", {
        "leads": "lead_id,created_at,campaign_id\nL1,2026-01-01,1178\nL2,2026-01-02,936\n",
        "stage_history": "lead_id,stage,entered_at\nL1,lead,2026-01-01\nL1,mql,2026-01-03\nL2,lead,2026-01-02\n"})
    shutil.copy(real_kag(), folder)
    db = folder.parent / "kag.duckdb"
    notes: list[str] = []
    import_folder(folder, db, load_config(), say=notes.append, fmt="facebook_ads")
    store = open_store(db)
    yield store, notes
    store.close()


def test_real_spend_lands_whole_in_campaign_cost(real):
    store, notes = real
    # polars on the raw file: Spent summed per xyz_campaign_id (1,143 ads, no date column)
    assert rows(store, "select campaign_id, spend_date, cost, ads, impressions, clicks, conversions, "
                       "approved_conversions from spend order by cost") == [
        ("916", None, 149.71, "54", "482925", "113", "58", "24"),
        ("936", None, 2893.37, "464", "8128187", "1984", "537", "183"),
        ("1178", None, 55662.15, "625", "204823716", "36068", "2669", "872"),
    ]
    assert rows(store, "select count(*) from rejects") == [(0,)]
    roi = {r["campaign_id"]: r for r in revenue.campaign_roi(store).to_dicts()}
    assert roi["1178"]["cost"] == pytest.approx(55662.15)  # not the 254.05 of its first ad
    assert roi["1178"]["cost_per_mql"] == pytest.approx(55662.15)  # L1 is its one mql
    assert sum(r["cost"] or 0 for r in roi.values()) == pytest.approx(58705.23)
    assert roi["916"]["name"] == "Facebook campaign 916" and roi["916"]["channel"] == "Paid Social"
    assert any("no date column" in n for n in notes)
    assert any(n.startswith("ad campaign(s) 916: no lead or touch") for n in notes)


def test_ads_without_ids_add_up_and_canonical_rejects_keep_their_file(tmp_path, import_store):
    # KAG's shape (no date, no campaign name), two ads with no id on one campaign: both count, 1.5 + 2.25
    ads = "ad_id,xyz_campaign_id,Spent,Impressions\n,7,1.5,10\n,7,2.25,20\nX1,7,1,oops\n"
    leads = CANONICAL["leads"] + "        D,not a date,Paid Social,7\n"
    folder = write_export(tmp_path / "kag", {**CANONICAL, "leads": leads, "kag": ads})
    converted = convert(folder, load_config())
    assert converted.tables["spend"].select("campaign_id", "spend_date", "cost", "ads").rows() == [
        ("7", None, "3.75", "2")]
    assert [(r.line, r.column, r.value, r.reason) for r in converted.rejects] == [
        (4, "Impressions", "oops", "not a number")]
    store = import_store(folder)
    assert rows(store, "select file, line, column_name from rejects where table_name = 'leads'") == [
        ("leads.csv", 5, "created_at")]
