"""The warehouse (docs/scale.md): every table of an import as Parquet under one path, read back through
views in a locked in-memory DuckDB. Every report from the warehouse equals the report from the
database file (the golden figures hold), a failed import leaves the previous build live, the reading
connection can read the build's files and nothing else and write nothing; and the DuckDB limits of
[engine.duckdb] reach every connection an import or a report opens."""
from __future__ import annotations

import os
import shlex
import time
from datetime import timedelta
from pathlib import Path

import duckdb
import pytest
from conftest import GOLDEN_INPUT, quiet, run_cli
from polars.testing import assert_frame_equal
from streamlit.testing.v1 import AppTest
from test_golden import _expected, _index, _rows, compare

from analytics.core.config import ConfigError, EngineSettings, load_config, load_engine_settings
from analytics.engine.base import MetricError
from analytics.importers.load import ImportFailed, import_folder
from analytics.outputs import cli
from analytics.outputs.reports import REPORTS, Options
from analytics.store import limits, warehouse
from analytics.store.db import SAMPLE_DIR, NotADatabase, open_store
from analytics.store.sql import UnknownColumn

ROOT = Path(__file__).resolve().parents[1]
SMALL = EngineSettings(memory_limit="300MB", threads=1)
# Reports whose ORDER BY is not total yet (issue 15 item 1, the portable-SQL work, makes it total): the same
# rows, in an order ties may change between a file and Parquet scans.
ORDER_WITH_TIES = {"stalled_by_owner"}


def _pair(folder: Path, where: Path):
    db = where / "closed_loop.duckdb"
    import_folder(folder, db, load_config(), say=quiet)
    warehouse.write_from_database(db, where / "warehouse", say=quiet)
    return db, where / "warehouse"


@pytest.fixture(scope="module")
def golden(tmp_path_factory):
    return _pair(GOLDEN_INPUT, tmp_path_factory.mktemp("wh_golden"))


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    return _pair(SAMPLE_DIR, tmp_path_factory.mktemp("wh_sample"))


def _stores(pair):
    db, wh = pair
    return open_store(db), warehouse.open_warehouse(wh)


# --- the same figures ---------------------------------------------------------------------------------

def _option_sets(store) -> list[Options]:
    """What the CLI and the app really bind: no options, every breakdown kind, a period, an as-of in the
    past, each SLA measure, attribution models and bases, the month grain, a conversion window."""
    as_of = store.default_as_of
    past = as_of - timedelta(days=45)
    start = (as_of - timedelta(days=200)).date()
    return [Options(),
            Options(by="source", grain="month", model="w_shaped", basis="pipeline", measure="decision"),
            Options(by="region", as_of=past, model="time_decay", measure="recycle", hours=8),
            Options(by="owner_id", start=start, end=past.date(), model="first_touch", from_stage="lead",
                    to_stage="opportunity", window=30),
            Options(by="industry", as_of=past, grain="month", model="u_shaped"),
            Options(by="channel")]


@pytest.mark.parametrize("which", ["golden", "sample"])
def test_every_report_from_the_warehouse_equals_the_database(which, request):
    db_store, wh_store = _stores(request.getfixturevalue(which))
    try:
        assert wh_store.data_version == db_store.data_version
        assert wh_store.default_as_of == db_store.default_as_of
        assert wh_store.cfg == db_store.cfg
        compared = 0
        for options in _option_sets(db_store):
            for name, report in REPORTS.items():
                try:
                    expected = report(db_store, options)
                except (MetricError, UnknownColumn) as error:
                    with pytest.raises(type(error)):
                        report(wh_store, options)
                    continue
                got = report(wh_store, options)
                if name in ORDER_WITH_TIES:
                    got, expected = got.sort(got.columns), expected.sort(expected.columns)
                assert_frame_equal(got, expected, check_exact=True), (name, options)
                compared += 1
        assert compared > 80
    finally:
        db_store.close()
        wh_store.close()


def test_tables_keep_their_types_and_rows(sample):
    db_store, wh_store = _stores(sample)
    try:
        query = ("select table_name, column_name, data_type from information_schema.columns "
                 "where table_schema = 'main' order by all")
        assert wh_store.con.execute(query).fetchall() == db_store.con.execute(query).fetchall()
        for table in ("lead_stages", "handoffs", "deal_facts", "stalled_now", "rejects", "meta"):
            assert_frame_equal(wh_store.con.sql(f"select * from {table}").pl(),
                               db_store.con.sql(f"select * from {table}").pl(), check_exact=True)
    finally:
        db_store.close()
        wh_store.close()


@pytest.mark.parametrize("row", _index(), ids=lambda r: r["file"].removesuffix(".csv"))
def test_golden_figures_from_the_warehouse(row, golden, capsys):
    args = shlex.split(row["report arguments"])
    if args[0] not in REPORTS:
        pytest.skip(f"report {args[0]!r} is not implemented")
    code = cli.main(["report", *args, "--warehouse", str(golden[1]), "--format", "csv"])
    out, err = capsys.readouterr()
    assert code == 0, err
    problems = compare(_expected(row["file"]), _rows(out))
    assert not problems, f"{row['file']}: " + "; ".join(problems)


# --- the command line -----------------------------------------------------------------------------------

def _cli(capsys, *args) -> tuple[int, str, str]:
    """The command line in this process (a subprocess costs seconds of start-up per call)."""
    code = cli.main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def test_import_writes_a_warehouse_and_reports_read_it(tmp_path, capsys, monkeypatch):
    wh, spill = tmp_path / "wh", tmp_path / "spill"
    p = run_cli("import", GOLDEN_INPUT, "--warehouse", wh, "--memory-limit", "500MB", "--threads", "1",
                "--temp-dir", spill)
    assert p.returncode == 0, p.stderr
    assert f"warehouse written: {wh}" in p.stdout
    assert "DuckDB: memory_limit 476.8 MiB, threads 1; nothing spilled to disk" in p.stdout
    assert list(spill.iterdir()) == []  # the spill folder is removed after the import
    build = warehouse.current_build(wh)
    assert {"leads", "lead_stages", "deal_facts", "meta", "settings", "rejects"} <= {p.name for p in build.iterdir()}
    assert (wh / "_CURRENT").read_text().strip() == build.name
    code, out, err = _cli(capsys, "report", "conversion", "--by", "region", "--warehouse", wh, "--threads", "1")
    assert code == 0, err
    assert out.startswith("region,cohort,converted")
    monkeypatch.setenv("CLOSED_LOOP_WAREHOUSE", str(wh))
    monkeypatch.setenv("CLOSED_LOOP_DB", str(tmp_path / "no"))
    code, out, err = _cli(capsys, "report", "conversion")
    assert code == 0, err
    code, out, err = _cli(capsys, "pack", "weekly", "--warehouse", wh, "--out", tmp_path / "pack.html")
    assert code == 0, err


def test_spark_and_missing_warehouses_are_plain_errors(tmp_path, capsys):
    for args in (["report", "conversion", "--warehouse", tmp_path, "--engine", "spark"],
                 ["import", GOLDEN_INPUT, "--engine", "spark", "--master", "local[2]"],  # no --warehouse
                 ["report", "conversion", "--warehouse", tmp_path / "none"],
                 ["report", "conversion", "--warehouse", "s3a://bucket/closed_loop"],
                 ["import", GOLDEN_INPUT, "--warehouse", tmp_path, "--memory-limit", "lots"],
                 ["import", GOLDEN_INPUT, "--warehouse", tmp_path, "--threads", "0"]):
        code, out, err = _cli(capsys, *args)
        assert code == 2, (args, out, err)
        assert err.startswith("error: "), err
    assert not (tmp_path / "_CURRENT").exists()


def test_spark_import_without_pyspark_or_java_says_so(tmp_path, capsys, monkeypatch):
    """import --engine spark on a machine without Java, or without pyspark: exit 2 and a sentence saying
    what is missing, no traceback, no warehouse (simulated: Spark itself is never started here)."""
    import importlib.util
    import sys

    if importlib.util.find_spec("pyspark") is not None:  # the Java check comes after pyspark's
        with monkeypatch.context() as m:
            m.setattr("shutil.which", lambda name: None)
            m.delenv("JAVA_HOME", raising=False)
            code, out, err = _cli(capsys, "import", GOLDEN_INPUT, "--engine", "spark", "--master", "local[2]",
                                  "--warehouse", tmp_path / "wh")
        assert code == 2, (out, err)
        assert err.startswith("error: --engine spark needs Java 17 or later"), err
    monkeypatch.setitem(sys.modules, "pyspark", None)  # `import pyspark` raises ImportError
    code, out, err = _cli(capsys, "import", GOLDEN_INPUT, "--engine", "spark", "--warehouse", tmp_path / "wh")
    assert code == 2, (out, err)
    assert err.startswith("error: --engine spark needs pyspark") and "Traceback" not in err
    assert not (tmp_path / "wh" / "_CURRENT").exists()


def test_a_failed_import_leaves_the_previous_warehouse(golden, tmp_path):
    wh = tmp_path / "wh"
    assert run_cli("import", GOLDEN_INPUT, "--warehouse", wh).returncode == 0
    before = warehouse.current_build(wh)
    files = sorted((p.relative_to(wh), p.stat().st_mtime_ns) for p in wh.rglob("*"))
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "stage_history.csv").write_text("lead_id,stage,entered_at\nL1,mql,2026-01-01\n", encoding="utf-8")
    p = run_cli("import", broken, "--warehouse", wh)  # no leads.csv: the import stops
    assert p.returncode == 2 and "leads" in p.stderr
    assert warehouse.current_build(wh) == before
    assert sorted((p.relative_to(wh), p.stat().st_mtime_ns) for p in wh.rglob("*")) == files


def test_a_failure_while_writing_leaves_the_previous_build(golden, tmp_path, monkeypatch):
    db, _ = golden
    wh = tmp_path / "wh"
    first = warehouse.write_from_database(db, wh, say=quiet)
    written = []

    def failing_copy(con, table, folder):
        if len(written) == 5:
            raise OSError(28, "No space left on device")
        written.append(table)
        original(con, table, folder)

    original = warehouse._copy_table
    monkeypatch.setattr(warehouse, "_copy_table", failing_copy)
    with pytest.raises(OSError):
        warehouse.write_from_database(db, wh, say=quiet)
    assert warehouse.current_build(wh) == first
    assert sorted(p.name for p in wh.iterdir()) == ["_CURRENT", first.name]  # no staging left behind
    store = warehouse.open_warehouse(wh)
    assert store.con.execute("select count(*) from leads").fetchall() == [(10,)]
    store.close()


def test_a_new_build_is_published_and_the_previous_kept(golden, tmp_path):
    db, _ = golden
    wh = tmp_path / "wh"
    builds = []
    for _ in range(3):
        builds.append(warehouse.write_from_database(db, wh, say=quiet))
        time.sleep(0.01)
    assert warehouse.current_build(wh) == builds[-1]
    assert sorted(p.name for p in wh.glob("build-*")) == sorted(b.name for b in builds[1:])
    abandoned = wh / ".staging-999999999-dead"
    abandoned.mkdir()
    warehouse.write_from_database(db, wh, say=quiet)
    assert not abandoned.exists()


# --- the locked connection -----------------------------------------------------------------------------

def test_the_warehouse_connection_reads_its_build_only_and_writes_nothing(golden, tmp_path):
    db, wh = golden
    build = warehouse.current_build(wh)
    elsewhere = tmp_path / "elsewhere.parquet"
    duckdb.connect().execute(f"copy (select 1 as x) to '{elsewhere}'")
    before = sorted((p, p.stat().st_mtime_ns) for p in wh.rglob("*"))
    store = warehouse.open_warehouse(wh)
    leads = build / "leads" / "part-0.parquet"
    try:
        assert store.con.execute(f"select count(*) from read_parquet('{leads}')").fetchall() == [(10,)]
        refused = [
            "select * from read_csv('/etc/passwd')",
            f"select * from read_parquet('{elsewhere}')",
            f"select * from read_parquet('{build}/*/*.parquet')",
            f"copy (select 1) to '{build}/leads/part-1.parquet'",
            f"copy (select * from leads) to '{leads}'",
            f"copy (select * from leads) to '{leads}' (overwrite true)",
            f"copy leads to '{tmp_path}/out.csv'",
            f"attach '{db}' as other",
            f"attach '{tmp_path}/new.duckdb' as other",
            f"export database '{tmp_path}/exported'",
            "set enable_external_access = true",
            "set allowed_directories = ['/']",
            f"set allowed_paths = ['{elsewhere}']",
            "set lock_configuration = false",
            "install httpfs",
        ]
        for sql in refused:
            with pytest.raises(duckdb.Error):
                store.con.execute(sql)
    finally:
        store.close()
    assert sorted((p, p.stat().st_mtime_ns) for p in wh.rglob("*")) == before
    assert not (tmp_path / "out.csv").exists() and not (tmp_path / "new.duckdb").exists()


def test_a_published_build_is_read_only_on_disk(golden):
    """What DuckDB's allow-list cannot refuse (a COPY … (use_tmp_file false) onto an allowed file) the file
    system does, for any user but root: the dashboard runs as one that cannot write the warehouse."""
    build = warehouse.current_build(golden[1])
    assert build.stat().st_mode & 0o777 == 0o555
    assert {p.stat().st_mode & 0o777 for p in build.rglob("*")} == {0o555, 0o444}
    if os.geteuid() == 0:  # root ignores file modes: ask as nobody, writing and then reading its own warehouse
        _refused_as_nobody(golden[0])
        return
    store = warehouse.open_warehouse(golden[1])
    leads = build / "leads" / "part-0.parquet"
    try:
        with pytest.raises(duckdb.Error):
            store.con.execute(f"copy (select * from leads) to '{leads}' (use_tmp_file false)")
    finally:
        store.close()
    assert leads.stat().st_size > 0


PROBE = """
import sys
sys.path.insert(0, {root!r})
from analytics.store import warehouse
warehouse.write_from_database({db!r}, {wh!r}, say=lambda m: None)  # written by the user who then reads it
store = warehouse.open_warehouse({wh!r})
leads = warehouse.current_build({wh!r}) / "leads" / "part-0.parquet"
try:
    store.con.execute(f"copy (select * from leads) to '{{leads}}' (use_tmp_file false)")
    print("written")
except Exception as e:
    print("refused", type(e).__name__)
print(store.con.execute("select count(*) from leads").fetchall()[0][0])
"""


def _refused_as_nobody(db: Path) -> None:
    import shutil
    import subprocess
    import sys
    import tempfile

    if not shutil.which("setpriv"):
        pytest.skip("root, and no setpriv to ask as another user; the modes are checked above")
    folder = Path(tempfile.mkdtemp(prefix="closed_loop_wh_"))
    try:
        folder.chmod(0o777)
        shutil.copy(db, folder / "golden.duckdb")
        (folder / "golden.duckdb").chmod(0o644)
        done = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", sys.executable, "-c",
                               PROBE.format(root=str(ROOT), db=str(folder / "golden.duckdb"), wh=str(folder / "wh"))],
                              capture_output=True, text=True, timeout=60, env={"HOME": "/tmp", "PATH": "/usr/bin"})
        if not done.stdout and ("No module named" in done.stderr or "Permission denied" in done.stderr):
            pytest.skip(f"nobody cannot run this checkout's Python: {done.stderr[-200:]}")
        assert done.stdout.split() == ["refused", "IOException", "10"], done.stdout + done.stderr
    finally:
        warehouse._remove(folder / "wh")
        shutil.rmtree(folder, ignore_errors=True)


def test_an_older_build_asks_for_a_new_import(golden, tmp_path):
    import json
    import shutil

    wh = tmp_path / "wh"
    shutil.copytree(golden[1], wh)
    manifest = warehouse.current_build(wh) / warehouse.MANIFEST
    manifest.parent.chmod(0o755)
    manifest.chmod(0o644)
    manifest.write_text(json.dumps({**json.loads(manifest.read_text()), "schema_version": 1}))
    with pytest.raises(NotADatabase, match="import the export again"):
        warehouse.open_warehouse(wh)


# --- what one machine may spend ---------------------------------------------------------------------------

def test_settings_reach_every_connection_of_an_import(tmp_path, monkeypatch):
    seen = []
    original = limits.connect

    def watched(path=None):
        con = original(path)
        seen.append(limits.current(con))
        return con

    monkeypatch.setattr(limits, "connect", watched)
    spill = tmp_path / "spill"
    result = import_folder(GOLDEN_INPUT, tmp_path / "g.duckdb", load_config(), say=quiet,
                           settings=SMALL.with_options(temp_directory=str(spill)))
    assert result.settings["memory_limit"] == "286.1 MiB" and result.settings["threads"] == "1"
    assert seen and all(s["memory_limit"] == "286.1 MiB" and s["threads"] == "1" for s in seen)
    assert all(s["temp_directory"].startswith(str(spill / ".closed_loop_spill-")) for s in seen)
    # a converter's own reader (formats/sources.py) runs inside the import's limits too
    with limits.active(SMALL, None):
        con = limits.connect()
        assert con.execute("select current_setting('memory_limit'), current_setting('threads')").fetchall() == \
            [("286.1 MiB", 1)]
        con.close()


def test_settings_reach_the_reading_connections(golden, tmp_path):
    import shutil

    db, wh = golden
    copy = tmp_path / "copy.duckdb"  # a file no other test of this process has open (DuckDB shares those)
    shutil.copy(db, copy)
    for store in (warehouse.open_warehouse(wh, SMALL), open_store(copy, settings=SMALL)):
        try:
            assert store.con.execute("select current_setting('memory_limit'), current_setting('threads')"
                                     ).fetchall() == [("286.1 MiB", 1)]
            with pytest.raises(duckdb.Error):
                store.con.execute("set memory_limit = '20GB'")
        finally:
            store.close()


def test_engine_settings_come_from_the_config_and_the_environment(tmp_path, monkeypatch):
    monkeypatch.delenv("CLOSED_LOOP_WAREHOUSE", raising=False)
    default = load_engine_settings()
    assert (default.engine, default.warehouse, default.memory_limit, default.threads) == ("duckdb", "", "3GB", 2)
    own = tmp_path / "own.toml"
    own.write_text('[engine]\nwarehouse = "/data/wh"\n[engine.duckdb]\nmemory_limit = "1GB"\nthreads = 1\n'
                   'temp_directory = "/scratch"\n')
    settings = load_engine_settings(own)
    assert (settings.warehouse, settings.memory_limit, settings.threads, settings.temp_directory) == \
        ("/data/wh", "1GB", 1, "/scratch")
    monkeypatch.setenv("CLOSED_LOOP_WAREHOUSE", "/elsewhere")
    assert load_engine_settings(own).warehouse == "/elsewhere"
    assert settings.with_options(threads=2, memory_limit=None).threads == 2
    own.write_text('[engine]\nengine = "oracle"\n')
    with pytest.raises(ConfigError, match="engine must be one of"):
        load_engine_settings(own)


def test_the_spill_meter_keeps_the_largest_size(tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "SAMPLE_EVERY_S", 0.01)
    folder = tmp_path / "spill"
    with limits.SpillMeter(folder) as meter:
        (folder / "a.tmp").write_bytes(b"x" * 300_000)
        (folder / "sub").mkdir()
        (folder / "sub" / "b.tmp").write_bytes(b"x" * 200_000)
        time.sleep(0.2)
        (folder / "a.tmp").unlink()
        time.sleep(0.05)
    assert meter.peak_bytes == 500_000
    assert not folder.exists()
    assert limits.spilled_words(meter.peak_bytes, folder).startswith("spilled to disk: at most 0.5 MB")
    assert limits.spilled_words(0, folder).startswith("nothing spilled")


def test_a_tight_memory_limit_spills_instead_of_failing(tmp_path):
    """The sample with 128 MB and one thread: DuckDB writes intermediates to the spill folder (about 3.5 MB
    here). 128 MB, not 100 MB as before, since the hand-off facts carry their lead's columns: at 120 MB the
    sample's import runs out of memory there (docs/scale.md)."""
    result = import_folder(SAMPLE_DIR, tmp_path / "s.duckdb", load_config(), say=quiet,
                           settings=EngineSettings(memory_limit="128MB", threads=1))
    store = open_store(tmp_path / "s.duckdb")
    try:
        assert store.con.execute("select count(*) from leads").fetchall()[0][0] == 4000
    finally:
        store.close()
    assert result.settings["memory_limit"] == "122.0 MiB"
    assert not Path(result.spill_folder).exists()


def test_running_out_of_memory_says_what_to_change(tmp_path):
    with pytest.raises(ImportFailed, match=r"fewer --threads or a larger --memory-limit \(now 28.6 MiB, 2 threads"):
        import_folder(SAMPLE_DIR, tmp_path / "s.duckdb", load_config(), say=quiet,
                      settings=EngineSettings(memory_limit="30MB", threads=2))
    assert not (tmp_path / "s.duckdb").exists()


# --- the dashboard ------------------------------------------------------------------------------------------

def test_the_dashboard_serves_a_warehouse(golden, tmp_path, monkeypatch):
    monkeypatch.setenv("CLOSED_LOOP_WAREHOUSE", str(golden[1]))
    monkeypatch.setenv("CLOSED_LOOP_DB", str(tmp_path / "absent.duckdb"))  # never imported, never read
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.metric, "the overview shows its figures"
    at.switch_page("pages/data.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert any(str(golden[1]) in i.value for i in at.info), [i.value for i in at.info]
    assert not (tmp_path / "absent.duckdb").exists()
