"""Lookup files in a mapping (`join`), and the worked example of docs/mapping.md: Salesforce report
exports (tests/fixtures/salesforce_report, hand-written) imported with mappings/salesforce_report.toml,
figures worked out by hand; then a join on the real Maven CRM export (pipeline → accounts)."""
from __future__ import annotations

import re
import textwrap
from pathlib import Path

import duckdb
import pytest
from conftest import DATASETS, FIXTURES, quiet, run_cli, shared_dataset, write_export

from analytics.core.config import load_config
from analytics.importers.formats import ConversionFailed
from analytics.importers.formats.mapped import convert
from analytics.importers.load import import_folder

ROOT = Path(__file__).resolve().parents[1]
REPORTS = FIXTURES / "salesforce_report"
REPORTS_MAPPING = ROOT / "mappings" / "salesforce_report.toml"
MAVEN = DATASETS / "maven_crm_sales_opportunities"

LEADS = """\
    Lead ID,Created,Company ID,Name,Region
    L1,2024-03-01,C1,Ann,North
    L2,2024-03-02,C2,Bob,
    L3,2024-03-03,C9,Cat,South
    L4,2024-03-04,,Dan,
    """
COMPANIES = """\
    Id,Name,Industry,Region
    C1,Acme,Software,EMEA
    C2,Globex,Retail,LATAM
    C3,Initech,Software,APAC
    """
MAPPING = """\
    [leads]
    file = "leads.csv"
    join = { file = "companies.csv", on = { "Company ID" = "Id" } }

    [leads.columns]
    lead_id = "Lead ID"
    created_at = "Created"
    account_id = "Company ID"
    industry = "Industry"
    region = "Region (companies.csv)"

    [leads.extra]
    person = "Name"
    company = "Name (companies.csv)"
    lead_region = "Region"

    [[stage_history]]
    stage = { value = "lead" }
    entered_at = "Created"
    """


def lookup_export(tmp_path: Path, companies: str = COMPANIES, mapping: str = MAPPING) -> tuple[Path, Path]:
    folder = write_export(tmp_path / "export", {"leads": LEADS, "companies": companies})
    path = tmp_path / "crm.toml"
    path.write_text(textwrap.dedent(mapping))
    return folder, path


def test_a_lookup_file_adds_columns_never_rows(tmp_path):
    folder, mapping = lookup_export(tmp_path)
    converted = convert(folder, load_config(), mapping)
    leads = converted.tables["leads"]
    assert leads.select("lead_id", "industry", "region", "person", "company", "lead_region").rows() == [
        ("L1", "Software", "EMEA", "Ann", "Acme", "North"),
        ("L2", "Retail", "LATAM", "Bob", "Globex", None),
        ("L3", None, None, "Cat", None, "South"),    # C9 is not in companies.csv
        ("L4", None, None, "Dan", None, None)]       # no company
    assert leads["_source_line"].to_list() == [2, 3, 4, 5]   # still one row per line of leads.csv
    assert ("[leads]: leads.csv joined with companies.csv on Company ID = Id: 2 of 4 rows found their companies.csv "
            "row; 1 with a key companies.csv lacks (e.g. 'C9'); 1 with no Company ID: their lookup columns are "
            "empty") in converted.notes


def test_a_repeated_lookup_key_stops(tmp_path):
    folder, mapping = lookup_export(tmp_path, companies=COMPANIES + "    C2,Globex Two,Retail,LATAM\n")
    with pytest.raises(ConversionFailed, match=re.escape(
            "companies.csv: key 'Id' repeats 'C2' (lines 3 and 5); a lookup file needs one row per key "
            "(mapping [leads] join companies.csv)")):
        convert(folder, load_config(), mapping)


def test_a_bad_lookup_row_is_a_reject_of_the_joining_table(tmp_path):
    folder, mapping = lookup_export(tmp_path, companies=COMPANIES + "    C4,Umbrella,Pharma\n")
    db = tmp_path / "x.duckdb"
    import_folder(folder, db, load_config(), say=quiet, fmt="mapped", mapping=mapping)
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.execute("select table_name, file, line, reason from rejects").fetchall() == [
            ("leads", "companies.csv", 5, "expected 4 fields, found 3")]
        assert con.execute("select count(*) from leads").fetchall() == [(4,)]
    finally:
        con.close()


@pytest.mark.parametrize(("join", "message"), [
    ('join = { file = "companies.csv" }', r"\[leads\]\.join 1: on = \"Company ID\""),
    ('join = { on = "Id" }', r"\[leads\]\.join 1 must be \{ file = \"companies\.csv\", on = \"Company ID\" \}"),
    ('join = { file = "companies.csv", on = "Nope" }', r"leads\.csv: column 'Nope' \(mapping \[leads\] join "
                                                       r"companies\.csv\) is not in the file"),
    ('join = { file = "nope.csv", on = "Id" }', r"nope\.csv: not found"),
])
def test_join_mistakes_are_named(tmp_path, join, message):
    folder, mapping = lookup_export(tmp_path, mapping=MAPPING.replace(
        'join = { file = "companies.csv", on = { "Company ID" = "Id" } }', join))
    with pytest.raises(ConversionFailed, match=message):
        convert(folder, load_config(), mapping)


# --- the worked example: Salesforce reports -----------------------------------------------------------

@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    db = tmp_path_factory.mktemp("reports") / "reports.duckdb"
    import_folder(REPORTS, db, load_config(), say=quiet, fmt="mapped", mapping=REPORTS_MAPPING)
    con = duckdb.connect(str(db), read_only=True)
    yield db, con
    con.close()


def test_the_docs_show_the_shipped_mapping():
    doc = (ROOT / "docs" / "mapping.md").read_text()
    section = doc[doc.index("## Worked example: Salesforce reports"):]
    shown = re.search(r"```toml\n(.*?)```", section, re.S).group(1)
    mapping = REPORTS_MAPPING.read_text()
    assert shown == mapping[mapping.index("[leads]"):]


def test_worked_example_counts(reports):
    _, con = reports
    assert con.execute("select table_name, rows_loaded, rows_rejected from import_files order by 1").fetchall() == [
        ("leads", 6, 0), ("opportunities", 4, 0), ("stage_history", 15, 0)]
    assert con.execute("select stage, count(*) from stage_history group by 1 order by 1").fetchall() == [
        ("lead", 6), ("lost", 1), ("mql", 4), ("opportunity", 3), ("won", 1)]
    assert con.execute("select lead_id, source, industry, country, company from leads order by 1").fetchall() == [
        ("00Q01", "Web", "Manufacturing", "Spain", "Acme Corp"),
        ("00Q02", "Trade Show", "Software", "Mexico", "Globex"),
        ("00Q03", "Web", "Manufacturing", "Spain", "Acme Corp"),
        ("00Q04", "Partner Referral", None, None, None),    # account 001C is not in the Accounts report
        ("00Q05", "Web", None, None, None),                 # no account
        ("00Q06", "Advertisement", "Software", "Mexico", "Globex")]
    assert con.execute("select opportunity_id, lead_id, status, amount from opportunities order by 1").fetchall() == [
        ("006X1", "00Q01", "won", 12500.0), ("006X2", "00Q02", "lost", 3000.0),
        ("006X3", "00Q06", "open", 8000.0), ("006X4", None, "open", 1500.0)]   # no lead converted into it
    assert con.execute("select lead_id, stage, entered_at::varchar from stage_history where stage in "
                       "('opportunity', 'won', 'lost') order by 1, 3").fetchall() == [
        ("00Q01", "opportunity", "2024-04-15 00:00:00"), ("00Q01", "won", "2024-05-28 00:00:00"),
        ("00Q02", "opportunity", "2024-04-20 00:00:00"), ("00Q02", "lost", "2024-05-14 00:00:00"),
        ("00Q06", "opportunity", "2024-04-30 00:00:00")]


def test_worked_example_notes():
    notes = convert(REPORTS, load_config(), REPORTS_MAPPING).notes
    assert ("[leads]: leads_report.csv joined with accounts_report.csv on Account ID = Account ID: 4 of 6 rows "
            "found their accounts_report.csv row; 1 with a key accounts_report.csv lacks (e.g. '001C'); 1 with no "
            "Account ID: their lookup columns are empty") in notes
    assert ("[[stage_history]] rule 1 (stage lead) has no entered_at: its rows enter at the leads' created_at "
            "(column 'Create Date'), when the lead was created, not when it reached the stage") in notes
    assert "leads_report.csv: Create Date read as day-first (DD/MM/YYYY), as '16/04/2024 10:00' shows" in notes


def test_worked_example_reports(reports):
    db, _ = reports
    period = ("--as-of", "2024-08-01", "--from", "2024-04-01", "--to", "2024-04-30")
    p = run_cli("report", "funnel", "--db", db, *period)
    assert p.returncode == 0, p.stderr
    assert [r.split(",")[1:3] for r in p.stdout.strip().splitlines()[1:]] == [
        ["lead", "6"], ["mql", "5"], ["sal", "3"], ["sql", "3"], ["opportunity", "3"], ["won", "1"]]
    p = run_cli("report", "conversion", "--db", db, "--from-stage", "lead", "--to-stage", "won", "--by", "industry",
                *period)
    assert p.returncode == 0, p.stderr
    assert [r.split(",")[:3] for r in p.stdout.strip().splitlines()[1:]] == [
        ["(none)", "2", "0"], ["Manufacturing", "2", "1"], ["Software", "2", "0"]]


def test_worked_example_with_a_stage_the_map_lacks(tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    for f in REPORTS.iterdir():
        (folder / f.name).write_text(f.read_text().replace("Negotiation/Review", "Contract Review"))
    with pytest.raises(ConversionFailed, match=re.escape(
            "opportunities_report.csv: column 'Stage' (mapping [opportunities.columns] status): 1 value is neither "
            "in the map nor one of open, won, lost: 'Contract Review' (1 row)")):
        convert(folder, load_config(), REPORTS_MAPPING)


# --- the real Maven CRM export: the pipeline joined to its accounts --------------------------------------

MAVEN_MAPPING = """\
    [leads]
    file = "sales_pipeline.csv"
    join = { file = "accounts.csv", on = "account" }
    [leads.columns]
    lead_id = "opportunity_id"
    created_at = { value = "2016-10-01" }
    industry = "sector"
    country = "office_location"
    [[stage_history]]
    stage = { value = "lead" }
    [opportunities]
    file = "sales_pipeline.csv"
    [opportunities.columns]
    opportunity_id = "opportunity_id"
    lead_id = "opportunity_id"
    created_at = "engage_date"
    status = { column = "deal_stage", map = { Won = "won", Lost = "lost", Engaging = "open" } }
    """


def test_maven_pipeline_joined_to_accounts_and_its_unmapped_stage(tmp_path):
    mapping = tmp_path / "maven.toml"
    mapping.write_text(textwrap.dedent(MAVEN_MAPPING))
    # Prospecting (500 deals, all open) is left out of the status map: the import stops and says so
    with pytest.raises(ConversionFailed, match=re.escape(
            "sales_pipeline.csv: column 'deal_stage' (mapping [opportunities.columns] status): 1 value is neither "
            "in the map nor one of open, won, lost: 'Prospecting' (500 rows)")):
        convert(shared_dataset(MAVEN), load_config(), mapping)
    mapping.write_text(mapping.read_text().replace('Engaging = "open"', 'Engaging = "open", Prospecting = "open"'))
    converted = convert(MAVEN, load_config(), mapping)
    # 8,800 deals; 1,425 (337 Prospecting + 1,088 Engaging) have no account yet; all 85 accounts are known
    assert ("[leads]: sales_pipeline.csv joined with accounts.csv on account = account: 7,375 of 8,800 rows found "
            "their accounts.csv row; 1,425 with no account: their lookup columns are empty") in converted.notes
    leads = converted.tables["leads"]
    assert leads.height == 8800
    sectors = dict(leads.group_by("industry").len().rows())
    assert sectors[None] == 1425 and sectors["technolgy"] == 1165 and sectors["retail"] == 1397
    assert converted.tables["opportunities"]["status"].value_counts().sort("status").rows() == [
        ("lost", 2473), ("open", 1589 + 500), ("won", 4238)]
