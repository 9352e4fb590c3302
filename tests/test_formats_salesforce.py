"""`--format salesforce` on real exports (../shared/datasets/crm_export_formats/salesforce) and on tiny
hand-written exports in the real header shapes. Expected figures were counted by hand from the files
(the demo org: 22 leads with statuses 12 Working - Contacted, 4 Closed - Not Converted, 3 Open - Not
Contacted, 3 Closed - Converted, all IsConverted = 0; 31 opportunities, 18 Closed Won with IsWon = 1, all
closed before the org's 2018-10-13 data load, 13 open; OpportunityHistory 2 identical-stage rows each)."""
from __future__ import annotations

import codecs
import csv
import dataclasses
import io
import shutil
from datetime import datetime
from pathlib import Path

import duckdb
import polars as pl
import pytest
from conftest import DATASETS, quiet, run_cli, shared_dataset

from analytics.core.config import load_config
from analytics.importers.formats import SOURCE_FILE, SOURCE_LINE, ConversionFailed
from analytics.importers.formats.salesforce import EMPTY_ID, convert_with_ledger
from analytics.importers.load import ImportFailed, import_folder

ROOT = Path(__file__).resolve().parents[1]
SF = DATASETS / "crm_export_formats/salesforce"
DEMO, REAL = SF / "data_export_demo_org_2018", SF / "data_export_real_org_2023"
SPANISH = ROOT / "mappings/salesforce_spanish_stages.toml"
# LeadHistory has no sample file: its API fields, in API order (FORMATS.md 2.3, [D7]).
LEAD_HISTORY_HEADER = ["Id", "IsDeleted", "LeadId", "CreatedById", "CreatedDate", "Field", "DataType",
                       "OldValue", "NewValue"]


def copy(src: Path, dest: Path, *names: str) -> Path:
    src = shared_dataset(src)
    dest.mkdir(parents=True, exist_ok=True)
    for name in names or [p.name for p in src.glob("*.csv")]:
        shutil.copy(src / name, dest / name)
    return dest


def query(db: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def header(path: Path) -> list[str]:
    with open(shared_dataset(path), encoding="latin-1", newline="") as f:
        return next(csv.reader(f))


def write(path: Path, columns: list[str], rows: list[dict], *, loader: bool, encoding: str = "utf-8",
          caps: bool = False) -> None:
    """Every value quoted, as both producers write. Data Loader: UTF-8 with a BOM and empty lookups;
    Data Export: no BOM, `000000000000000AAA` in lookup columns a row leaves out."""
    for row in rows:
        assert set(row) <= set(columns), set(row) - set(columns)
    out = io.StringIO()
    w = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\n")
    w.writerow([c.upper() for c in columns] if caps else columns)
    for row in rows:
        w.writerow([row.get(c, "" if loader or not c.endswith("Id") or c == "Id" else EMPTY_ID) for c in columns])
    data = out.getvalue().encode(encoding)
    path.write_bytes((codecs.BOM_UTF8 if loader else b"") + data)


def check_ledger(converted, ledger, folder: Path) -> None:
    """Every data row of every file read is loaded (some output row points at it), rejected (a
    reject points at it) or counted under a stated reason."""
    sources = set()
    for frame in converted.tables.values():
        sources |= set(zip(frame[SOURCE_FILE].to_list(), frame[SOURCE_LINE].to_list()))
    rejected = {(r.file, r.line) for r in converted.rejects}
    for file in ledger.order:
        with open(folder / file, "rb") as f:
            text = codecs.decode(f.read(), "latin-1")
        data_lines = {n for n, _ in enumerate(csv.reader(io.StringIO(text.lstrip("\ufeff"))), start=1)} - {1}
        outcomes = ledger.rows[file]
        assert set(outcomes) == data_lines, file
        for line, outcome in outcomes.items():
            if outcome == "loaded":
                assert (file, line) in sources, (file, line)
            elif outcome == "rejected":
                assert (file, line) in rejected, (file, line)
            else:
                assert outcome and outcome[0].isalpha()


# --- the real demo-org Data Export ------------------------------------------------------------------

@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    folder = copy(DEMO, tmp_path_factory.mktemp("demo") / "export")
    db = folder.parent / "sf.duckdb"
    import_folder(folder, db, load_config(), say=quiet, fmt="salesforce")
    return folder, db


def test_demo_org_tables_and_stages(demo):
    _, db = demo
    counts = dict(query(db, "select table_name, rows_loaded from import_files"))
    assert counts == {"leads": 53, "stage_history": 106, "touches": 0, "campaigns": 4, "opportunities": 31,
                      "opportunity_history": 62}  # every OpportunityHistory row, repeats included
    # 22 leads + 31 opportunities with no lead or contact, each standing for its own buyer
    assert query(db, "select crm_object, count(*) from leads group by all order by 1") == [
        ("Lead", 22), ("Opportunity", 31)]
    stages = dict(query(db, "select stage || ':' || coalesce(crm_stage, ''), count(*) from stage_history group by all"))
    assert stages == {"lead:": 53, "mql:Open - Not Contacted": 3, "sal:Working - Contacted": 12,
                      "sql:Closed - Converted": 3, "disqualified:Closed - Not Converted": 4,
                      "won:Closed Won": 18,
                      "opportunity:Qualification": 1, "opportunity:Prospecting": 1,
                      "opportunity:Needs Analysis": 1, "opportunity:Value Proposition": 2,
                      "opportunity:Id. Decision Makers": 3, "opportunity:Perception Analysis": 1,
                      "opportunity:Proposal/Price Quote": 2, "opportunity:Negotiation/Review": 2}
    # times are the export's, read as UTC: everything was loaded into the demo org at once
    assert query(db, "select distinct entered_at from stage_history") == [(datetime(2018, 10, 13, 17, 16, 45),)]


def test_demo_org_won_lost_from_flags_and_backdated_closes(demo):
    folder, db = demo
    converted, _ = convert_with_ledger(folder, load_config())
    status = converted.tables["opportunities"].group_by("status").len().sort("status").rows()
    assert status == [("open", 13), ("won", 18)]
    assert converted.tables["opportunities"].filter(pl.col("status") == "won")["amount"].cast(float).sum() == 3645000
    # every won deal closed (CloseDate) before the record was created: one deal policy, the deals stay
    # (taken as created when they closed), so the funnel's 18 won equal win/loss's 18 won
    assert query(db, "select count(*) from rejects") == [(0,)]
    assert query(db, "select count(*) from opportunities where status = 'won' and created_at = closed_at") == [(18,)]
    assert query(db, "select count(*) from opportunities where status = 'open' and closed_at is null") == [(13,)]
    assert query(db, "select count(distinct lead_id) from lead_stages where stage = 'won'") == [(18,)]
    assert any("3 leads have a converted status but IsConverted = 0" in n for n in converted.notes)
    assert any("no LeadHistory" in n for n in converted.notes)


def test_demo_org_every_row_is_accounted_for(demo):
    folder, _ = demo
    converted, ledger = convert_with_ledger(folder, load_config())
    check_ledger(converted, ledger, folder)
    assert "Contact.csv: 35 rows: 35 contacts outside the funnel (no opportunity, not from a lead)" in converted.notes
    assert ("OpportunityHistory.csv: 62 rows: 31 stage entries, 31 repeats of the same stage (amount or date "
            "edits), merged") in converted.notes


def test_demo_org_through_the_cli(demo, tmp_path):
    folder, _ = demo
    db = tmp_path / "cli.duckdb"
    p = run_cli("import", folder, "--format", "salesforce", "--db", db)
    assert p.returncode == 0, p.stderr
    assert "opportunities                31 loaded         0 rejected" in p.stdout
    assert "18 deals closed before they were created (entered in the CRM after they closed): kept" in p.stdout
    p = run_cli("report", "conversion", "--db", db, "--format", "csv")
    assert p.returncode == 0 and "Traceback" not in p.stderr


# --- the real 2023 org: Latin-1 OpportunityHistory with custom Spanish stages ------------------------

@pytest.fixture(scope="module")
def spanish(tmp_path_factory):
    folder = copy(REAL, tmp_path_factory.mktemp("real2023") / "export",
                  "OpportunityHistory.csv", "OpportunityContactRole.csv", "Campaign.csv", "CampaignMember.csv")
    db = folder.parent / "sf.duckdb"
    import_folder(folder, db, load_config(), say=quiet, fmt="salesforce", mapping=SPANISH)
    return folder, db


def test_spanish_stages_map_and_repeats_collapse(spanish):
    folder, db = spanish
    converted, ledger = convert_with_ledger(folder, load_config(), SPANISH)
    # 2,809 rows of 512 opportunities; 1,478 only change the amount or a date: 1,331 stage entries
    assert ("OpportunityHistory.csv: 2,809 rows: 1,331 stage entries, 1,478 repeats of the same stage "
            "(amount or date edits), merged") in converted.notes
    check_ledger(converted, ledger, folder)
    stages = dict(query(db, "select stage || ':' || crm_stage, count(*) from stage_history "
                            "where crm_stage is not null group by all"))
    assert stages == {"sql:Interes": 61, "opportunity:Diseño Propuesta": 81,
                      "opportunity:Presentación Propuesta": 203, "opportunity:Negociación": 308,
                      "opportunity:Firmas": 312, "won:Closed Won": 163, "lost:Closed Lost": 203}
    assert sum(stages.values()) == 1331
    assert query(db, "select count(*) from stage_history where stage = 'lead'") == [(512,)]


def test_spanish_text_is_intact(spanish):
    _, db = spanish
    labels = {r[0] for r in query(db, "select distinct crm_stage from stage_history where crm_stage is not null")}
    assert "Negociación" in labels and "Diseño Propuesta" in labels and "Presentación Propuesta" in labels
    assert not any("Ã" in label or "\ufffd" in label for label in labels)


def test_spanish_one_opportunity_by_hand(spanish):
    _, db = spanish
    # 0068a00001JMUl0AAH: 13 rows (lines 2-1562): Interes x5, Firmas x7, Closed Won
    rows = query(db, "select stage, crm_stage, entered_at from stage_history "
                     "where lead_id = '0068a00001JMUl0AAH' order by entered_at, stage")
    assert rows == [("lead", None, datetime(2023, 2, 7, 20, 47, 49)),
                    ("sql", "Interes", datetime(2023, 2, 7, 20, 47, 49)),
                    ("opportunity", "Firmas", datetime(2023, 3, 31, 18, 53, 55)),
                    ("won", "Closed Won", datetime(2023, 5, 11, 21, 24, 33))]
    assert query(db, "select status, amount, closed_at, currency from opportunities "
                     "where opportunity_id = '0068a00001JMUl0AAH'") == [
        ("won", 9225.225, datetime(2023, 5, 11), "PEN")]

def test_spanish_changes_in_the_same_second_follow_id_order(spanish):
    folder, _ = spanish
    converted, _ = convert_with_ledger(folder, load_config(), SPANISH)
    # lines 1756 and 1765 were both written at 2023-06-05 21:29:09: Id order, which the
    # FromOpportunityStageName chain confirms (Negociación, then Firmas from Negociación)
    rows = converted.tables["stage_history"].filter((pl.col("lead_id") == "0068a00001MYsHNAA1")
                                                     & (pl.col("stage") != "lead"))  # its history, in order
    assert rows["crm_stage"].to_list() == ["Diseño Propuesta", "Presentación Propuesta", "Negociación", "Firmas",
                                           "Closed Lost"]
    assert rows["_source_line"].to_list() == [323, 1764, 1756, 1765, 1726]


def test_spanish_opportunities_rebuilt_from_history(spanish):
    folder, db = spanish
    converted, _ = convert_with_ledger(folder, load_config(), SPANISH)
    status = dict(converted.tables["opportunities"].group_by("status").len().rows())
    assert status == {"won": 163, "lost": 203, "open": 146}
    assert query(db, "select count(*) from opportunities") == [(512,)]
    assert query(db, "select count(*) from rejects") == [(0,)]
    # no rates in this export: each currency stays its own (docs/metrics.md "Money")
    assert query(db, "select amount_currency, count(*) from opportunities group by all order by 2 desc") == [
        ("MXN", 220), ("COP", 107), ("USD", 105), ("PEN", 80)]


def test_spanish_stages_without_the_mapping_are_named(tmp_path):
    folder = copy(REAL, tmp_path / "export", "OpportunityHistory.csv")
    converted, _ = convert_with_ledger(folder, load_config())
    note = next(n for n in converted.notes if n.startswith("opportunity stages not in the map"))
    assert "Interes" in note and "Negociación" in note and "Closed Won" not in note
    history = converted.tables["stage_history"]
    assert history.filter(pl.col("crm_stage") == "Interes")["stage"].unique().to_list() == ["opportunity"]


# --- tiny exports in the real header shapes ----------------------------------------------------------

L1, L2, L3, L4 = (f"00Q00000000000{n}AAA" for n in range(1, 5))
C1, C2, C3 = (f"00300000000000{n}AAA" for n in range(1, 4))
O1, O2, O3, O4 = (f"00600000000000{n}AAA" for n in range(1, 5))
U1, CP1 = "005000000000001AAA", "701000000000001AAA"


def loader_export(folder: Path) -> Path:
    """A small org exported with the Data Loader: ISO ...Z times, true/false, empty lookups, BOM."""
    folder.mkdir(parents=True, exist_ok=True)
    h = shared_dataset(REAL / "headers")
    write(folder / "User.csv", header(h / "User.header.csv"), [
        {"Id": U1, "FirstName": "Ana", "LastName": "Costa", "Title": "Account Executive", "Department": "Sales",
         "IsActive": "true"}], loader=True, caps=True)
    write(folder / "Lead.csv", header(h / "Lead.header.csv"), [
        {"Id": L1, "LastName": "Uno", "Company": "Acme", "LeadSource": "Web", "Status": "Qualified",
         "IsConverted": "true", "ConvertedDate": "2024-01-20", "ConvertedOpportunityId": O1,
         "ConvertedContactId": C1, "OwnerId": U1, "CreatedDate": "2024-01-10T09:00:00.000Z", "IsDeleted": "false"},
        {"Id": L2, "LastName": "Dos", "Company": "Beta", "LeadSource": "Webinar", "Status": "Working",
         "IsConverted": "false", "OwnerId": U1, "CreatedDate": "2024-01-11T10:30:00.000Z", "IsDeleted": "false"},
        {"Id": L3, "LastName": "Tres", "Company": "Gamma", "Status": "Closed - Converted", "IsConverted": "false",
         "CreatedDate": "2024-01-12T11:00:00.000Z", "IsDeleted": "false"},
        {"Id": L4, "LastName": "Cuatro", "Company": "Delta", "Status": "Mystery", "IsConverted": "false",
         "CreatedDate": "2024-01-13T12:00:00.000Z", "IsDeleted": "false"},
    ], loader=True)
    write(folder / "LeadHistory.csv", LEAD_HISTORY_HEADER, [
        {"Id": "017000000000001AAA", "LeadId": L1, "CreatedDate": "2024-01-10T09:00:00.000Z", "Field": "created"},
        {"Id": "017000000000002AAA", "LeadId": L1, "CreatedDate": "2024-01-15T09:00:00.000Z", "Field": "Status",
         "OldValue": "New", "NewValue": "Working"},
        {"Id": "017000000000003AAA", "LeadId": L1, "CreatedDate": "2024-01-19T09:00:00.000Z", "Field": "Status",
         "OldValue": "Working", "NewValue": "Qualified"},
        {"Id": "017000000000004AAA", "LeadId": L2, "CreatedDate": "2024-01-12T08:00:00.000Z", "Field": "Status",
         "OldValue": "New", "NewValue": "Working"},
    ], loader=True)
    write(folder / "Contact.csv", header(h / "Contact.header.csv"), [
        {"Id": C1, "LastName": "Uno", "CreatedDate": "2024-01-20T10:00:00.000Z", "IsDeleted": "false"},
        {"Id": C2, "LastName": "Cinco", "LeadSource": "Partner", "CreatedDate": "2024-02-10T00:00:00.000Z",
         "IsDeleted": "false"},
        {"Id": C3, "LastName": "Seis", "CreatedDate": "2024-01-05T00:00:00.000Z", "IsDeleted": "false"},
    ], loader=True)
    write(folder / "Opportunity.csv", header(h / "Opportunity.header.csv"), [
        {"Id": O1, "Name": "Acme deal", "StageName": "Closed Won", "Amount": "5000", "CloseDate": "2024-02-15",
         "IsClosed": "true", "IsWon": "true", "OwnerId": U1, "CreatedDate": "2024-01-20T10:00:00.000Z"},
        # a custom closed stage no map knows: IsWon says won
        {"Id": O2, "Name": "Cinco deal", "StageName": "Signed", "Amount": "7000", "CloseDate": "2024-03-01",
         "IsClosed": "true", "IsWon": "true", "CreatedDate": "2024-02-01T09:00:00.000Z"},
        # a label the default map calls lost, used as an open stage: IsClosed says open
        {"Id": O3, "Name": "Lone open", "StageName": "Closed Lost", "Amount": "1000", "CloseDate": "2024-04-01",
         "IsClosed": "false", "IsWon": "false", "CreatedDate": "2024-02-05T09:00:00.000Z"},
        # lost on the day it was created (CloseDate is a date)
        {"Id": O4, "Name": "Lone lost", "StageName": "Lost - No Budget", "Amount": "800", "CloseDate": "2024-02-06",
         "IsClosed": "true", "IsWon": "false", "Loss_Reason__c": "No budget",
         "CreatedDate": "2024-02-06T15:00:00.000Z"},
    ], loader=True)
    write(folder / "OpportunityHistory.csv", header(REAL / "OpportunityHistory.csv"), [
        {"Id": f"00800000000000{n}AAA", "OpportunityId": O1, "CreatedDate": at, "StageName": stage, "Amount": amount,
         "CloseDate": "2024-02-15"}
        for n, (at, stage, amount) in enumerate([
            ("2024-01-20T10:00:00.000Z", "Prospecting", "4000"), ("2024-01-25T10:00:00.000Z", "Prospecting", "5000"),
            ("2024-02-01T10:00:00.000Z", "Negotiation/Review", "5000"),
            ("2024-02-05T10:00:00.000Z", "Negotiation/Review", "5000"),
            ("2024-02-15T12:00:00.000Z", "Closed Won", "5000")], start=1)
    ], loader=True)
    write(folder / "OpportunityContactRole.csv", header(REAL / "OpportunityContactRole.csv"), [
        {"Id": "00K000000000001AAA", "OpportunityId": O2, "ContactId": C2, "CreatedDate": "2024-02-01T09:05:00.000Z"},
        {"Id": "00K000000000002AAA", "OpportunityId": O2, "ContactId": C3, "CreatedDate": "2024-02-02T09:05:00.000Z"},
    ], loader=True)
    write(folder / "Campaign.csv", header(REAL / "Campaign.csv"), [
        {"Id": CP1, "Name": "January webinar", "Type": "Webinar", "StartDate": "2024-01-01", "EndDate": "2024-01-31",
         "ActualCost": "1200", "CreatedDate": "2023-12-01T00:00:00.000Z"}], loader=True)
    member = [("00v000000000001AAA", L2, "", "true", "2024-01-11"),
              ("00v000000000002AAA", L1, "", "false", ""),
              ("00v000000000003AAA", "", C2, "true", "2024-01-30"),
              ("00v000000000004AAA", "", C1, "true", "2024-01-09"),
              ("00v000000000005AAA", "00Q000000000099AAA", "", "true", "2024-01-09")]
    write(folder / "CampaignMember.csv", header(REAL / "CampaignMember.csv"), [
        {"Id": i, "CampaignId": CP1, "LeadId": lead, "ContactId": contact, "HasResponded": responded,
         "FirstRespondedDate": day, "Status": "Responded" if responded == "true" else "Sent",
         "CreatedDate": "2024-01-08T00:00:00.000Z"} for i, lead, contact, responded, day in member], loader=True)
    write(folder / "Task.csv", header(h / "Task.header.csv"), [
        {"Id": "00T000000000001AAA", "WhoId": L2, "Subject": "Call", "Status": "Completed", "IsClosed": "true",
         "Type": "Call", "OwnerId": U1, "CreatedDate": "2024-01-12T09:20:00.000Z",
         "CompletedDateTime": "2024-01-12T09:15:00.000Z"},
        {"Id": "00T000000000002AAA", "WhoId": C3, "Subject": "Check-in", "Status": "Completed", "IsClosed": "true",
         "CreatedDate": "2024-01-20T09:00:00.000Z"},
        {"Id": "00T000000000003AAA", "WhoId": L1, "Subject": "Follow up", "Status": "Not Started",
         "IsClosed": "false", "CreatedDate": "2024-01-16T09:00:00.000Z"},
        {"Id": "00T000000000004AAA", "WhatId": O3, "Subject": "Call about the deal", "Status": "Completed",
         "IsClosed": "true", "CallType": "Outbound", "OwnerId": U1, "CreatedDate": "2024-02-07T10:00:00.000Z"},
        {"Id": "00T000000000005AAA", "WhoId": C1, "Subject": "Proposal sent", "Status": "Completed",
         "IsClosed": "true", "Type": "Email", "OwnerId": U1, "CreatedDate": "2024-01-21T10:00:00.000Z"},
    ], loader=True)
    return folder


@pytest.fixture(scope="module")
def loader(tmp_path_factory):
    folder = loader_export(tmp_path_factory.mktemp("loader") / "export")
    db = folder.parent / "sf.duckdb"
    import_folder(folder, db, load_config(), say=quiet, fmt="salesforce")
    return folder, db


def test_loader_files_are_real_shapes(loader):
    folder, _ = loader
    raw = (folder / "Lead.csv").read_bytes()
    assert raw.startswith(codecs.BOM_UTF8 + b'"Id","IsDeleted","MasterRecordId"') and b"T09:00:00.000Z" in raw
    assert (folder / "User.csv").read_bytes().startswith(codecs.BOM_UTF8 + b'"ID","USERNAME"')


def test_loader_counts_and_rejects(loader):
    folder, db = loader
    counts = dict(query(db, "select table_name, rows_loaded + rows_rejected from import_files"))
    # the converter's 3 rejects count under the table their file feeds (Lead, CampaignMember, Task)
    assert counts == {"leads": 8, "stage_history": 21, "touches": 4, "campaigns": 1, "opportunities": 4,
                      "activities": 4, "reps": 1, "opportunity_history": 5}
    assert query(db, "select file, line, column_name, value from rejects order by file") == [
        ("CampaignMember.csv", 6, "LeadId", "00Q000000000099AAA"),
        ("Lead.csv", 5, "Status", "Mystery"),
        ("Task.csv", 3, "WhoId", C3),
    ]
    converted, ledger = convert_with_ledger(folder, load_config())
    check_ledger(converted, ledger, folder)
    assert "Task.csv: 5 rows: 3 activities, 1 open tasks (not done yet, not activities), 1 rejected" in converted.notes


def test_loader_iso_z_times_and_lead_history(loader):
    _, db = loader
    rows = query(db, f"select stage, entered_at, entered_at_source from stage_history where lead_id = '{L1}' "
                     "order by entered_at, stage")
    assert rows == [
        ("lead", datetime(2024, 1, 10, 9), "Lead.CreatedDate"),
        ("mql", datetime(2024, 1, 10, 9), "status at creation (LeadHistory OldValue)"),
        ("sal", datetime(2024, 1, 15, 9), "LeadHistory"),
        ("sql", datetime(2024, 1, 19, 9), "LeadHistory"),
        # the converted opportunity's history, Prospecting and Negotiation/Review repeats collapsed
        ("opportunity", datetime(2024, 1, 20, 10), "OpportunityHistory"),
        ("opportunity", datetime(2024, 2, 1, 10), "OpportunityHistory"),
        ("won", datetime(2024, 2, 15, 12), "OpportunityHistory"),
    ]
    # a status label is not a conversion: L3 counts as sql by its status, with no opportunity
    assert query(db, f"select stage from stage_history where lead_id = '{L3}' order by stage") == [("lead",), ("sql",)]
    # an unmapped status is rejected; the lead itself loads
    assert query(db, f"select stage from stage_history where lead_id = '{L4}'") == [("lead",)]


def test_loader_won_lost_from_flags_not_labels(loader):
    _, db = loader
    rows = query(db, "select opportunity_id, lead_id, status, closed_at, loss_reason from opportunities order by 1")
    assert rows == [
        (O1, L1, "won", datetime(2024, 2, 15), None),
        (O2, C2, "won", datetime(2024, 3, 1), None),            # "Signed": IsWon = true
        (O3, O3, "open", None, None),                           # "Closed Lost" label, IsClosed = false
        (O4, O4, "lost", datetime(2024, 2, 6, 15), "No budget"),  # closed the day it was created
    ]
    stages = query(db, "select lead_id, stage, entered_at_source from stage_history join stage_config using (stage) "
                       f"where lead_id in ('{C2}', '{O3}', '{O4}') order by lead_id, entered_at, stage_order")
    assert stages == [
        (C2, "lead", "Contact.CreatedDate"), (C2, "opportunity", "Opportunity.CreatedDate"),
        (C2, "won", "Opportunity.CloseDate (IsClosed = 1)"),
        (O3, "lead", "Opportunity.CreatedDate"),
        (O3, "opportunity", "Opportunity.CreatedDate (current stage, no history)"),
        (O4, "lead", "Opportunity.CreatedDate"), (O4, "opportunity", "Opportunity.CreatedDate"),
        (O4, "lost", "Opportunity.CloseDate (IsClosed = 1)"),
    ]
    # C2 was created after its opportunity: as a funnel person it exists from the opportunity on
    assert query(db, f"select created_at, source from leads where lead_id = '{C2}'") == [
        (datetime(2024, 2, 1, 9), "Partner")]


def test_loader_campaign_members_become_touches(loader):
    _, db = loader
    rows = query(db, "select touch_id, lead_id, occurred_at, channel, campaign_id, touch_type from touches order by 1")
    assert rows == [
        ("00v000000000001AAA", L2, datetime(2024, 1, 11), "Webinar", CP1, "Responded"),
        ("00v000000000003AAA", C2, datetime(2024, 1, 30), "Webinar", CP1, "Responded"),
        ("00v000000000004AAA", L1, datetime(2024, 1, 9), "Webinar", CP1, "Responded"),  # via the converted contact
    ]
    assert query(db, "select lead_id, campaign_id from leads where campaign_id is not null order by 1") == [
        (C2, CP1), (L1, CP1), (L2, CP1)]
    assert query(db, "select campaign_id, channel, cost, start_date::varchar from campaigns") == [
        (CP1, "Webinar", 1200.0, "2024-01-01")]


def test_loader_tasks_become_activities(loader):
    _, db = loader
    rows = query(db, "select activity_id, lead_id, rep_id, occurred_at, activity_type from activities order by 1")
    assert rows == [
        ("00T000000000001AAA", L2, U1, datetime(2024, 1, 12, 9, 15), "call"),   # CompletedDateTime
        ("00T000000000004AAA", O3, U1, datetime(2024, 2, 7, 10), "call"),        # WhatId -> the opportunity
        ("00T000000000005AAA", L1, U1, datetime(2024, 1, 21, 10), "email"),      # WhoId -> converted contact
    ]
    assert query(db, "select rep_id, name, role, team from reps") == [(U1, "Ana Costa", "Account Executive", "Sales")]


# --- a Data Export in Latin-1: 0/1, the empty-lookup value, rich text with a NUL byte -----------------

def test_data_export_latin1_empty_lookup_and_nul(tmp_path):
    folder = tmp_path / "export"
    folder.mkdir()
    h = shared_dataset(REAL / "headers")
    write(folder / "Lead.csv", header(h / "Lead.header.csv"), [
        {"Id": "00Q000000000101AAA", "IsDeleted": "0", "LastName": "Quispe", "Company": "Compañía Andina",
         "Status": "New", "IsConverted": "0", "CreatedDate": "2023-03-01 14:00:00", "OwnerId": U1}],
          loader=False, encoding="latin-1")
    write(folder / "Opportunity.csv", header(h / "Opportunity.header.csv"), [
        {"Id": "006000000000101AAA", "IsDeleted": "0", "Name": "Diseño", "StageName": "Negociación", "Amount": "18490",
         "CloseDate": "2023-04-01 00:00:00", "IsClosed": "0", "IsWon": "0", "CurrencyIsoCode": "PEN",
         "ClosingPlan__c": "\x00<p>Plan de cierre</p>", "CreatedDate": "2023-03-02 10:00:00"},
        {"Id": "006000000000102AAA", "IsDeleted": "1", "Name": "Borrada", "StageName": "Interes",
         "IsClosed": "0", "IsWon": "0", "CreatedDate": "2023-03-02 11:00:00"}],
          loader=False, encoding="latin-1")
    raw = (folder / "Opportunity.csv").read_bytes()
    assert b"Negociaci\xf3n" in raw and b"\x00<p>" in raw and EMPTY_ID.encode() in raw
    cfg = dataclasses.replace(load_config(), timezone="America/Lima")
    converted, ledger = convert_with_ledger(folder, cfg, SPANISH)
    check_ledger(converted, ledger, folder)
    leads = converted.tables["leads"].sort("lead_id", descending=True)
    assert leads["lead_id"].to_list() == ["00Q000000000101AAA", "006000000000101AAA"]
    assert leads["company"].to_list() == ["Compañía Andina", None]
    assert leads["campaign_id"].to_list() == [None, None]          # 000000000000000AAA is no campaign
    # Data Export times are UTC whatever the business time zone is
    assert leads["created_at"].to_list()[0] == datetime.fromisoformat("2023-03-01 14:00:00+00:00")
    assert converted.tables["opportunities"]["crm_stage"].to_list() == ["Negociación"]
    for frame in converted.tables.values():
        for column in frame.columns:
            if frame[column].dtype == pl.String:
                assert not frame[column].str.contains("\x00").any()
    assert ledger.rows["Opportunity.csv"][3] == "deleted in Salesforce (IsDeleted = 1), skipped"


# --- unreadable input: a message naming the file and column, no traceback ---------------------------

def test_missing_column_and_bad_mapping_stop_with_a_message(tmp_path):
    folder = tmp_path / "export"
    folder.mkdir()
    (folder / "Opportunity.csv").write_text('"Id","StageName","CreatedDate"\n"006000000000001AAA","Prospecting",'
                                            '"2024-01-01 00:00:00"\n')
    with pytest.raises(ImportFailed, match=r"Opportunity.csv: required column 'IsClosed' is missing"):
        import_folder(folder, tmp_path / "x.duckdb", load_config(), say=quiet, fmt="salesforce")
    bad = tmp_path / "bad.toml"
    bad.write_text('[salesforce.opportunity_stage]\n"Firmas" = "signed"\n')
    with pytest.raises(ConversionFailed, match=r"bad.toml: \[salesforce.opportunity_stage\]: 'Firmas' = 'signed' "
                                               "is not a configured stage"):
        convert_with_ledger(folder, load_config(), bad)
    p = run_cli("import", tmp_path / "nothing-here", "--format", "salesforce", "--db", tmp_path / "y.duckdb")
    assert p.returncode != 0 and "Traceback" not in p.stderr
    (tmp_path / "empty").mkdir()
    p = run_cli("import", tmp_path / "empty", "--format", "salesforce", "--db", tmp_path / "y.duckdb")
    assert p.returncode != 0 and "no Salesforce export found" in p.stderr and "Traceback" not in p.stderr
