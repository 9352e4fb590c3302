"""One deal policy for every importer (docs/metrics.md): a deal is kept and repaired, never dropped and
never split from its stage entries, so the figures that count won deals agree on every export we ship
or read — the bundled sample, the golden example, each real export in ../shared/datasets through its
own importer (Olist and the mangled copies that import, Maven, the Salesforce 2018 demo org and the
2023 real org with and without its Spanish stage map, X Education through its mapping, the Facebook
ads file beside a small canonical export) and small Salesforce and HubSpot exports in the real header
shapes holding the traps (a deal closed before it was created, a contact created after its deal won)
and test_formats_maven's export (a deal closed before it was engaged).
HubSpot's fivetran raw tables are not read by any format, so they are not here.

What the data model guarantees, over all time, and so what is checked:
- W_f = the funnel's won count (analytics.engine.metrics.funnel) = the number of leads with a won stage entry;
  W_d = the number of won opportunities; L_d = the number of distinct leads of won opportunities.
  Every importer writes a won entry for the lead of each won deal and no other, so the set of leads
  the funnel counts won IS the set of leads of won deals: W_f = L_d, and W_d - W_f = the won deals of
  leads with more than one (W_f = W_d where every won deal has its own lead). An export without any
  deal (X Education) has W_d = 0: its won stage is the lead's conversion alone. HubSpot contacts whose
  lifecycle says Customer with no won deal in the export would be W_f > L_d; the importer says so in a
  note (tested below).
- win/loss's won deals (analytics.engine.winloss) = sourcing's marketing + sales sourced won deals, summed
  over its currency blocks = W_d; each attribution model's credit adds up to the won amount booked, in
  every currency.
- no opportunity is rejected for its dates, and no stage entry for coming before its lead: "closed
  before it was created" is repaired, not refused; every row of the deal file is loaded or rejected.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import polars as pl
import pytest
from conftest import DATASETS, GOLDEN_INPUT, shared_dataset, write_export

from analytics.core.config import load_config
from analytics.engine.metrics import funnel
from analytics.engine.revenue import attribution_models
from analytics.engine.winloss import winloss
from analytics.importers.formats.sources import read_source
from analytics.importers.load import import_folder
from analytics.outputs import reports
from analytics.store.db import SAMPLE_DIR, open_store
from tests import test_formats_hubspot as hubspot
from tests import test_formats_maven as maven
from tests import test_formats_salesforce as salesforce
from tests.test_formats_facebook_ads import CANONICAL as ADS_CRM

ROOT = Path(__file__).resolve().parents[1]
SF = DATASETS / "crm_export_formats" / "salesforce"
OLIST = DATASETS / "olist_marketing_funnel"
MQLS, DEALS = OLIST / "olist_marketing_qualified_leads_dataset.csv", OLIST / "olist_closed_deals_dataset.csv"
VARIANT = OLIST / "variants"
SPANISH = ROOT / "mappings/salesforce_spanish_stages.toml"


def copied(*files: Path):
    """A folder holding only these files (the shipped Olist folder holds its mangled copies below it)."""
    def make(folder: Path) -> Path:
        folder.mkdir()
        for path in files:
            shutil.copy(shared_dataset(path), folder / path.name)
        return folder
    return make


def ads_beside_crm(folder: Path) -> Path:
    write_export(folder, ADS_CRM)
    shutil.copy(shared_dataset(DATASETS / "fb_ad_campaign_conversions/KAG_conversion_data.csv"), folder)
    return folder


# Salesforce: O1 stands alone, created 02-10 and closed (won) 02-01; O2 belongs to contact C1, created
# 03-01 after O2 (02-10). HubSpot: contact 1 created 03-01 after its deal 9001 won (02-01); contact 3 has
# two won deals; contact 2 (only with `customer`) is a lifecycle Customer with no deal.
C1, O1, O2 = "003000000000001AAA", "006000000000001AAA", "006000000000002AAA"


def salesforce_export(folder: Path) -> Path:
    folder.mkdir()
    headers = shared_dataset(SF / "data_export_real_org_2023/headers")
    won = {"StageName": "Closed Won", "Amount": "5000", "IsClosed": "true", "IsWon": "true"}
    salesforce.write(folder / "Contact.csv", salesforce.header(headers / "Contact.header.csv"), [
        {"Id": C1, "LastName": "Uno", "CreatedDate": "2024-03-01T10:00:00.000Z", "IsDeleted": "false"}], loader=True)
    salesforce.write(folder / "Opportunity.csv", salesforce.header(headers / "Opportunity.header.csv"), [
        {"Id": O1, "Name": "lone", "CloseDate": "2024-02-01", "CreatedDate": "2024-02-10T10:00:00.000Z", **won},
        {"Id": O2, "Name": "C1's", "CloseDate": "2024-02-15", "CreatedDate": "2024-02-10T10:00:00.000Z", **won},
    ], loader=True)
    salesforce.write(folder / "OpportunityContactRole.csv",
                     salesforce.header(SF / "data_export_real_org_2023/OpportunityContactRole.csv"), [
        {"Id": "00K000000000001AAA", "OpportunityId": O2, "ContactId": C1,
         "CreatedDate": "2024-03-01T09:05:00.000Z"}], loader=True)
    return folder


def hubspot_export(folder: Path, customer: bool = False) -> Path:
    folder.mkdir()
    contacts = [
        {"Record ID": "1", "Create Date": "2026-03-01 09:00", "Lifecycle Stage": "Customer",
         "Became a Lead Date": "2026-03-01 09:00", "Became a Customer Date": "2026-03-01 10:00"},
        {"Record ID": "3", "Create Date": "2026-01-01 09:00", "Lifecycle Stage": "Lead",
         "Became a Lead Date": "2026-01-01 09:00"},
    ]
    if customer:
        contacts.append({"Record ID": "2", "Create Date": "2026-01-01 09:00", "Lifecycle Stage": "Customer",
                         "Became a Lead Date": "2026-01-01 09:00", "Became a Customer Date": "2026-02-05 10:00"})
    hubspot.write(folder / "contacts.csv", hubspot.CONTACTS_2023, contacts)
    won = {"Deal Stage": "Closed Won", "Pipeline": "Sales Pipeline", "Is Closed Won": "true"}
    hubspot.write(folder / "deals.csv", hubspot.DEALS, [
        {"Record ID": "9001", "Create Date": "2026-01-15 12:00", "Close Date": "2026-02-01 15:30", "Amount": "100",
         "Associated Contact IDs": "1", **won},
        {"Record ID": "9002", "Create Date": "2026-01-15 12:00", "Close Date": "2026-02-01 15:30", "Amount": "100",
         "Associated Contact IDs": "3", **won},
        {"Record ID": "9003", "Create Date": "2026-01-20 12:00", "Close Date": "2026-02-03 15:30", "Amount": "50",
         "Associated Contact IDs": "3", **won},
    ])
    return folder


EXPORTS = {  # name: (folder or folder maker, format, mapping, (deal table, its file) whose rows are all accounted)
    "sample": (SAMPLE_DIR, "canonical", None, ("opportunities", "opportunities.csv")),
    "golden": (GOLDEN_INPUT, "canonical", None, ("opportunities", "opportunities.csv")),
    "olist": (copied(MQLS, DEALS), "olist", None, ("opportunities", DEALS.name)),
    "olist_hu": (copied(VARIANT / "mql__hu_semicolon_bom_crlf.csv",
                        VARIANT / "closed_deals__hu_semicolon_bom_crlf.csv"),
                 "olist", None, ("opportunities", "closed_deals__hu_semicolon_bom_crlf.csv")),
    "olist_excel": (copied(VARIANT / "mql__excel_ddmmyyyy.csv", VARIANT / "closed_deals__excel_ddmmyyyy.csv"),
                    "olist", None, ("opportunities", "closed_deals__excel_ddmmyyyy.csv")),
    "olist_us": (copied(VARIANT / "mql__us_mdy_no_landing_page.csv", DEALS), "olist", None,
                 ("leads", "mql__us_mdy_no_landing_page.csv")),
    "maven": (DATASETS / "maven_crm_sales_opportunities", "maven", None, ("opportunities", "sales_pipeline.csv")),
    "salesforce_2018": (SF / "data_export_demo_org_2018", "salesforce", None, ("opportunities", "Opportunity.csv")),
    # no Opportunity.csv: one opportunity per OpportunityId of its history (test_formats_salesforce checks the ledger)
    "salesforce_2023": (SF / "data_export_real_org_2023", "salesforce", None, None),
    "salesforce_2023_spanish": (SF / "data_export_real_org_2023", "salesforce", SPANISH, None),
    "x_education": (DATASETS / "x_education_leads", "mapped", ROOT / "mappings/x_education.toml",
                    ("leads", "Leads.csv")),
    "facebook_ads": (ads_beside_crm, "facebook_ads", None, ("opportunities", "opportunities.csv")),
    "salesforce_fixture": (salesforce_export, "salesforce", None, ("opportunities", "Opportunity.csv")),
    "hubspot_fixture": (hubspot_export, "hubspot", None, ("opportunities", "deals.csv")),
    # test_formats_maven's export: A7 closed before it was engaged, beside rows that are rejects
    "maven_fixture": (maven.fixture_export, "maven", None, ("opportunities", "sales_pipeline.csv")),
}


def imported(name: str, tmp: Path, **export):
    folder, fmt, mapping, _ = EXPORTS[name]
    folder = folder(tmp / "export", **export) if callable(folder) else shared_dataset(folder)
    notes: list[str] = []
    import_folder(folder, tmp / "db.duckdb", load_config(), say=notes.append, fmt=fmt, mapping=mapping)
    return open_store(tmp / "db.duckdb"), folder, notes


@pytest.fixture(scope="module", params=list(EXPORTS))
def export(request, tmp_path_factory):
    store, folder, _ = imported(request.param, tmp_path_factory.mktemp(request.param))
    yield request.param, store, folder
    store.close()


def one(store, sql: str):
    return store.con.execute(sql).fetchall()[0][0]


def funnel_won(store) -> int:
    return int(funnel(store).filter(pl.col("stage") == store.cfg.won_stage)["leads"].sum())


def test_the_funnels_won_leads_are_the_leads_of_won_deals(export):
    _, store, _ = export
    won_deals, deal_leads = store.con.execute(
        "select count(*), count(distinct lead_id) from opportunities where status = 'won'").fetchall()[0]
    if won_deals == 0:  # no deals at all: the won stage is the lead's conversion, win/loss has nothing
        assert "opportunities" not in store.tables_present() and winloss(store)["won"].sum() == 0
        return
    assert funnel_won(store) == deal_leads
    assert one(store, """select count(*) from (
        (select lead_id from lead_stages where stage = 'won'
         except select lead_id from opportunities where status = 'won')
        union all
        (select lead_id from opportunities where status = 'won'
         except select lead_id from lead_stages where stage = 'won'))""") == 0
    repeat_wins = one(store, "select coalesce(sum(n - 1), 0) from (select count(*) as n from opportunities "
                             "where status = 'won' group by lead_id)")
    assert won_deals - funnel_won(store) == repeat_wins


def test_win_loss_sourcing_and_the_opportunities_count_the_same_won_deals(export):
    _, store, _ = export
    won = one(store, "select count(*) from opportunities where status = 'won'")
    assert winloss(store)["won"].sum() == won
    sourced = reports.REPORTS["sourcing"](store, reports.Options()).filter(
        pl.col("category").is_in(["marketing_sourced", "sales_sourced"]))
    assert sourced["won_deals"].sum() == won


def test_attribution_adds_up_to_the_bookings_in_every_currency(export):
    _, store, _ = export
    for currency in store.currencies():
        _, tie_out = attribution_models(store, "won", "channel", reports.Options(currency=currency).filters)
        assert set(tie_out["difference"]) <= {0.0}, currency


def test_no_deal_or_its_stage_is_refused_for_its_dates_and_every_deal_row_is_accounted_for(export):
    name, store, folder = export
    assert one(store, "select count(*) from rejects where (table_name = 'opportunities' and reason like "
                      "'closed%before%') or reason = 'stage entered before the lead was created'") == 0
    if EXPORTS[name][3] is None:
        return
    table, file = EXPORTS[name][3]
    source = read_source(folder / file)
    rows_read = source.frame.height + len(source.rejects)
    loaded = one(store, f"select count(*) from {table}")
    # a converter's reject names the first table its file feeds (Maven's pipeline: leads), so any table
    rejected = store.con.execute("select count(distinct line) from rejects where file = ?", [file]).fetchall()[0][0]
    assert loaded + rejected == rows_read


# --- the importers' repairs, by hand ------------------------------------------------------------------

def test_salesforce_a_deal_closed_before_it_was_created_keeps_its_won_entry(tmp_path):
    store, _, notes = imported("salesforce_fixture", tmp_path)
    try:
        # O1 lone: its buyer is taken as created at its close (02-01), entering lead, opportunity and won
        # then; C1 (created 03-01) existed by its deal O2's creation (02-10 10:00)
        assert store.con.execute("select lead_id, created_at::varchar from leads order by 1").fetchall() == [
            (C1, "2024-02-10 10:00:00"), (O1, "2024-02-01 00:00:00")]
        assert store.con.execute("select lead_id, stage, entered_at::varchar from stage_history "
                                 "order by 1, 3, 2").fetchall() == [
            (C1, "lead", "2024-02-10 10:00:00"), (C1, "opportunity", "2024-02-10 10:00:00"),
            (C1, "won", "2024-02-15 00:00:00"),
            (O1, "lead", "2024-02-01 00:00:00"), (O1, "opportunity", "2024-02-01 00:00:00"),
            (O1, "won", "2024-02-01 00:00:00")]
        assert (funnel_won(store), winloss(store)["won"].sum(), one(store, "select count(*) from rejects")) == (2, 2, 0)
        # the import takes O1 as created when it closed
        assert store.con.execute("select created_at::varchar from opportunities where opportunity_id = ?",
                                 [O1]).fetchall() == [("2024-02-01 00:00:00",)]
    finally:
        store.close()
    assert (f"1 opportunities closed before their lead, contact or own record was created ({O1}): each person is "
            "taken as created at that close, so the won/lost entry is kept with its deal") in notes
    assert any(n.startswith("1 deals closed before they were created") and O1 in n for n in notes)


def test_hubspot_a_contact_created_after_its_deal_won_is_taken_as_created_by_the_deal(tmp_path):
    store, _, notes = imported("hubspot_fixture", tmp_path, customer=True)
    try:
        assert store.con.execute("select lead_id, created_at::varchar from leads order by 1").fetchall() == [
            ("1", "2026-01-15 12:00:00"), ("2", "2026-01-01 09:00:00"), ("3", "2026-01-01 09:00:00")]
        # contact 1: its deal's entries kept (opportunity 01-15, won 02-01), a lead entry at the deal's first
        # date, then its own lifecycle dates
        assert store.con.execute("select stage, entered_at::varchar from stage_history where lead_id = '1' "
                                 "order by 2, 1").fetchall() == [
            ("lead", "2026-01-15 12:00:00"), ("opportunity", "2026-01-15 12:00:00"), ("won", "2026-02-01 15:30:00"),
            ("lead", "2026-03-01 09:00:00"), ("won", "2026-03-01 10:00:00")]
        assert one(store, "select count(*) from rejects") == 0
        # W_f 3 (1, 2, 3) = L_d 2 (1, 3) + contact 2, a Customer with no deal; W_d 3 = L_d + 3's second win
        assert (funnel_won(store), winloss(store)["won"].sum()) == (3, 3)
        assert one(store, "select count(distinct lead_id) from opportunities where status = 'won'") == 2
    finally:
        store.close()
    assert ("1 deals have dates before their contact was created (9001): each contact is taken as created at its "
            "deal's first date, so the deal keeps its stage entries") in notes
    assert ("1 contacts became customers (lifecycle) with no won deal in the export: the funnel counts them won; "
            "win/loss, sourcing and revenue have no deal for them") in notes
