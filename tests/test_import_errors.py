"""Bad input never gives a traceback (docs/data_model.md, "Row rules"): a row that breaks a rule goes to
`rejects` with file, physical line, column and reason and the other rows load; a file that cannot be
read stops the import with a message naming the file (and column) and leaves the old database as it
was, with no temporary files behind."""
from __future__ import annotations

import codecs
import hashlib
import io
import re
import tempfile
import zipfile
from datetime import datetime
from pathlib import Path
from xml.sax.saxutils import escape

import polars as pl
import pytest
from conftest import GOLDEN_INPUT, quiet, run_cli, write_export

from analytics.core.config import load_config
from analytics.core.schema import TABLES
from analytics.importers.load import ImportFailed, import_folder
from analytics.outputs import cli

LEADS = """\
    lead_id,created_at,source,owner_id
    L1,2026-01-05 09:00:00,Webinar,R1
    L2,2026-01-06 09:00:00,Outbound,R2
    L3,2026-01-07 09:00:00,Webinar,R1
    """
HISTORY = """\
    lead_id,stage,entered_at
    L1,lead,2026-01-05 09:00:00
    L1,mql,2026-01-06 09:00:00
    L2,lead,2026-01-06 09:00:00
    L3,lead,2026-01-07 09:00:00
    """


def export(tmp_path, name="export", **tables) -> Path:
    return write_export(tmp_path / name, {"leads": LEADS, "stage_history": HISTORY, **tables})


def rejects(store, table: str | None = None) -> list[tuple]:
    """(table, file, line, column, reason) of every rejected row, in file order."""
    rows = store.con.execute("select table_name, file, line, column_name, reason from rejects "
                             "order by table_name, line, column_name").fetchall()
    return [r for r in rows if table is None or r[0] == table]


def column(store, sql: str) -> list:
    return [r[0] for r in store.con.execute(sql).fetchall()]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def old_db(tmp_path) -> Path:
    """A database written by an earlier, good import."""
    db = tmp_path / "dbdir" / "closed_loop.duckdb"
    import_folder(export(tmp_path, "good"), db, load_config(), say=quiet)
    return db


# --- a file that cannot be read: the import stops, names file and column, keeps the old database ----

def test_missing_required_column_through_the_cli(tmp_path, old_db):
    before = digest(old_db)
    folder = export(tmp_path, leads="lead_id,source\nL1,Webinar\n")
    p = run_cli("import", folder, "--db", old_db)
    assert p.returncode != 0
    assert "Traceback" not in p.stderr
    assert "leads.csv" in p.stderr and "created_at" in p.stderr
    assert digest(old_db) == before
    assert sorted(x.name for x in old_db.parent.iterdir()) == [old_db.name]


@pytest.mark.parametrize(("file", "content", "column"), [
    ("leads", "lead_id,source\nL1,Webinar\n", "created_at"),
    ("stage_history", "lead_id,entered_at\nL1,2026-01-05\n", "stage"),
    ("opportunities", "opportunity_id,lead_id,amount\nO1,L1,5\n", "created_at"),
])
def test_missing_required_column(tmp_path, old_db, file, content, column):
    before = digest(old_db)
    with pytest.raises(ImportFailed, match=rf"{file}\.csv.*{column}"):
        import_folder(export(tmp_path, **{file: content}), old_db, load_config(), say=quiet)
    assert digest(old_db) == before


def test_missing_required_table(tmp_path, capsys):
    folder = write_export(tmp_path / "x", {"leads": LEADS})
    db = tmp_path / "out" / "closed_loop.duckdb"
    with pytest.raises(ImportFailed, match="stage_history"):
        import_folder(folder, db, load_config(), say=quiet)
    assert cli.main(["import", str(folder), "--db", str(db)]) == 2
    assert "stage_history" in capsys.readouterr().err
    p = run_cli("import", folder, "--db", db)
    assert p.returncode != 0 and "stage_history" in p.stderr and "Traceback" not in p.stderr
    assert not db.exists()


def test_failed_import_leaves_the_old_database_and_no_temp_files(tmp_path, old_db, monkeypatch):
    before = digest(old_db)
    system_tmp = tmp_path / "system_tmp"
    system_tmp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(system_tmp))
    # leads, stage_history and touches load into the new file before opportunities fails
    folder = export(tmp_path, touches="touch_id,lead_id,occurred_at\nT1,L1,2026-01-05\n",
                    opportunities="opportunity_id,lead_id,amount\nO1,L1,5\n")
    with pytest.raises(ImportFailed, match=r"opportunities\.csv.*created_at"):
        import_folder(folder, old_db, load_config(), say=quiet)
    assert digest(old_db) == before
    assert sorted(x.name for x in old_db.parent.iterdir()) == [old_db.name]
    assert list(system_tmp.iterdir()) == []
    # the old database still opens and holds the earlier import
    from analytics.store.db import open_store
    store = open_store(old_db)
    try:
        assert column(store, "select lead_id from leads order by 1") == ["L1", "L2", "L3"]
    finally:
        store.close()


def _xlsx(rows: list[list], sheet: str = "Sheet1") -> bytes:
    """A minimal .xlsx (openpyxl is not installed): inline strings, numbers, and datetimes as serial
    numbers with a date-time format (numFmtId 22), which is how Excel stores them."""
    ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    pkg = "http://schemas.openxmlformats.org/package/2006/relationships"

    def ref(r, c):
        letters = ""
        c += 1
        while c:
            c, m = divmod(c - 1, 26)
            letters = chr(65 + m) + letters
        return f"{letters}{r}"

    def cell(r, c, v):
        if v is None:
            return ""
        if isinstance(v, datetime):
            serial = (v - datetime(1899, 12, 30)).total_seconds() / 86400
            return f'<c r="{ref(r, c)}" s="1"><v>{serial!r}</v></c>'
        if isinstance(v, (int, float)):
            return f'<c r="{ref(r, c)}"><v>{v}</v></c>'
        return f'<c r="{ref(r, c)}" t="inlineStr"><is><t xml:space="preserve">{escape(str(v))}</t></is></c>'

    body = "".join(f'<row r="{r}">' + "".join(cell(r, c, v) for c, v in enumerate(row)) + "</row>"
                   for r, row in enumerate(rows, start=1))
    files = {
        "[Content_Types].xml":
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            '<Override PartName="/xl/styles.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            '</Types>',
        "_rels/.rels":
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{pkg}">'
            f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml":
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{ns}" xmlns:r="{rel}">'
            f'<sheets><sheet name="{sheet}" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels":
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{pkg}">'
            f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{rel}/styles" Target="styles.xml"/></Relationships>',
        "xl/styles.xml":
            f'<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="{ns}">'
            '<fonts count="1"><font/></fonts><fills count="1"><fill/></fills>'
            '<borders count="1"><border/></borders><cellStyleXfs count="1"><xf/></cellStyleXfs>'
            '<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="22" applyNumberFormat="1"/></cellXfs>'
            '</styleSheet>',
        "xl/worksheets/sheet1.xml":
            f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{ns}"><sheetData>{body}</sheetData></worksheet>',
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in files.items():
            z.writestr(name, text)
    return out.getvalue()


@pytest.mark.parametrize(("name", "content", "message"), [
    ("leads.xlsx", b"PK\x03\x04 not really a zip", "leads.xlsx"),
    ("leads.parquet", b"PAR1 not really parquet", "leads.parquet"),
    ("touches.csv", b"", "touches.csv: the file is empty"),
    ("touches.csv", bytes(range(256)) * 8, "touches.csv"),
    ("touches.csv", b"touch_id,lead_id,lead_id,occurred_at\nT1,L1,L1,2026-01-05\n", "lead_id"),
])
def test_unreadable_file_stops_the_import(tmp_path, old_db, capsys, name, content, message):
    before = digest(old_db)
    folder = export(tmp_path)
    if name.startswith("leads."):
        (folder / "leads.csv").unlink()
    (folder / name).write_bytes(content)
    code = cli.main(["import", str(folder), "--db", str(old_db)])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("error: ") and message in err
    assert digest(old_db) == before
    assert sorted(x.name for x in old_db.parent.iterdir()) == [old_db.name]


def test_parquet_damaged_inside_stops_the_import(tmp_path, old_db, capsys):
    """Its footer reads, one data page does not: found when the rows are read, still named."""
    folder = export(tmp_path)
    pl.DataFrame({"touch_id": [f"T{i}" for i in range(50_000)], "lead_id": ["L1"] * 50_000,
                  "occurred_at": [datetime(2026, 1, 5)] * 50_000}).write_parquet(folder / "touches.parquet")
    (folder / "touches.csv").unlink(missing_ok=True)
    data = bytearray((folder / "touches.parquet").read_bytes())
    data[100:len(data) // 2] = bytes(len(data) // 2 - 100)
    (folder / "touches.parquet").write_bytes(bytes(data))
    before = digest(old_db)
    assert cli.main(["import", str(folder), "--db", str(old_db)]) == 2
    assert "error: touches.parquet: cannot be read as a table" in capsys.readouterr().err
    assert digest(old_db) == before


def test_corrupt_workbook_through_the_cli(tmp_path):
    folder = export(tmp_path, **{"touches.xlsx": b"definitely not a workbook"})
    p = run_cli("import", folder, "--db", tmp_path / "db" / "x.duckdb")
    assert p.returncode != 0
    assert "Traceback" not in p.stderr
    assert "touches.xlsx" in p.stderr


# --- rows that break a rule: rejects with file, line, column and reason; the others load -----------

@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_unparseable_date(tmp_path, import_store, newline):
    history = HISTORY.replace("L1,mql,2026-01-06 09:00:00", "L1,mql,2026-13-45 09:00")
    folder = export(tmp_path, stage_history=history)
    path = folder / "stage_history.csv"
    path.write_bytes(path.read_bytes().replace(b"\n", newline.encode()))
    store = import_store(folder)
    assert rejects(store) == [("stage_history", "stage_history.csv", 3, "entered_at", "not a valid timestamp")]
    assert store.con.execute("select value from rejects").fetchall() == [("2026-13-45 09:00",)]
    assert column(store, "select count(*) from stage_history") == [3]


def test_dates_no_crm_means_are_rejected_not_loaded(tmp_path, import_store):
    """`infinity` (which DuckDB reads as a time), a placeholder year and a typo'd century: each row goes to
    the ledger; loaded, one would move the data's as-of to 9999 and the import failed in Python."""
    leads = LEADS + "L4,infinity,Webinar,R1\nL5,-infinity,Webinar,R1\nL6,9999-12-31,Webinar,R1\n"
    folder = export(tmp_path, leads=leads,
                    campaigns="campaign_id,start_date,end_date\nC1,1850-03-01,2026-02-01\nC2,2026-01-01,2026-02-01\n",
                    opportunities="opportunity_id,lead_id,created_at,expected_close_at,status\n"
                                  "O1,L1,2026-01-07,40000-01-01,open\nO2,L2,2026-01-07,2026-03-01,open\n")
    pl.DataFrame({"lead_id": ["L1", "L2"], "occurred_at": [datetime(2026, 1, 6), datetime(9999, 12, 31)],
                  "touch_id": ["T1", "T2"]}).write_parquet(folder / "touches.parquet")
    store = import_store(folder)
    assert rejects(store) == [
        ("campaigns", "campaigns.csv", 2, "start_date", "date outside the years 1900–2199"),
        ("leads", "leads.csv", 5, "created_at", "not a valid timestamp"),
        ("leads", "leads.csv", 6, "created_at", "not a valid timestamp"),
        ("leads", "leads.csv", 7, "created_at", "timestamp outside the years 1900–2199"),
        ("opportunities", "opportunities.csv", 2, "expected_close_at", "timestamp outside the years 1900–2199"),
        ("touches", "touches.parquet", 2, "occurred_at", "timestamp outside the years 1900–2199")]
    assert column(store, "select value from rejects where table_name = 'touches'") == ["9999-12-31 00:00:00"]
    assert column(store, "select max(created_at)::date::varchar from leads") == ["2026-01-07"]
    assert column(store, "select count(*) from opportunities") == [1]


def test_unparseable_date_through_the_cli(tmp_path):
    folder = export(tmp_path, leads=LEADS.replace("2026-01-07 09:00:00", "07.01.2026 9 Uhr"))
    p = run_cli("import", folder, "--db", tmp_path / "db" / "x.duckdb")
    assert p.returncode == 0, p.stderr
    assert "Traceback" not in p.stderr
    assert re.search(r"leads\s+2 loaded\s+1 rejected", p.stdout)
    # L3 was rejected, so its stage entry refers to an unknown lead and is rejected too
    assert re.search(r"stage_history\s+3 loaded\s+1 rejected", p.stdout)


def test_unknown_stage(tmp_path, import_store):
    store = import_store(export(tmp_path, stage_history=HISTORY + "    L2,negotiation,2026-01-08 09:00:00\n"))
    assert rejects(store) == [("stage_history", "stage_history.csv", 6, "stage", "unknown stage")]
    assert column(store, "select count(*) from stage_history") == [4]


def test_a_table_keeps_its_columns_and_only_the_rows_that_passed(tmp_path, import_store):
    """Each table is typed straight into the database: after the checks the rejected lines are deleted and
    the helper columns (the file line, the text of each parsed value) dropped; the columns read in the
    canonical order, then the export's extra columns, as the Spark import writes them (TablePlan.columns)."""
    leads = ("lead_id,created_at,source,owner_id,tier\n" "L1,2026-01-05 09:00:00,Webinar,R1,gold\n"
             "L2,someday,Outbound,R2,silver\n" "L3,2026-01-07 09:00:00,Webinar,R1,\n")
    store = import_store(write_export(tmp_path / "export", {"leads": leads, "stage_history": HISTORY}))
    assert rejects(store, "leads") == [("leads", "leads.csv", 3, "created_at", "not a valid timestamp")]
    assert column(store, "select column_name from information_schema.columns where table_name = 'leads' "
                         "order by ordinal_position") == [*TABLES["leads"].columns, "tier"]
    assert store.con.execute("select lead_id, tier from leads order by 1").fetchall() == [("L1", "gold"), ("L3", None)]
    assert column(store, "select table_name from information_schema.tables where table_name = 'typed'") == []


def test_duplicate_lead_id(tmp_path, import_store):
    leads = LEADS + ("    L1,2026-01-05 09:00:00,Outbound,R1\n"    # line 5: same id, different source
                     "    L2,2026-01-06 09:00:00,Outbound,R2\n")   # line 6: exact copy of line 3
    store = import_store(export(tmp_path, leads=leads))
    assert rejects(store) == [
        ("leads", "leads.csv", 5, "lead_id", "duplicate lead_id with different content"),
        ("leads", "leads.csv", 6, "lead_id", "exact duplicate of an earlier row"),
    ]
    # the first row of each id is kept
    assert store.con.execute("select lead_id, source from leads order by 1").fetchall() == [
        ("L1", "Webinar"), ("L2", "Outbound"), ("L3", "Webinar")]


def test_stage_entered_before_the_lead_was_created(tmp_path, import_store):
    history = HISTORY + "    L3,mql,2026-01-07 08:59:59\n"  # one second before L3 was created
    store = import_store(export(tmp_path, stage_history=history))
    assert rejects(store) == [("stage_history", "stage_history.csv", 6, "entered_at",
                               "stage entered before the lead was created")]


def test_the_reference_rules_reject_the_rows_without_their_partner_and_only_them(tmp_path, import_store):
    """The rules that read another table (schema.py: anti and semi joins): a touch of an unknown lead, a deal
    change of an unknown deal and a stage entered before its lead was created are rejected at their lines; an
    empty lead is only missing (not also unknown), and a stage entered the second the lead was created stays."""
    history = HISTORY + ("    L3,mql,2026-01-07 09:00:00\n"    # line 6: the second L3 was created: kept
                         "    L2,mql,2026-01-06 08:00:00\n")   # line 7: an hour before L2 was created
    touches = "touch_id,lead_id,occurred_at\nT1,L1,2026-01-05\nT2,L404,2026-01-05\nT3,,2026-01-05\n"
    opportunities = "opportunity_id,lead_id,created_at,status,amount\nO1,L1,2026-01-10,open,100\n"
    changes = "opportunity_id,changed_at,stage,amount\nO1,2026-01-11,opportunity,100\nO9,2026-01-11,opportunity,5\n"
    store = import_store(export(tmp_path, stage_history=history, touches=touches, opportunities=opportunities,
                                opportunity_history=changes))
    assert rejects(store) == [
        ("opportunity_history", "opportunity_history.csv", 3, "opportunity_id",
         "unknown opportunity_id (not in opportunities)"),
        ("stage_history", "stage_history.csv", 7, "entered_at", "stage entered before the lead was created"),
        ("touches", "touches.csv", 3, "lead_id", "unknown lead_id (not in leads)"),
        ("touches", "touches.csv", 4, "lead_id", "required value missing"),
    ]
    assert column(store, "select count(*) from stage_history where lead_id = 'L3' and stage = 'mql'") == [1]
    assert column(store, "select touch_id from touches") == ["T1"]


def test_negative_amount(tmp_path, import_store):
    opportunities = """\
        opportunity_id,lead_id,created_at,closed_at,status,amount
        O1,L1,2026-01-10 09:00:00,,open,1000
        O2,L2,2026-01-10 09:00:00,,open,-5
        O3,L3,2026-01-10 09:00:00,,open,0
        """
    store = import_store(export(tmp_path, opportunities=opportunities))
    assert rejects(store) == [("opportunities", "opportunities.csv", 3, "amount", "negative amount")]
    assert column(store, "select opportunity_id from opportunities order by 1") == ["O1", "O3"]


def test_reference_to_an_unknown_lead(tmp_path, import_store):
    store = import_store(export(
        tmp_path,
        stage_history=HISTORY + "    L9,mql,2026-01-08 09:00:00\n",
        touches="touch_id,lead_id,occurred_at,channel\nT1,L1,2026-01-05 10:00,Web\nT2,L9,2026-01-05 10:00,Web\n",
        opportunities="opportunity_id,lead_id,created_at,status,amount\nO1,L9,2026-01-10,open,5\n",
    ))
    assert [(r[0], r[2], r[3]) for r in rejects(store)] == [
        ("opportunities", 2, "lead_id"), ("stage_history", 6, "lead_id"), ("touches", 3, "lead_id")]
    assert all("unknown lead" in r[4] for r in rejects(store))
    assert column(store, "select touch_id from touches") == ["T1"]


def test_ragged_rows_and_embedded_newlines_keep_physical_line_numbers(tmp_path, import_store):
    leads = (
        "lead_id,created_at,source,owner_id\n"           # 1
        'L1,2026-01-05 09:00:00,"Web\ninar",R1\n'         # 2-3: a quoted line break
        "L2,2026-01-06 09:00:00,Outbound,R2,extra\n"      # 4: too many fields
        "L3,not a date,Webinar,R1\n"                      # 5: unparseable date
        'L4,2026-01-08 09:00:00,"Event, ""Berlin""",R2\n'  # 6: quoted comma and quotes
        "\n"                                              # 7: blank
        "L5,2026-01-09 09:00:00\n"                        # 8: too few fields
        'L6,2026-01-10 09:00:00,"a\n\nb",R1\n'            # 9-11
        "L7,2026-01-11 09:00:00,Web,R1,x,y\n"             # 12: too many fields
    )
    history = "lead_id,stage,entered_at\nL1,lead,2026-01-05 09:00:00\nL4,lead,2026-01-08 09:00:00\n"
    store = import_store(write_export(tmp_path / "x", {"leads": leads, "stage_history": history}))
    got = [(r[2], r[3], r[4]) for r in rejects(store)]
    assert got == [
        (4, None, "expected 4 fields, found 5"),
        (5, "created_at", "not a valid timestamp"),
        (8, None, "expected 4 fields, found 2"),
        (12, None, "expected 4 fields, found 6"),
    ]
    assert store.con.execute("select lead_id, source from leads order by 1").fetchall() == [
        ("L1", "Web\ninar"), ("L4", 'Event, "Berlin"'), ("L6", "a\n\nb")]


@pytest.mark.parametrize(("broken", "span", "loaded"), [
    # a quote never closed: the rest of the file (lines 4-6) would be one value
    ('L2,2026-01-06 09:00:00,R1,"Webinar\n', "4-6", ["L0"]),
    # a quote closed mid-value on the next line: lines 4-5 would be one value; L4 and L5 are fine
    ('L2,2026-01-06 09:00:00,R1,"Webinar\nL3,2026-01-07 09:00:00,R2,"Out"bound\n', "4-5", ["L0", "L4", "L5"]),
])
def test_unclosed_quote_does_not_swallow_the_rows_after_it(tmp_path, import_store, broken, span, loaded):
    leads = (
        "lead_id,created_at,owner_id,source\n"           # 1
        "L0,2026-01-04 09:00:00,R1,Web\n"                 # 2
        "L1,2026-01-05 09:00:00,R1,Web,extra\n"           # 3: ragged, so the exact reader is used
        + broken +                                        # 4: the broken quote ...
        "L4,2026-01-08 09:00:00,R2,Outbound\n"            # ... and the lines after it
        "L5,2026-01-09 09:00:00,R2,Outbound\n"
    )
    store = import_store(write_export(tmp_path / "x", {"leads": leads, "stage_history": "lead_id,stage,entered_at\n"}))
    got = [(r[2], r[4]) for r in rejects(store)]
    # the lines read as one row are rejected together (never loaded as one odd value)
    assert got[0] == (3, "expected 4 fields, found 5")
    assert [g[0] for g in got[1:]] == [4] and f"lines {span}" in got[1][1] and "quote" in got[1][1]
    assert column(store, "select lead_id from leads order by 1") == loaded


def test_ragged_row_through_the_cli(tmp_path):
    folder = export(tmp_path, leads=LEADS + "    L4,2026-01-08 09:00:00,Web,R1,extra\n")
    p = run_cli("import", folder, "--db", tmp_path / "db" / "x.duckdb")
    assert p.returncode == 0, p.stderr
    assert "Traceback" not in p.stderr
    assert re.search(r"leads\s+3 loaded\s+1 rejected", p.stdout)


# --- encodings and file formats --------------------------------------------------------------------

CHINESE_LEADS = (
    "lead_id,created_at,source,industry,region,company\n"
    "C1,2026-01-05 09:00:00,微信公众号,软件,华东,北京数据科技有限公司\n"
    "C2,2026-01-06 09:00:00,百度搜索,零售,华南,上海零售集团\n"
)


def test_gb18030_chinese_text(tmp_path, import_store):
    history = "lead_id,stage,entered_at\nC1,lead,2026-01-05 09:00:00\nC2,线索,2026-01-06 09:00:00\n"
    folder = write_export(tmp_path / "x", {"leads": CHINESE_LEADS.encode("gb18030"),
                                           "stage_history": history.encode("gb18030")})
    store = import_store(folder)
    assert store.con.execute("select lead_id, source, industry, region, company from leads order by 1").fetchall() == [
        ("C1", "微信公众号", "软件", "华东", "北京数据科技有限公司"),
        ("C2", "百度搜索", "零售", "华南", "上海零售集团")]
    # the rejected value comes through intact too
    assert store.con.execute("select line, column_name, value from rejects").fetchall() == [(3, "stage", "线索")]


def test_latin1_text(tmp_path, import_store):
    leads = "lead_id,created_at,source,industry\nL1,2026-01-05 09:00:00,Búsqueda orgánica,Construcción\n"
    opportunities = ("opportunity_id,lead_id,created_at,closed_at,status,amount,loss_reason\n"
                     "O1,L1,2026-01-10,2026-01-20,lost,900,Negociación\n")
    folder = write_export(tmp_path / "x", {"leads": leads.encode("latin-1"),
                                           "stage_history": HISTORY_L1,
                                           "opportunities": opportunities.encode("latin-1")})
    store = import_store(folder)
    assert store.con.execute("select source, industry from leads").fetchall() == [
        ("Búsqueda orgánica", "Construcción")]
    assert column(store, "select loss_reason from opportunities") == ["Negociación"]
    assert rejects(store) == []


def test_utf8_bom(tmp_path, import_store):
    leads = "lead_id,created_at,source,region\nL1,2026-01-05 09:00:00,Webinar,Zürich\n"
    folder = write_export(tmp_path / "x", {"leads": codecs.BOM_UTF8 + leads.encode("utf-8"),
                                           "stage_history": codecs.BOM_UTF8 + HISTORY_L1.encode("utf-8")})
    store = import_store(folder)
    assert store.con.execute("select lead_id, region from leads").fetchall() == [("L1", "Zürich")]
    assert column(store, "select stage from stage_history") == ["lead"]
    assert rejects(store) == []


HISTORY_L1 = "lead_id,stage,entered_at\nL1,lead,2026-01-05 09:00:00\n"


def test_xlsx(tmp_path, import_store):
    sheet = [
        ["lead_id", "Created At", "source", "score"],           # row 1: header (normalised)
        ["X1", datetime(2026, 1, 5, 9, 0), "Webinar", 82],       # row 2: a real Excel date-time
        ["X2", "2026-01-06 10:30:00", "Événement", 55.5],        # row 3: a date as text
        ["X3", "soon", "Web", 40],                               # row 4: unparseable date
        ["X4", datetime(2026, 1, 7, 0, 0), None, 101],           # row 5: score out of range
    ]
    history = "lead_id,stage,entered_at\nX1,lead,2026-01-05 09:00:00\n"
    folder = write_export(tmp_path / "x", {"leads.xlsx": _xlsx(sheet), "stage_history": history})
    store = import_store(folder)
    assert store.con.execute("select lead_id, created_at, source, score from leads order by 1").fetchall() == [
        ("X1", datetime(2026, 1, 5, 9, 0), "Webinar", 82.0),
        ("X2", datetime(2026, 1, 6, 10, 30), "Événement", 55.5)]
    assert rejects(store) == [("leads", "leads.xlsx", 4, "created_at", "not a valid timestamp"),
                              ("leads", "leads.xlsx", 5, "score", "score outside the configured range")]


def test_parquet(tmp_path, import_store):
    folder = tmp_path / "x"
    folder.mkdir()
    pl.DataFrame({
        "lead_id": ["P1", "P2"],
        "created_at": [datetime(2026, 1, 5, 9), datetime(2026, 1, 6, 9)],
        "Source": ["Webinar", "Paid Social"],
        "score": [82, 55],
    }).write_parquet(folder / "leads.parquet")
    pl.DataFrame({
        "lead_id": ["P1", "P2", "P2"],
        "stage": ["lead", "lead", "mql"],
        # a zone-aware column: 10:00 in Berlin (winter) is 09:00 UTC
        "entered_at": pl.Series([datetime(2026, 1, 5, 10), datetime(2026, 1, 6, 10), None])
        .dt.replace_time_zone("Europe/Berlin"),
    }).write_parquet(folder / "stage_history.parquet")
    store = import_store(folder)
    assert store.con.execute("select lead_id, created_at, source, score from leads order by 1").fetchall() == [
        ("P1", datetime(2026, 1, 5, 9), "Webinar", 82.0), ("P2", datetime(2026, 1, 6, 9), "Paid Social", 55.0)]
    assert store.con.execute("select lead_id, entered_at from stage_history order by 1").fetchall() == [
        ("P1", datetime(2026, 1, 5, 9)), ("P2", datetime(2026, 1, 6, 9))]
    # the third row of the file (row number 3) has no entered_at
    assert rejects(store) == [("stage_history", "stage_history.parquet", 3, "entered_at", "required value missing")]


# --- time zones --------------------------------------------------------------------------------------

def test_timestamp_with_offset_is_stored_as_utc(tmp_path, import_store):
    leads = ("lead_id,created_at\n"
             "L1,2026-01-05T09:00:00+02:00\n"
             "L2,2026-01-05T09:00:00Z\n"
             "L3,2026-01-05 09:00:00-05:00\n")
    history = "lead_id,stage,entered_at\nL1,lead,2026-01-05T09:00:00+02:00\nL2,lead,2026-01-05T09:00:00Z\n"
    store = import_store(write_export(tmp_path / "x", {"leads": leads, "stage_history": history}))
    assert store.con.execute("select lead_id, created_at from leads order by 1").fetchall() == [
        ("L1", datetime(2026, 1, 5, 7)), ("L2", datetime(2026, 1, 5, 9)), ("L3", datetime(2026, 1, 5, 14))]
    assert column(store, "select entered_at from stage_history order by lead_id") == [
        datetime(2026, 1, 5, 7), datetime(2026, 1, 5, 9)]
    assert rejects(store) == []


def test_config_timezone_applies_to_naive_timestamps(tmp_path, import_store):
    config = tmp_path / "berlin.toml"
    config.write_text('timezone = "Europe/Berlin"\ntimestamp_formats = ["%d/%m/%Y %H:%M"]\n', encoding="utf-8")
    leads = ("lead_id,created_at\n"
             "L1,2026-01-05 09:00:00\n"        # CET, UTC+1 -> 08:00 UTC
             "L2,2026-07-01 09:00:00\n"        # CEST, UTC+2 -> 07:00 UTC
             "L3,2026-01-05T09:00:00+02:00\n"  # an explicit offset wins -> 07:00 UTC
             "L4,2026-01-05\n"                 # midnight in Berlin -> 2026-01-04 23:00 UTC
             "L5,05/01/2026 09:00\n")          # a configured format, also Berlin -> 08:00 UTC
    store = import_store(write_export(tmp_path / "x", {"leads": leads, "stage_history": HISTORY_L1}),
                         config=config)
    assert store.con.execute("select lead_id, created_at from leads order by 1").fetchall() == [
        ("L1", datetime(2026, 1, 5, 8)), ("L2", datetime(2026, 7, 1, 7)), ("L3", datetime(2026, 1, 5, 7)),
        ("L4", datetime(2026, 1, 4, 23)), ("L5", datetime(2026, 1, 5, 8))]
    # L1's lead entry (09:00 Berlin = 08:00 UTC) is not before L1 was created
    assert rejects(store) == []
    # and the same naive value under the default (UTC) is taken as UTC
    default = import_store(write_export(tmp_path / "y", {"leads": leads, "stage_history": HISTORY_L1}))
    assert column(default, "select created_at from leads where lead_id = 'L1'") == [datetime(2026, 1, 5, 9)]
    assert [r[2] for r in rejects(default)] == [6]  # 05/01/2026 is no ISO date without the format


def test_as_of_is_utc(tmp_path, import_store):
    leads = "lead_id,created_at\nL1,2026-01-05T23:30:00-02:00\n"
    store = import_store(write_export(tmp_path / "x", {"leads": leads, "stage_history": HISTORY_L1}))
    # the latest event is L1's creation: 2026-01-05 23:30 at -02:00 = 2026-01-06 01:30 UTC
    assert store.default_as_of == datetime(2026, 1, 6, 1, 30)


# --- extra files -------------------------------------------------------------------------------------

def test_unknown_extra_file_is_reported_as_skipped(tmp_path, capsys):
    folder = export(tmp_path, notes="whatever,this,is\n1,2,3\n")
    (folder / "README.md").write_text("not a table", encoding="utf-8")
    db = tmp_path / "db" / "x.duckdb"
    messages: list[str] = []
    result = import_folder(folder, db, load_config(), say=messages.append)
    assert any("skipped notes.csv" in m for m in messages)
    assert {t.table for t in result.tables} == {"leads", "stage_history"}
    assert result.rejected == 0
    # the CLI prints it and succeeds
    assert cli.main(["import", str(folder), "--db", str(db)]) == 0
    assert "skipped notes.csv" in capsys.readouterr().out


# --- no traceback anywhere: every bad folder above, in-process and through the CLI --------------------

BAD_FOLDERS = {
    "missing column": {"leads": "lead_id,source\nL1,Webinar\n"},
    "bad date": {"stage_history": HISTORY + "    L1,sql,someday\n"},
    "unknown stage": {"stage_history": HISTORY + "    L1,closing,2026-01-08\n"},
    "duplicates": {"leads": LEADS + "    L1,2026-01-05 09:00:00,X,R1\n    L2,2026-01-06 09:00:00,Outbound,R2\n"},
    "before created": {"stage_history": HISTORY + "    L3,mql,2026-01-01\n"},
    "negative amount": {"opportunities": "opportunity_id,created_at,amount\nO1,2026-01-10,-1\n"},
    "unknown lead": {"touches": "touch_id,lead_id,occurred_at\nT1,L404,2026-01-05\n"},
    "ragged": {"leads": LEADS + "    L4,2026-01-08,Web,R1,extra,more\n"},
    "embedded newline": {"leads": LEADS + '    L4,2026-01-08,"Web\n    site",R1\n'},
    "empty file": {"campaigns": ""},
    "corrupt xlsx": {"campaigns.xlsx": b"\x00\x01"},
    "no stage_history": {"stage_history": None},
}


@pytest.mark.parametrize("case", sorted(BAD_FOLDERS))
def test_bad_input_never_gives_a_traceback(tmp_path, capsys, case):
    tables = {"leads": LEADS, "stage_history": HISTORY, **BAD_FOLDERS[case]}
    folder = write_export(tmp_path / "x", {k: v for k, v in tables.items() if v is not None})
    code = cli.main(["import", str(folder), "--db", str(tmp_path / "db" / "x.duckdb")])
    out, err = capsys.readouterr()
    assert code in (0, 2)
    if code:
        assert err.startswith("error: ") and len(err.strip().splitlines()) == 1
    else:
        assert "database written" in out


@pytest.mark.parametrize("case", ["unknown stage", "embedded newline", "no stage_history"])
def test_bad_input_through_the_cli_subprocess(tmp_path, case):
    tables = {"leads": LEADS, "stage_history": HISTORY, **BAD_FOLDERS[case]}
    folder = write_export(tmp_path / "x", {k: v for k, v in tables.items() if v is not None})
    p = run_cli("import", folder, "--db", tmp_path / "db" / "x.duckdb")
    assert "Traceback" not in p.stderr
    assert (p.returncode == 0) == (case != "no stage_history")


def test_import_reports_its_progress_in_order_up_to_done(tmp_path, monkeypatch, capsys):
    steps = []
    import_folder(GOLDEN_INPUT, tmp_path / "g.duckdb", load_config(), say=quiet,
                  on_progress=lambda done, step: steps.append((done, step)))
    fractions = [d for d, _ in steps]
    assert fractions == sorted(fractions) and fractions[0] == 0 and fractions[-1] == 1.0
    assert any(s.startswith("reading leads.") for _, s in steps) and any("lead_stages" in s for _, s in steps)

    monkeypatch.setattr("sys.stderr.isatty", lambda: True)  # a person watching a terminal sees a bar
    cli.main(["import", str(GOLDEN_INPUT), "--db", str(tmp_path / "h.duckdb")])
    assert "[##############################] 100%" in capsys.readouterr().err
