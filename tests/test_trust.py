"""Trust (issue 8): the read connection cannot touch files or change settings, every value from a
widget or URL is a bound parameter, column names pass an allow-list, and the importer survives
random and hostile input — loading or rejecting every row, never leaving a half-written database."""
from __future__ import annotations

import csv
import hashlib
import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analytics.core.config import load_config
from analytics.core.filters import Filters
from analytics.engine import handoff, journey, metrics, revenue, strategy, winloss
from analytics.importers.load import ImportFailed, import_folder
from analytics.store.db import NotADatabase, open_store
from analytics.store.sql import UnknownColumn
from tests.conftest import GOLDEN_INPUT, ROOT, quiet, write_export

HOSTILE = [
    "'", "\"", "'; drop table leads; --", "\"; drop table leads; --", "read_csv('/etc/passwd')",
    "x' or '1'='1", "$as_of", "{by}", "\\", "%s", "😀 线索 Négociación", "a" * 10_000, "\x00", "\n;\n",
]


def test_read_connection_cannot_touch_files_or_settings(golden_store):
    con = golden_store.con
    for statement in ("select * from read_csv('/etc/passwd')", "copy leads to '/tmp/out.csv'",
                      "attach '/tmp/other.duckdb'", "set enable_external_access = true",
                      "create table t as select 1", "drop table leads", "install httpfs"):
        cur = con.cursor()
        with pytest.raises(duckdb.Error):
            cur.execute(statement).fetchall()
        cur.close()
    assert golden_store.con.execute("select count(*) from leads").fetchall() == [(10,)]


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_filter_values_are_data(golden_store, value):
    f = Filters(sources=(value,), regions=(value,), industries=(value,), owners=(value,))
    assert metrics.conversion(golden_store, "mql", "sql", by="source", filters=f).height == 0
    assert metrics.conversion(golden_store, "mql", "sql", filters=f)["cohort"].to_list() == [0]
    assert metrics.funnel(golden_store, filters=f).height == 0
    assert metrics.velocity(golden_store, filters=f).height == 0
    assert metrics.stalled(golden_store, filters=f).height == 0
    assert handoff.quality(golden_store, filters=f)["handed_off"].to_list() == [0]
    assert handoff.breaches(golden_store, filters=f).height == 0
    assert winloss.winloss(golden_store, filters=f)["closed"].to_list() == [0]
    assert revenue.attribution(golden_store, "linear", "won", "channel", f).height == 0
    assert journey.journey(golden_store, lead_id=value).height == 0
    assert journey.journey(golden_store, account_id=value).height == 0
    assert journey.search_leads(golden_store, value).height == 0
    assert strategy.portfolio(golden_store, "12m", filters=f).height == 0
    assert strategy.growth_paths(golden_store, "12m", filters=f)["current_amount"].sum() == 0
    assert golden_store.con.execute("select count(*) from leads").fetchall() == [(10,)]


@pytest.mark.parametrize("value", HOSTILE + ["source; drop table leads", "source\"", "lead_id"])
def test_hostile_column_names_are_refused(golden_store, value):
    for call in (lambda: metrics.conversion(golden_store, "mql", "sql", by=value),
                 lambda: metrics.velocity(golden_store, by=value),
                 lambda: handoff.quality(golden_store, by=value),
                 lambda: handoff.sla(golden_store, by=value),
                 lambda: winloss.winloss(golden_store, by=value),
                 lambda: revenue.attribution(golden_store, "linear", "won", value),
                 lambda: strategy.portfolio(golden_store, "12m", unit=(value,)),
                 lambda: strategy.growth_paths(golden_store, "12m", unit=("product", value))):
        with pytest.raises(UnknownColumn):
            call()


def test_hostile_by_on_the_command_line_is_a_message(golden_db):
    p = subprocess.run([sys.executable, "-m", "analytics", "report", "conversion", "--db", str(golden_db),
                        "--by", "source; drop table leads"], cwd=ROOT, capture_output=True, text=True)
    assert p.returncode == 2 and "Traceback" not in p.stderr and "not a column" in p.stderr


# --- fuzzing the importer -----------------------------------------------------------------------

CELL = st.one_of(
    st.just(""), st.text(max_size=12), st.integers(-10**9, 10**9).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.sampled_from(["2026-01-05 09:00:00", "2026-01-05", "2026-01-05T09:00:00Z", "05/01/2026", "2026-13-45",
                     "yesterday", "lead", "mql", "won", "MQL", "recycled", "open", "lost", "-5", "1e309",
                     "x" * 5000, "线索", "Négociación", "\"quoted\"", "a,b", "line\nbreak"]),
)
COLUMNS = {
    "leads": ["lead_id", "created_at", "source", "score", "industry", "extra one"],
    "stage_history": ["lead_id", "stage", "entered_at"],
    "opportunities": ["opportunity_id", "lead_id", "created_at", "closed_at", "status", "amount"],
}


@st.composite
def exports(draw):
    tables = {}
    for name, columns in COLUMNS.items():
        chosen = draw(st.lists(st.sampled_from(columns), unique=True, min_size=1, max_size=len(columns)))
        if draw(st.integers(0, 9)) > 0:  # mostly keep the required columns so rows get checked
            chosen = list(dict.fromkeys([c for c in columns[:3] if c in columns] + chosen))
        ids = draw(st.lists(st.sampled_from(["L1", "L2", "L3", "", "L1 "]), min_size=0, max_size=8))
        rows = [[(ids[i] if c in ("lead_id",) and i < len(ids) else draw(CELL)) for c in chosen]
                for i in range(draw(st.integers(0, 8)))]
        tables[name] = (chosen, rows)
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "latin-1"]))
    return tables, encoding


def _write(folder: Path, tables, encoding) -> dict[str, int]:
    """Write the tables; return the number of data records each file holds (by Python's csv)."""
    folder.mkdir(parents=True)
    records = {}
    for name, (columns, rows) in tables.items():
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(rows)
        data = buffer.getvalue().encode(encoding, errors="replace")
        (folder / f"{name}.csv").write_bytes(data)
        text = data.decode(encoding, errors="replace")
        records[name] = sum(1 for r in csv.reader(io.StringIO(text, newline="")) if r and r != [""]) - 1
    return records


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(export=exports())
def test_fuzzed_exports_load_or_reject_every_row(tmp_path_factory, golden_db, export):
    tables, encoding = export
    root = tmp_path_factory.mktemp("fuzz")
    records = _write(root / "in", tables, encoding)
    db = root / "db.duckdb"
    db.write_bytes(golden_db.read_bytes())  # a previous database that must survive a failure
    before = _digest(db)
    try:
        result = import_folder(root / "in", db, load_config(), say=quiet)
    except ImportFailed as e:
        assert str(e)  # a message, and the previous database untouched
        assert _digest(db) == before
        assert not [p for p in db.parent.iterdir() if p.name.endswith(".tmp")]
        return
    store = open_store(db)
    try:
        for t in result.tables:
            assert t.loaded + t.rejected == records[t.table], (t, records)
    finally:
        store.close()


def test_fuzzed_input_never_prints_a_traceback(tmp_path):
    folder = write_export(tmp_path / "in", {
        "leads": "lead_id,created_at\nL1,not a date\nL1,2026-01-01\n\"L2,2026\n",
        "stage_history": "lead_id,stage,entered_at\nL1,nowhere,2026-01-01\nL9,lead,2026-01-01\n"})
    (folder / "opportunities.csv").write_bytes(b"\xff\xfe\x00garbage\x00\x00")
    p = subprocess.run([sys.executable, "-m", "analytics", "import", str(folder), "--db", str(tmp_path / "x.duckdb")],
                       cwd=ROOT, capture_output=True, text=True)
    assert "Traceback" not in p.stderr, p.stderr


def test_killed_import_leaves_the_previous_database(tmp_path, golden_db):
    from analytics.sample.generate import generate

    generate(tmp_path / "big", leads=60_000, seed=3)
    db = tmp_path / "closed_loop.duckdb"
    db.write_bytes(golden_db.read_bytes())
    before = _digest(db)
    proc = subprocess.Popen([sys.executable, "-m", "analytics", "import", str(tmp_path / "big"), "--db", str(db)],
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 60
    while time.time() < deadline and not any(p.name.endswith(".tmp") for p in tmp_path.iterdir()):
        time.sleep(0.05)
    time.sleep(0.5)  # well into writing the new database
    assert proc.poll() is None, "the import finished before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert _digest(db) == before
    store = open_store(db)
    try:
        assert store.con.execute("select count(*) from leads").fetchall() == [(10,)]
        assert metrics.conversion(store, "mql", "sql", by="source")["cohort"].sum() == 9
    finally:
        store.close()
    # the next import cleans up after the killed one
    import_folder(GOLDEN_INPUT, db, load_config(), say=quiet)
    assert not [p for p in tmp_path.iterdir() if p.name.endswith((".tmp", ".tmp.wal"))]


def test_a_database_from_an_older_version_asks_for_a_re_import(tmp_path, golden_db):
    old = tmp_path / "old.duckdb"
    old.write_bytes(golden_db.read_bytes())
    con = duckdb.connect(str(old))
    con.execute("alter table meta drop column schema_version")
    con.close()
    with pytest.raises(NotADatabase, match="older version"):
        open_store(old)
