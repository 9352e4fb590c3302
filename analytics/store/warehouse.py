"""A warehouse: every table of one import as Parquet under one path, which reports, packs and the
dashboard read instead of the DuckDB file (docs/scale.md "The warehouse", where the layout is the contract
the Spark import writes too).

    PATH/_CURRENT                     the name of the live build (one line), replaced atomically
    PATH/build-<UTC time>-<id>/       one complete build, never changed once published
        _manifest.json                format, schema_version, data_version, written_by, tables
        <table>/part-*.parquet        one folder per table (canonical, derived, meta, settings, rejects…)
    PATH/.staging-<pid>-<id>/         a build being written; renamed to build-… only when complete

A build is written under .staging-…, renamed (atomic within PATH), and only then named in _CURRENT (a new
file renamed over the old one); a failed or killed import leaves _CURRENT and the build it names as they
were. The previous build is kept (a reader that opened it keeps reading it); older ones are removed.

Reading (DuckDB): an in-memory database with one view per table over its Parquet files and the macros of
queries/macros, with the same locks as the DuckDB file (db.open_store): external access disabled except
for the build's own files (`allowed_paths`, exactly those: no other file can be read or created), the
configuration locked. DuckDB's allow-list does not tell reading from writing, so a published build is
also made read-only on disk (files 0444, folders 0555), and the dashboard is best run as a user that
cannot write the warehouse (on S3: read-only credentials). No SQL text from a user ever reaches the
connection either: values are bound, column names allow-listed (store.sql).
"""
from __future__ import annotations

import contextlib
import json
import os
import shutil
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import duckdb

from analytics.core.config import EngineSettings
from analytics.store import limits
from analytics.store.db import DERIVED, SCHEMA_VERSION, NotADatabase, Store, default_db_path, describe, open_store
from analytics.store.identifiers import literal, quote
from analytics.store.sql import run_script

CURRENT = "_CURRENT"
MANIFEST = "_manifest.json"
FORMAT = 1
# queries/macros in the order an import creates them (a macro after the tables and macros it reads); events
# is the deal repairs' (importers/deal_repairs.py)
MACROS = ("macros/events", *(name for name in DERIVED if name.startswith("macros/")))


def is_remote(path: str | Path) -> bool:
    return "://" in str(path)


def _local(path: str | Path) -> Path:
    if is_remote(path):
        raise NotADatabase(f"{path}: a remote warehouse is read by Spark or through a local copy in this version "
                           "(docs/scale.md); give a local folder")
    return Path(path)


# --- writing -----------------------------------------------------------------------------------------------

def write_from_database(db: str | Path, warehouse: str | Path, settings: EngineSettings | None = None,
                        say: Callable[[str], None] = print) -> Path:
    """Export every table of an imported DuckDB file (canonical, derived, meta) to a new build of the
    warehouse and publish it. Returns the build's folder."""
    warehouse = _local(warehouse)
    warehouse.mkdir(parents=True, exist_ok=True)
    _remove_abandoned(warehouse)
    staging = warehouse / f".staging-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    staging.mkdir()
    try:
        con = duckdb.connect(str(db), read_only=True)
        try:
            if settings is not None:
                limits.apply(con, settings)
            tables = [r[0] for r in con.execute(
                "select table_name from duckdb_tables() where schema_name = 'main' and not temporary "
                "order by table_name").fetchall()]
            data_version = con.execute("select data_version from meta").fetchall()[0][0]
            for table in tables:
                _copy_table(con, table, staging / table)
        finally:
            con.close()
        say(f"warehouse: {len(tables)} tables written as Parquet")
        return publish(warehouse, staging, data_version, written_by="duckdb")
    finally:
        if staging.exists():  # a failure: nothing of it stays (a published build was renamed away)
            _remove(staging)


def _copy_table(con, table: str, folder: Path) -> None:
    folder.mkdir()
    con.execute(f"copy (select * from {quote(table)}) to {literal(str(folder / 'part-0.parquet'))} "
                "(format parquet, compression zstd)")


def publish(warehouse: Path, staging: Path, data_version: str, written_by: str) -> Path:
    """A complete staging folder becomes the live build: its manifest written, the folder renamed to
    build-…, _CURRENT replaced, builds older than the previous one removed."""
    tables = sorted(p.name for p in staging.iterdir() if p.is_dir() and any(p.glob("*.parquet")))
    if "meta" not in tables or "leads" not in tables:
        raise NotADatabase(f"{staging}: not a complete build (no meta or leads table)")
    manifest = {"format": FORMAT, "schema_version": SCHEMA_VERSION, "data_version": data_version,
                "written_by": written_by, "written_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                "tables": tables}
    (staging / MANIFEST).write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    build = warehouse / f"build-{time.strftime('%Y%m%dT%H%M%SZ', time.gmtime())}-{uuid.uuid4().hex[:8]}"
    _read_only(staging)
    os.replace(staging, build)
    pointer = warehouse / f".{CURRENT}.{uuid.uuid4().hex[:8]}"
    pointer.write_text(build.name + "\n", encoding="utf-8")
    previous = _current_name(warehouse)
    os.replace(pointer, warehouse / CURRENT)
    for old in warehouse.glob("build-*"):
        if old.name not in (build.name, previous):
            _remove(old)
    return build


def _read_only(build: Path) -> None:
    """A published build is never changed: its files 0444 and folders 0555 (for every user but root, this
    also closes what DuckDB's allow-list cannot: a COPY … (use_tmp_file false) onto an allowed file)."""
    for path in sorted(build.rglob("*"), reverse=True):
        path.chmod(0o555 if path.is_dir() else 0o444)
    build.chmod(0o555)


def _remove(build: Path) -> None:
    with contextlib.suppress(OSError):
        build.chmod(0o755)
        for folder in build.rglob("*"):
            if folder.is_dir():
                folder.chmod(0o755)
    shutil.rmtree(build, ignore_errors=True)


def _current_name(warehouse: Path) -> str | None:
    try:
        return (warehouse / CURRENT).read_text(encoding="utf-8").strip() or None
    except FileNotFoundError:
        return None


def _remove_abandoned(warehouse: Path) -> None:
    """Staging folders of imports that were killed (their process no longer exists)."""
    for leftover in warehouse.glob(".staging-*"):
        try:
            os.kill(int(leftover.name.split("-")[1]), 0)
        except ProcessLookupError:
            _remove(leftover)
        except (ValueError, IndexError, PermissionError):
            continue


class EngineUnavailable(NotADatabase):
    """An engine this version does not include (Spark is added by its own module; docs/scale.md)."""


# --- reading -----------------------------------------------------------------------------------------------

def current_build(warehouse: str | Path) -> Path:
    warehouse = _local(warehouse)
    name = _current_name(warehouse)
    if name is None:
        raise NotADatabase(f"{warehouse}: no warehouse here; write one with "
                           "`python -m analytics import DIR --warehouse PATH` first")
    build = warehouse / name
    if not (build / MANIFEST).is_file():
        raise NotADatabase(f"{warehouse}: {CURRENT} names {name}, which is not a complete build")
    return build


def stamp(warehouse: str | Path) -> int:
    """Changes whenever a new build is published (a cache key, as a database file's modification time)."""
    try:
        return (_local(warehouse) / CURRENT).stat().st_mtime_ns
    except FileNotFoundError:
        return 0


def table_files(build: Path) -> dict[str, list[str]]:
    """table -> its Parquet files (absolute), for every table the build's manifest lists."""
    manifest = json.loads((build / MANIFEST).read_text(encoding="utf-8"))
    if manifest.get("schema_version") != SCHEMA_VERSION:
        raise NotADatabase(f"{build.parent}: written by another version of Closed Loop; import the export again "
                           "(python -m analytics import DIR --warehouse PATH)")
    files = {t: sorted(str(p.resolve()) for p in (build / t).glob("*.parquet")) for t in manifest["tables"]}
    if empty := [t for t, found in files.items() if not found]:
        raise NotADatabase(f"{build}: no Parquet files for {', '.join(empty)}")
    return files


def open_warehouse(warehouse: str | Path, settings: EngineSettings | None = None) -> Store:
    """The live build as a read-only store: views over its Parquet files in an in-memory DuckDB that can
    read those files and nothing else, write nothing, and not change its configuration."""
    build = current_build(warehouse)
    files = table_files(build)
    con = duckdb.connect(":memory:")
    try:
        con.execute("set TimeZone = 'UTC'")
        if settings is not None:
            limits.apply(con, settings)
        every = [f for found in files.values() for f in found]
        con.execute(f"set allowed_paths = [{', '.join(literal(f) for f in every)}]")
        con.execute("set enable_external_access = false")
        for table, found in files.items():
            con.execute(f"create view {quote(table)} as select * from read_parquet("
                        f"[{', '.join(literal(f) for f in found)}])")
        for name in MACROS:
            run_script(con, name)
        con.execute("set lock_configuration = true")
        return describe(con, str(warehouse))
    except duckdb.Error as e:
        with contextlib.suppress(duckdb.Error):
            con.close()
        raise NotADatabase(f"{warehouse}: not a Closed Loop warehouse ({str(e).splitlines()[0]})") from None


# How a warehouse is read, per engine: the Spark engine registers its reader here (analytics.store.spark).
READERS: dict[str, Callable[[str, EngineSettings], Store]] = {
    "duckdb": lambda path, settings: open_warehouse(path, settings)}


def open_data(settings: EngineSettings, db: str | Path | None = None) -> Store:
    """What a report, a pack or the dashboard reads: the database file `db` when given, else the
    configured warehouse (with its engine), else the default database file."""
    if db is None and settings.warehouse:
        if settings.engine not in READERS:
            with contextlib.suppress(ImportError):
                import analytics.store.spark  # noqa: F401  (registers READERS["spark"] where it exists)
        reader = READERS.get(settings.engine)
        if reader is None:
            raise EngineUnavailable(f"the {settings.engine} engine is not built into this version; read the "
                                    f"warehouse with --engine duckdb")
        return reader(settings.warehouse, settings)
    return open_store(db or default_db_path(), settings=settings)
