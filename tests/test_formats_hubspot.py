"""`--format hubspot` on tiny exports in the real header shapes (../shared/datasets/crm_export_formats/
hubspot/user_export_headers: only header rows are public, as the rows hold real people). Each fixture
fills a few columns of a real header row; the expected figures are worked out by hand below."""
from __future__ import annotations

import csv
import dataclasses
import io
from datetime import datetime
from pathlib import Path

import duckdb
import pytest
from conftest import DATASETS, quiet, run_cli, shared_dataset

from analytics.core.config import load_config
from analytics.importers.formats import ConversionFailed
from analytics.importers.formats.hubspot import convert_with_ledger
from analytics.importers.load import import_folder

HEADERS = DATASETS / "crm_export_formats/hubspot/user_export_headers"
ALL_2026 = HEADERS / "contacts_all_properties_2026.header.csv"
RESAVED = HEADERS / "contacts_with_company_excel_resaved.header.csv"
# No public file of these two: the older contacts labels and a deals export, as FORMATS.md 3.2/3.3 list them.
CONTACTS_2023 = ["Record ID", "First Name", "Last Name", "Email", "Lifecycle Stage", "Lead Status", "Contact owner",
                 "Create Date", "Last Modified Date", "Original Source", "Original Source Drill-Down 1",
                 "Original Source Drill-Down 2", "HubSpot Score", "Became a Subscriber Date", "Became a Lead Date",
                 "Became a Marketing Qualified Lead Date", "Became a Sales Qualified Lead Date",
                 "Became an Opportunity Date", "Became a Customer Date", "Became an Evangelist Date",
                 "Became an Other Lifecycle Date", "Associated Company", "Associated Company IDs", "Associated Deal",
                 "Associated Deal IDs"]
DEALS = ["Record ID", "Deal Name", "Last Activity Date", "Deal Stage", "Close Date", "Deal owner", "Amount",
         "Pipeline", "Create Date", "Deal Type", "Closed Lost Reason", "Closed Won Reason", "Is Closed Won",
         'Date entered "Appointment Scheduled (Sales Pipeline)"', 'Date entered "Closed Won (Sales Pipeline)"',
         "Associated Contact", "Associated Contact IDs", "Associated Company", "Associated Company IDs"]


def header(path: Path) -> list[str]:
    with open(shared_dataset(path), encoding="utf-8", newline="") as f:
        return next(csv.reader(f))


def write(path: Path, columns: list[str], rows: list[dict], *, resaved: bool = False) -> None:
    """A HubSpot UI export (UTF-8, no BOM, LF, every value quoted) or, `resaved`, the same passed
    through a spreadsheet (quotes only where needed, CRLF). Rows name columns by label; a repeated
    label is addressed as `label#2`."""
    seen: dict[str, int] = {}
    keys = []
    for c in columns:
        seen[c] = seen.get(c, 0) + 1
        keys.append(c if seen[c] == 1 else f"{c}#{seen[c]}")
    for row in rows:
        assert set(row) <= set(keys), set(row) - set(keys)
    out = io.StringIO()
    w = csv.writer(out, quoting=csv.QUOTE_MINIMAL if resaved else csv.QUOTE_ALL,
                   lineterminator="\r\n" if resaved else "\n")
    w.writerow(columns)
    for row in rows:
        w.writerow([row.get(k, "") for k in keys])
    path.write_bytes(out.getvalue().encode("utf-8"))


def entered(stage: str) -> str:
    return f'Date entered "{stage} (Lifecycle Stage Pipeline)"'


def query(db: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def by_stage(db: Path, lead_id: str) -> list[tuple]:
    return query(db, "select stage, entered_at, entered_at_source from stage_history join stage_config using (stage) "
                     f"where lead_id = '{lead_id}' order by entered_at, stage_order, entered_at_source")


def contacts_2026(folder: Path) -> None:
    write(folder / "all-contacts.csv", header(ALL_2026), [
        {"Record ID": "101", "First Name": "Ada", "Create Date": "2026-01-05 09:00", "Lifecycle Stage": "Customer",
         entered("Lead"): "2026-01-05 09:00", entered("Marketing Qualified Lead"): "2026-01-06 10:00",
         entered("Sales Qualified Lead"): "2026-01-08 11:00", entered("Opportunity"): "2026-01-10 12:00",
         entered("Customer"): "2026-02-01 15:30", "Original Traffic Source": "Organic Search",
         "Original Traffic Source Drill-Down 1": "google", "Contact owner": "Ana Costa", "HubSpot Score": "35.0",
         "Industry": "Software", "Country/Region": "Spain", "Associated Company IDs": "5001",
         "Associated Deal IDs": "9001"},
        {"Record ID": "102", "Create Date": "2026-01-07 08:15", "Lifecycle Stage": "Marketing Qualified Lead",
         entered("Lead"): "2026-01-07 08:15", entered("Marketing Qualified Lead"): "2026-01-09 09:00",
         "Original Traffic Source": "Paid Social", "Contact owner": "Ben Okafor",
         "Associated Deal IDs": "9002;9003"},
        {"Record ID": "103", "Create Date": "2026-01-08 07:00", "Lifecycle Stage": "Subscriber",
         entered("Subscriber"): "2026-01-08 07:00", "Original Traffic Source": "Direct Traffic"},
        {"Record ID": "104", "Create Date": "2026-01-09 16:45", "Lifecycle Stage": "Sales Qualified Lead",
         "Original Traffic Source": "Offline Sources", "Contact owner": "Ana Costa"},
        {"Record ID": "105", "Create Date": "2026-01-10 10:00", "Lifecycle Stage": "Lead",
         entered("Lead"): "2026-01-10 10:00", "HubSpot Score": "250.0"},
    ])


def deals(folder: Path) -> None:
    write(folder / "all-deals.csv", DEALS, [
        {"Record ID": "9001", "Deal Name": "Ada renewal", "Deal Stage": "Closed Won", "Pipeline": "Sales Pipeline",
         "Create Date": "2026-01-10 12:00", "Close Date": "2026-02-01 15:30", "Amount": "12000.0",
         "Deal owner": "Ana Costa", "Is Closed Won": "true", "Closed Won Reason": "Fast setup",
         'Date entered "Closed Won (Sales Pipeline)"': "2026-02-01 15:30", "Associated Contact IDs": "101"},
        {"Record ID": "9002", "Deal Name": "Lost one", "Deal Stage": "Closed Lost", "Pipeline": "Sales Pipeline",
         "Create Date": "2026-01-12 09:00", "Close Date": "2026-02-10 10:00", "Amount": "3000.0",
         "Deal owner": "Ben Okafor", "Is Closed Won": "false", "Closed Lost Reason": "Price"},
        {"Record ID": "9003", "Deal Name": "Open one", "Deal Stage": "Appointment Scheduled",
         "Pipeline": "Sales Pipeline", "Create Date": "2026-02-01 09:00", "Close Date": "2026-03-31 00:00",
         "Amount": "5000.0", "Deal owner": "Ben Okafor", "Is Closed Won": "false",
         'Date entered "Appointment Scheduled (Sales Pipeline)"': "2026-02-01 09:00"},
        {"Record ID": "9004", "Deal Name": "Nobody's", "Deal Stage": "Contract Sent", "Pipeline": "Sales Pipeline",
         "Create Date": "2026-02-02 14:00", "Amount": "700.0", "Deal owner": "Chen Wei", "Is Closed Won": "false"},
        {"Record ID": "9005", "Deal Name": "Custom stage", "Deal Stage": "Signed", "Pipeline": "Sales Pipeline",
         "Create Date": "2026-02-03 11:00", "Close Date": "2026-02-20 17:00", "Amount": "900.0",
         "Is Closed Won": "true", "Associated Contact IDs": "105"},
    ])


@pytest.fixture(scope="module")
def export(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hubspot") / "export"
    folder.mkdir()
    contacts_2026(folder)
    deals(folder)
    db = folder.parent / "hs.duckdb"
    import_folder(folder, db, load_config(), say=quiet, fmt="hubspot")
    return folder, db


def test_counts_and_every_row_accounted(export):
    folder, db = export
    counts = dict(query(db, "select table_name, rows_loaded from import_files"))
    # 5 contacts + deal 9004, which names no contact; 7+6+0+2+3+2 stage entries (worked out below)
    assert counts == {"leads": 6, "stage_history": 20, "opportunities": 5, "reps": 3,
                      "opportunity_history": 2}  # the two deal "Date entered" values (9001, 9003)
    assert query(db, "select opportunity_id, changed_at, stage from opportunity_history order by 1") == [
        ("9001", datetime(2026, 2, 1, 15, 30), "Closed Won"),
        ("9003", datetime(2026, 2, 1, 9), "Appointment Scheduled")]
    assert query(db, "select count(*) from rejects") == [(0,)]
    converted, ledger = convert_with_ledger(folder, load_config())
    assert "all-contacts.csv: 5 rows: 5 leads" in converted.notes
    assert "all-deals.csv: 5 rows: 5 opportunities" in converted.notes
    assert {f: len(rows) for f, rows in ledger.rows.items()} == {"all-contacts.csv": 5, "all-deals.csv": 5}


def test_2026_labels_become_stage_history(export):
    _, db = export
    assert by_stage(db, "101") == [
        ("lead", datetime(2026, 1, 5, 9), entered("Lead")),
        ("mql", datetime(2026, 1, 6, 10), entered("Marketing Qualified Lead")),
        ("sql", datetime(2026, 1, 8, 11), entered("Sales Qualified Lead")),
        ("opportunity", datetime(2026, 1, 10, 12), entered("Opportunity")),
        ("opportunity", datetime(2026, 1, 10, 12), "deal Create Date"),
        ("won", datetime(2026, 2, 1, 15, 30), 'Date entered "Closed Won (Sales Pipeline)"'),
        ("won", datetime(2026, 2, 1, 15, 30), entered("Customer")),
    ]
    # a subscriber is before the funnel: loaded as a lead row, no stage
    assert by_stage(db, "103") == []
    # SQL now, with no date columns: lead at Create Date, SQL at the earliest possible time
    assert by_stage(db, "104") == [
        ("lead", datetime(2026, 1, 9, 16, 45), "Create Date (no lead date)"),
        ("sql", datetime(2026, 1, 9, 16, 45), "Lifecycle Stage (no date in the export; earliest possible time)")]
    assert query(db, "select lead_id, source, source_detail, owner_id, score, industry, country, account_id "
                     "from leads where lead_id in ('101', '105') order by 1") == [
        ("101", "Organic Search", "google", "Ana Costa", 35.0, "Software", "Spain", "5001"),
        ("105", None, None, None, None, None, None, None)]   # a score of 250 is outside 0-100
    assert query(db, "select hubspot_score from leads where lead_id = '105'") == [("250.0",)]


def test_deals_link_through_associated_ids(export):
    folder, db = export
    rows = query(db, "select opportunity_id, lead_id, status, closed_at, amount, owner_id, loss_reason, win_reason "
                     "from opportunities order by 1")
    assert rows == [
        ("9001", "101", "won", datetime(2026, 2, 1, 15, 30), 12000.0, "Ana Costa", None, "Fast setup"),
        # 9002 and 9003 name no contact: contact 102's Associated Deal IDs "9002;9003" link them
        ("9002", "102", "lost", datetime(2026, 2, 10, 10), 3000.0, "Ben Okafor", "Price", None),
        ("9003", "102", "open", None, 5000.0, "Ben Okafor", None, None),
        ("9004", "deal-9004", "open", None, 700.0, "Chen Wei", None, None),  # no contact: stands alone
        ("9005", "105", "won", datetime(2026, 2, 20, 17), 900.0, None, None, None),  # Is Closed Won over the label
    ]
    # 9003 is open: its Close Date (03-31) is when it is expected to close, not an event
    assert query(db, "select opportunity_id, expected_close_at, currency from opportunities "
                     "where expected_close_at is not null") == [("9003", datetime(2026, 3, 31), "USD")]
    assert by_stage(db, "102") == [
        ("lead", datetime(2026, 1, 7, 8, 15), entered("Lead")),
        ("mql", datetime(2026, 1, 9, 9), entered("Marketing Qualified Lead")),
        ("opportunity", datetime(2026, 1, 12, 9), "deal Create Date"),
        ("opportunity", datetime(2026, 2, 1, 9), 'Date entered "Appointment Scheduled (Sales Pipeline)"'),
        ("opportunity", datetime(2026, 2, 1, 9), "deal Create Date"),
        ("lost", datetime(2026, 2, 10, 10), "deal Close Date"),
    ]
    assert by_stage(db, "deal-9004") == [
        ("lead", datetime(2026, 2, 2, 14), "deal Create Date (a deal with no contact)"),
        ("opportunity", datetime(2026, 2, 2, 14), "deal Create Date")]
    assert query(db, "select rep_id, name from reps order by 1") == [
        ("Ana Costa", "Ana Costa"), ("Ben Okafor", "Ben Okafor"), ("Chen Wei", "Chen Wei")]
    converted, _ = convert_with_ledger(folder, load_config())
    assert any(n.startswith("deal stages not in the map") and "Signed (1)" in n for n in converted.notes)


def test_account_time_zone_applies(tmp_path):
    folder = tmp_path / "export"
    folder.mkdir()
    write(folder / "all-contacts.csv", header(ALL_2026), [
        {"Record ID": "1", "Create Date": "2026-01-05 09:00", "Lifecycle Stage": "Lead",
         entered("Lead"): "2026-01-05 09:00"},
        {"Record ID": "2", "Create Date": "2026-07-01 09:00", "Lifecycle Stage": "Marketing Qualified Lead",
         entered("Lead"): "2026-07-01 09:00", entered("Marketing Qualified Lead"): "2026-07-02 18:30"}])
    cfg = dataclasses.replace(load_config(), timezone="Europe/Madrid")
    db = tmp_path / "hs.duckdb"
    import_folder(folder, db, cfg, say=quiet, fmt="hubspot")
    assert query(db, "select lead_id, created_at from leads order by 1") == [
        ("1", datetime(2026, 1, 5, 8)), ("2", datetime(2026, 7, 1, 7))]     # CET +1, CEST +2, stored as UTC
    assert by_stage(db, "2")[1][:2] == ("mql", datetime(2026, 7, 2, 16, 30))


def test_older_labels_became_a_date_and_original_source(tmp_path):
    folder = tmp_path / "export"
    folder.mkdir()
    write(folder / "hubspot-crm-exports-all-contacts-2023-02-21.csv", CONTACTS_2023, [
        {"Record ID": "201", "Create Date": "2023-02-01 10:00", "Lifecycle Stage": "customer",
         "Became a Lead Date": "2023-02-01 10:00", "Became a Marketing Qualified Lead Date": "2023-02-03 11:00",
         "Became a Customer Date": "2023-03-01 09:30", "Original Source": "Email Marketing",
         "Contact owner": "Ana Costa", "Associated Deal IDs": "9101"},
        {"Record ID": "202", "Create Date": "2023-02-02 08:00", "Lifecycle Stage": "lead",
         "Became a Subscriber Date": "2023-02-02 08:00", "Became a Lead Date": "2023-02-05 12:00",
         "Original Source": "Organic Search"}])
    db = tmp_path / "hs.duckdb"
    import_folder(folder, db, load_config(), say=quiet, fmt="hubspot")
    assert by_stage(db, "201") == [
        ("lead", datetime(2023, 2, 1, 10), "Became a Lead Date"),
        ("mql", datetime(2023, 2, 3, 11), "Became a Marketing Qualified Lead Date"),
        ("won", datetime(2023, 3, 1, 9, 30), "Became a Customer Date")]
    assert by_stage(db, "202") == [("lead", datetime(2023, 2, 5, 12), "Became a Lead Date")]
    assert query(db, "select lead_id, source from leads order by 1") == [("201", "Email Marketing"),
                                                                         ("202", "Organic Search")]
    converted, _ = convert_with_ledger(folder, load_config())
    assert any(n.startswith("1 deals named in contacts' Associated Deal IDs are not in a deals export")
               for n in converted.notes)


def resaved(folder: Path, created: list[str]) -> None:
    """The contacts-with-company export after a spreadsheet: unquoted, CRLF, locale dates; labels
    repeat (Create Date, Phone Number, Country/Region…) once per object."""
    write(folder / "hubspot_contacts.csv", header(RESAVED), [
        {"Record ID - Contact": str(301 + n), "First Name": "Sam", "Contact owner": "Ana Costa", "Create Date": c,
         "Company Name": "Acme, Inc.", "Country/Region": "United States", "Record ID - Company": "7001",
         "Company name": "Acme, Inc.", "Create Date#2": "1/5/21 8:00", "Industry": "Retail"}
        for n, c in enumerate(created)], resaved=True)


def test_excel_resaved_month_first(tmp_path):
    folder = tmp_path / "export"
    folder.mkdir()
    resaved(folder, ["2/5/24 1:51", "2/13/24 14:05"])
    raw = (folder / "hubspot_contacts.csv").read_bytes()
    assert raw.startswith(b"Record ID - Contact,First Name") and b"\r\n" in raw and b'"Acme, Inc."' in raw
    db = tmp_path / "hs.duckdb"
    import_folder(folder, db, load_config(), say=quiet, fmt="hubspot")
    assert query(db, "select lead_id, created_at, account_id, company, industry, country from leads order by 1") == [
        ("301", datetime(2024, 2, 5, 1, 51), "7001", "Acme, Inc.", "Retail", "United States"),
        ("302", datetime(2024, 2, 13, 14, 5), "7001", "Acme, Inc.", "Retail", "United States")]
    converted, _ = convert_with_ledger(folder, load_config())
    assert any("re-saved by a spreadsheet" in n for n in converted.notes)
    assert ("hubspot_contacts.csv: Create Date read as month-first (MM/DD/YYYY), as '2/13/24 14:05' shows; "
            "2-digit years read as 20xx up to 69, else 19xx") in converted.notes


def test_excel_resaved_day_first(tmp_path):
    folder = tmp_path / "export"
    folder.mkdir()
    resaved(folder, ["05/02/2024 01:51", "13/02/2024 14:05"])
    db = tmp_path / "hs.duckdb"
    import_folder(folder, db, load_config(), say=quiet, fmt="hubspot")
    assert query(db, "select created_at from leads order by 1") == [(datetime(2024, 2, 5, 1, 51),),
                                                                    (datetime(2024, 2, 13, 14, 5),)]


def test_excel_resaved_ambiguous_stops_or_takes_the_configured_format(tmp_path):
    folder = tmp_path / "export"
    folder.mkdir()
    resaved(folder, ["05/02/2024 01:51", "06/02/2024 14:05"])
    (folder / "hubspot_contacts.csv").write_text(  # the company's date too reads both ways
        (folder / "hubspot_contacts.csv").read_text().replace("1/5/21 8:00", "1/5/2021 8:00"))
    p = run_cli("import", folder, "--format", "hubspot", "--db", tmp_path / "hs.duckdb")
    assert p.returncode != 0 and "Traceback" not in p.stderr
    assert ("hubspot_contacts.csv: column Create Date: cannot tell whether dates such as '05/02/2024 01:51' are "
            "day-first or month-first") in p.stderr and "timestamp_formats" in p.stderr
    assert not (tmp_path / "hs.duckdb").exists()
    cfg = dataclasses.replace(load_config(), timestamp_formats=("%d/%m/%Y %H:%M",))
    import_folder(folder, tmp_path / "hs.duckdb", cfg, say=quiet, fmt="hubspot")
    assert query(tmp_path / "hs.duckdb", "select created_at from leads order by 1") == [
        (datetime(2024, 2, 5, 1, 51),), (datetime(2024, 2, 6, 14, 5),)]


def test_ids_rounded_by_a_spreadsheet_stop(tmp_path):
    folder = tmp_path / "export"
    folder.mkdir()
    write(folder / "contacts.csv", header(ALL_2026), [
        {"Record ID": "1.23457E+11", "Create Date": "2026-01-05 09:00", "Lifecycle Stage": "Lead"}], resaved=True)
    with pytest.raises(ConversionFailed, match=r"contacts.csv: column 'Record ID': '1.23457E\+11' is an id a "
                                               "spreadsheet rounded"):
        convert_with_ledger(folder, load_config())


def test_bad_rows_are_rejected_with_their_line(tmp_path):
    folder = tmp_path / "export"
    folder.mkdir()
    write(folder / "all-contacts.csv", header(ALL_2026), [
        {"Record ID": "1", "Create Date": "2026-01-05 09:00", "Lifecycle Stage": "Lead"},
        {"Record ID": "2", "Create Date": "yesterday", "Lifecycle Stage": "Lead"},
        {"Record ID": "1", "Create Date": "2026-01-06 09:00", "Lifecycle Stage": "Lead"},
        {"Record ID": "3", "Create Date": "2026-01-07 09:00", "Lifecycle Stage": "Lead",
         entered("Marketing Qualified Lead"): "soon"},
        {"Record ID": "4", "Create Date": "2026-02-30 10:00", "Lifecycle Stage": "Lead"},
        {"Record ID": "5", "Create Date": "2026-01-08 09:00", "Lifecycle Stage": "Lead",
         entered("Marketing Qualified Lead"): "2026-03-29 02:30"},     # Madrid's clocks skip 02:00-03:00
        {"Record ID": "6", "Create Date": "2026-01-09 24:10", "Lifecycle Stage": "Lead"}])
    db = tmp_path / "hs.duckdb"
    cfg = dataclasses.replace(load_config(), timezone="Europe/Madrid")
    import_folder(folder, db, cfg, say=quiet, fmt="hubspot")
    assert query(db, "select table_name, file, line, column_name, value, reason from rejects order by line") == [
        ("leads", "all-contacts.csv", 3, "Create Date", "yesterday",
         "unreadable date/time format (expected e.g. 2026-02-25 22:36)"),
        ("leads", "all-contacts.csv", 4, "Record ID", "1", "duplicate Record ID (the first row is kept)"),
        ("leads", "all-contacts.csv", 5, entered("Marketing Qualified Lead"), "soon",
         "unreadable date/time format (expected e.g. 2026-02-25 22:36) (value ignored)"),
        ("leads", "all-contacts.csv", 6, "Create Date", "2026-02-30 10:00",
         "not a calendar date: February 2026 has 28 days, no 30th"),
        ("leads", "all-contacts.csv", 7, entered("Marketing Qualified Lead"), "2026-03-29 02:30",
         "not a time in the account time zone Europe/Madrid: the clocks skip it (daylight saving) (value ignored)"),
        ("leads", "all-contacts.csv", 8, "Create Date", "2026-01-09 24:10", "not a time of day: 24:10")]
    assert query(db, "select lead_id from leads order by 1") == [("1",), ("3",), ("5",)]
    # the summary counts the converter's rejects under leads: 6 lines (3, 4, 5, 6, 7, 8)
    assert query(db, "select table_name, rows_loaded, rows_rejected from import_files where table_name = 'leads'") \
        == [("leads", 3, 6)]
    # every row read is loaded or rejected (rows 5 and 7 load; only their bad MQL dates are rejected)
    _, ledger = convert_with_ledger(folder, cfg)
    assert ledger.rows["all-contacts.csv"] == {2: "loaded", 3: "rejected", 4: "rejected", 5: "loaded",
                                               6: "rejected", 7: "loaded", 8: "rejected"}
    p = run_cli("import", tmp_path, "--format", "hubspot", "--db", tmp_path / "x.duckdb")
    assert p.returncode != 0 and "no HubSpot contacts or deals export found" in p.stderr


# --- deals linked by e-mail; the contacts' Lead Source ------------------------------------------------

VIEW_2026 = HEADERS / "contacts_view_2026.header.csv"
# a deals export with no association ids: the contact's label ("Name (e-mail)", as HubSpot writes an
# associated record) and a custom contact e-mail property
DEALS_BY_EMAIL = ["Record ID", "Deal Name", "Deal Stage", "Close Date", "Deal owner", "Amount", "Pipeline",
                  "Create Date", "Is Closed Won", "Associated Contact", "Contact email"]


@pytest.fixture(scope="module")
def by_email(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hubspot_email") / "export"
    folder.mkdir()
    write(folder / "all-contacts.csv", header(ALL_2026), [
        {"Record ID": "101", "Create Date": "2026-01-05 09:00", "Lifecycle Stage": "Lead",
         "Email": "ada@example.com", entered("Lead"): "2026-01-05 09:00"},
        {"Record ID": "102", "Create Date": "2026-01-06 09:00", "Lifecycle Stage": "Lead",
         "Email": "Ben@Example.com", entered("Lead"): "2026-01-06 09:00"},
        {"Record ID": "103", "Create Date": "2026-01-09 09:00", "Lifecycle Stage": "Lead",
         "Email": "shared@example.com"},
        {"Record ID": "104", "Create Date": "2026-01-07 09:00", "Lifecycle Stage": "Lead",
         "Email": "shared@example.com"}])
    write(folder / "all-deals.csv", DEALS_BY_EMAIL, [
        {"Record ID": "9101", "Deal Name": "A", "Deal Stage": "Closed Won", "Create Date": "2026-01-10 12:00",
         "Close Date": "2026-02-01 15:30", "Amount": "1000", "Is Closed Won": "true",
         "Associated Contact": "Ada Lovelace (ADA@example.com)"},
        {"Record ID": "9102", "Deal Name": "B", "Deal Stage": "Closed Lost", "Create Date": "2026-01-11 12:00",
         "Close Date": "2026-02-30 10:00", "Amount": "2000", "Is Closed Won": "false",
         "Contact email": "ben@example.com"},
        {"Record ID": "9103", "Deal Name": "C", "Deal Stage": "Contract Sent", "Create Date": "2026-01-12 12:00",
         "Associated Contact": "Zed Nobody (zed@nowhere.io)"},
        {"Record ID": "9104", "Deal Name": "D", "Deal Stage": "Contract Sent", "Create Date": "2026-01-13 12:00"},
        {"Record ID": "9105", "Deal Name": "E", "Deal Stage": "Contract Sent", "Create Date": "2026-01-14 12:00",
         "Contact email": "shared@example.com"}])
    db = folder.parent / "hs.duckdb"
    import_folder(folder, db, load_config(), say=quiet, fmt="hubspot")
    return folder, db


def test_deals_link_to_contacts_by_email(by_email):
    folder, db = by_email
    assert query(db, "select opportunity_id, lead_id, status, closed_at from opportunities order by 1") == [
        ("9101", "101", "won", datetime(2026, 2, 1, 15, 30)),   # "Ada Lovelace (ADA@example.com)": case ignored
        # 9102 (Contact email ben@…) is lost with no readable close date: rejected (below)
        ("9103", "deal-9103", "open", None),                    # an e-mail no contact in the export has
        ("9104", "deal-9104", "open", None),                    # no contact at all
        ("9105", "104", "open", None)]                          # shared by 103 and 104: 104 was created first
    assert by_stage(db, "101") == [
        ("lead", datetime(2026, 1, 5, 9), entered("Lead")),
        ("opportunity", datetime(2026, 1, 10, 12), "deal Create Date"),
        ("won", datetime(2026, 2, 1, 15, 30), "deal Close Date")]
    assert query(db, "select table_name, file, line, column_name, value, reason from rejects order by 4") == [
        ("opportunities", "all-deals.csv", 3, "Close Date", "2026-02-30 10:00",
         "not a calendar date: February 2026 has 28 days, no 30th (value ignored)"),
        ("opportunities", "all-deals.csv", 3, "closed_at", None, "won or lost opportunity without closed_at")]
    assert by_stage(db, "102") == [   # linked by e-mail all the same
        ("lead", datetime(2026, 1, 6, 9), entered("Lead")),
        ("opportunity", datetime(2026, 1, 11, 12), "deal Create Date")]
    converted, _ = convert_with_ledger(folder, load_config())
    assert ("deals: 0 linked through Associated Contact IDs, 0 through a contact's Associated Deal IDs, 3 through "
            "a contact's e-mail (1 of them by an e-mail several contacts share: the earliest created is taken), "
            "2 with no contact in the export (each stands for its own buyer: lead_id = deal-<id>; 1 of them name "
            "contacts that are not in the export)") in converted.notes
    # leads: 4 contacts + 2 lone deals; stage entries: 4 leads, 9101 opportunity + won, 9102 opportunity,
    # 9103 and 9104 lead + opportunity, 9105 opportunity; one deal line rejected (two reasons, one line)
    assert dict(query(db, "select table_name, rows_loaded || '/' || rows_rejected from import_files")) == {
        "leads": "6/0", "stage_history": "12/0", "opportunities": "4/1"}


def test_association_ids_win_over_email(tmp_path):
    folder = tmp_path / "export"
    folder.mkdir()
    write(folder / "all-contacts.csv", header(ALL_2026), [
        {"Record ID": "1", "Create Date": "2026-01-05 09:00", "Lifecycle Stage": "Lead", "Email": "a@x.com"},
        {"Record ID": "2", "Create Date": "2026-01-06 09:00", "Lifecycle Stage": "Lead", "Email": "b@x.com"}])
    write(folder / "all-deals.csv", DEALS, [
        {"Record ID": "9", "Deal Stage": "Contract Sent", "Create Date": "2026-01-10 12:00",
         "Associated Contact": "Bea (b@x.com)", "Associated Contact IDs": "1"}])
    converted, _ = convert_with_ledger(folder, load_config())
    assert converted.tables["opportunities"]["lead_id"].to_list() == ["1"]


def test_lead_source_is_the_source_without_an_original_source(tmp_path):
    folder = tmp_path / "export"
    folder.mkdir()
    # `Lead Source` is a portal's own property (a custom column); the view export has no Original Source
    columns = header(VIEW_2026) + ["Lead Source"]
    write(folder / "contacts.csv", columns, [
        {"Record ID": "1", "Create Date": "2026-01-05 09:00", "Lifecycle Stage": "Lead", "Lead Source": "Webinar"},
        {"Record ID": "2", "Create Date": "2026-01-06 09:00", "Lifecycle Stage": "Lead", "Lead Source": "Referral"},
        {"Record ID": "3", "Create Date": "2026-01-07 09:00", "Lifecycle Stage": "Lead"}])
    db = tmp_path / "hs.duckdb"
    import_folder(folder, db, load_config(), say=quiet, fmt="hubspot")
    assert query(db, "select lead_id, source, lead_source from leads order by 1") == [
        ("1", "Webinar", "Webinar"), ("2", "Referral", "Referral"), ("3", None, None)]
    converted, _ = convert_with_ledger(folder, load_config())
    assert ("contacts.csv: source is Lead Source (2 contacts have one), as the export has no Original Source "
            "column; it is kept as lead_source too") in converted.notes


def test_lead_source_is_kept_beside_the_original_source(tmp_path):
    folder = tmp_path / "export"
    folder.mkdir()
    columns = header(ALL_2026) + ["Lead Source"]
    write(folder / "contacts.csv", columns, [
        {"Record ID": "1", "Create Date": "2026-01-05 09:00", "Lifecycle Stage": "Lead",
         "Original Traffic Source": "Paid Search", "Lead Source": "Trade Show"},
        {"Record ID": "2", "Create Date": "2026-01-06 09:00", "Lifecycle Stage": "Lead",
         "Original Traffic Source": "Organic Search"}])
    db = tmp_path / "hs.duckdb"
    import_folder(folder, db, load_config(), say=quiet, fmt="hubspot")
    assert query(db, "select lead_id, source, lead_source from leads order by 1") == [
        ("1", "Paid Search", "Trade Show"), ("2", "Organic Search", None)]
    converted, _ = convert_with_ledger(folder, load_config())
    assert ("contacts.csv: source is Original Traffic Source; Lead Source is kept as lead_source "
            "(1 contacts have one)") in converted.notes
    # an Original Traffic Source column with no value in it is no better: Lead Source is the source
    write(folder / "contacts.csv", columns, [
        {"Record ID": "1", "Create Date": "2026-01-05 09:00", "Lifecycle Stage": "Lead", "Lead Source": "Trade Show"}])
    converted, _ = convert_with_ledger(folder, load_config())
    assert converted.tables["leads"]["source"].to_list() == ["Trade Show"]
    assert ("contacts.csv: source is Lead Source (1 contacts have one), as the export has no Original Traffic "
            "Source values; it is kept as lead_source too") in converted.notes
