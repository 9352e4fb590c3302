"""Shared fixtures: the golden example imported once, and tiny hand-written exports.

Every path is located from this file, never from the working directory. The golden example is a copy
inside the repository (tests/fixtures/golden); the public datasets are optional: they sit beside the
repository as ../shared/datasets, and a test that reads them goes through `shared_dataset` (skipped
with the reason when they are absent, a failure in CI).
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from analytics.core.config import load_config
from analytics.importers.load import import_folder
from analytics.store.db import SAMPLE_DIR, Store, open_store

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
GOLDEN = FIXTURES / "golden"  # ten leads and the hand-checked figures of every contract report
GOLDEN_INPUT = GOLDEN / "input"
# imports and meetings in tests never write the repository's side database (data/meetings.duckdb): the
# pipeline snapshots a CLI import keeps there go to a folder of this test process (subprocesses inherit it).
# One per process: the workers of `./test` (pytest-xdist) inherit the controller's environment, and two
# processes cannot hold one DuckDB file open for writing.
if os.environ.get("CLOSED_LOOP_MEETINGS_OF") != str(os.getpid()):
    os.environ["CLOSED_LOOP_MEETINGS"] = str(Path(tempfile.mkdtemp(prefix="closed_loop_tests_")) / "meetings.duckdb")
    os.environ["CLOSED_LOOP_MEETINGS_OF"] = str(os.getpid())
SHARED = ROOT.parent / "shared"  # beside the repository when checked out; required in CI only
DATASETS = SHARED / "datasets"


def write_export(folder: Path, tables: dict[str, str | bytes]) -> Path:
    """Write one file per table: text is dedented and written as UTF-8 CSV; bytes are written as
    they are. A key with a suffix ("leads.xlsx") names the file itself; otherwise ".csv" is added."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in tables.items():
        path = folder / (name if Path(name).suffix else f"{name}.csv")
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content).lstrip("\n"), encoding="utf-8", newline="")
    return folder


def rejecting_export(folder: Path) -> Path:
    """The golden export with rows that break one rule each (so three tables have rejects): a repeated and
    an unreadable lead, a lead without id, a score out of range, an unknown stage and lead, a negative
    amount and a won deal without its close date."""
    for path in GOLDEN_INPUT.iterdir():
        shutil.copy(path, folder / path.name)
    appended = {
        "leads.csv": ["L01,2026-01-05 09:00:00,Outbound,C1,A1,Software,51-200,EMEA,R1,S1,82",
                      "L90,yesterday,Webinar,C1,A1,Software,51-200,EMEA,R1,S1,50",
                      "L91,2026-01-05 09:00:00,Webinar,C1,A1,Software,51-200,EMEA,R1,S1,900",
                      ",2026-01-05 09:00:00,Webinar,C1,A1,Software,51-200,EMEA,R1,S1,50"],
        "stage_history.csv": ["L01,negotiation,2026-01-20 09:00:00", "L99,mql,2026-01-20 09:00:00"],
        "opportunities.csv": ["O90,L01,A1,2026-01-15 09:00:00,2026-02-14 09:00:00,won,-5,Core,R1,,,",
                              "O91,L01,A1,2026-01-15 09:00:00,,won,100,Core,R1,,,"],
    }
    for name, rows in appended.items():
        with open(folder / name, "a", encoding="utf-8") as f:
            f.write("\n".join(rows) + "\n")
    return folder


def run_cli(*args: str | Path, timeout: float = 120, env: dict | None = None) -> subprocess.CompletedProcess:
    """`python -m analytics ...` in a subprocess, from the repository root (env: extra variables)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    return subprocess.run([sys.executable, "-m", "analytics", *map(str, args)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout)


@contextmanager
def imported(folder: Path, db: Path, config: str | Path | None = None) -> Iterator[Store]:
    """An open Store on `folder` imported into `db` (for module-scoped fixtures); closed after."""
    import_folder(folder, db, load_config(config), say=quiet)
    store = open_store(db)
    try:
        yield store
    finally:
        store.close()


def quiet(_message: str) -> None:
    pass


def in_ci() -> bool:
    """CI is set to anything but "false" (as `./test` reads it)."""
    value = os.environ.get("CI", "")
    return value != "" and value.lower() != "false"


def shared_dataset(path: Path | str) -> Path:
    """A file or folder of ../shared (a path relative to ../shared/datasets, or a full path): the test
    is skipped with the reason when it is not there, and fails in CI, where the datasets must be."""
    path = DATASETS / path
    if not path.exists():
        where = f"{path} is not here (../shared, with the public datasets, beside the repository)"
        if in_ci():
            pytest.fail(f"{where}, and CI must run every dataset test")
        pytest.skip(where)
    return path


@pytest.fixture(scope="session")
def chromium() -> Path:
    """Debian's Chromium (the browser tests skip without it, and fail in CI)."""
    from tests.browser_support import require_chromium

    return require_chromium()


@pytest.fixture(scope="module")
def browser(chromium):
    """A headless Chromium for a module's browser tests (closed after it: the PDF pack starts its
    own Playwright, which cannot run beside an open one)."""
    from tests.browser_support import chromium_browser

    with chromium_browser(chromium) as browser:
        yield browser


@pytest.fixture
def page(browser):
    """A fresh page of the module's browser, 1440 × 1000 (closed after the test)."""
    page = browser.new_page(viewport={"width": 1440, "height": 1000})
    yield page
    page.close()


@pytest.fixture(scope="session")
def golden_db(tmp_path_factory) -> Path:
    assert GOLDEN_INPUT.is_dir(), f"the golden example is part of the repository: {GOLDEN_INPUT}"
    db = tmp_path_factory.mktemp("golden") / "golden.duckdb"
    import_folder(GOLDEN_INPUT, db, load_config(), say=quiet)
    return db


@pytest.fixture(scope="session")
def golden_store(golden_db) -> Store:
    store = open_store(golden_db)
    yield store
    store.close()


@pytest.fixture(scope="session")
def sample_store(tmp_path_factory) -> Store:
    """The bundled sample company (data/sample), imported once for the session; read only."""
    db = tmp_path_factory.mktemp("sample") / "sample.duckdb"
    import_folder(SAMPLE_DIR, db, load_config(), say=quiet)
    store = open_store(db)
    yield store
    store.close()


@pytest.fixture
def make_export():
    """make_export(tmp_path, {"leads": "csv text", ...}) -> the folder holding the files."""
    def _make(tmp_path: Path, tables: dict[str, str | bytes], name: str = "export") -> Path:
        return write_export(Path(tmp_path) / name, tables)
    return _make


@pytest.fixture
def import_store(tmp_path):
    """import_store(folder, config=None) -> an open Store on a fresh database; closed after the test."""
    stores: list[Store] = []

    def _import(folder: Path, config: str | Path | None = None, db: Path | None = None) -> Store:
        db = db or tmp_path / f"db{len(stores)}" / "closed_loop.duckdb"
        import_folder(folder, db, load_config(config), say=quiet)
        store = open_store(db)
        stores.append(store)
        return store

    yield _import
    for store in stores:
        store.close()


def pytest_sessionfinish(session, exitstatus):
    session.config._closed_loop_exitstatus = int(exitstatus)


def pytest_unconfigure(config):
    """End the process right after pytest's summary: at interpreter teardown DuckDB 2's bindings
    (nanobind) print pages of "leaked instance" lines for connections still cached by the app and
    the fixtures, burying the summary line CI reads. Nothing is left to clean up by then."""
    status = getattr(config, "_closed_loop_exitstatus", None)
    if status is not None and os.environ.get("CLOSED_LOOP_KEEP_TEARDOWN") != "1":
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(status)
