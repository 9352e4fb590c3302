"""Open an imported database and read what it says about itself (config, version, as-of)."""
from __future__ import annotations

import contextlib
import os
import shutil
import time
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb

from analytics.core.config import ROOT, Config, EngineSettings
from analytics.store.identifiers import literal

DEFAULT_DB = ROOT / "data" / "closed_loop.duckdb"
# The shape of the tables and macros an import builds; raise it whenever queries/derived changes.
SCHEMA_VERSION = 15  # 11: macros deals, targets, handoffs_as_of, derived/deal_states; 12: the portable subset;
# 13: macros/pipeline, handoffs with the lead's columns; 14: target_contributions(..., by_day); 15: macros/strategy
# What an import builds after loading the tables, in order: queries/ scripts, a macro after the tables
# it reads (the warehouse reader creates the same macros over its Parquet views).
DERIVED = ("macros/money", "derived/deal_states", "macros/lead_filter", "macros/deals", "macros/pipeline",
           "derived/lead_stages", "macros/stages", "macros/sla_clock", "derived/handoffs", "macros/handoff_decisions",
           "macros/sla_status", "derived/opportunity_touches", "macros/strategy", "macros/targets", "macros/source_key",
           "derived/source_labels")
SAMPLE_DIR = ROOT / "data" / "sample"
# the currencies money figures can be shown in, the default first (Store.currencies; the Spark import)
CURRENCIES_SQL = ("select currency from currencies where deals > 0 or is_default "
                  "order by is_default desc, deals desc, currency")


class NotADatabase(Exception):
    pass


@dataclass
class Store:
    """A read connection plus the facts every metric needs: the config the data was imported
    with, the data version (cache key) and the default as-of (latest event in the data)."""
    con: duckdb.DuckDBPyConnection
    cfg: Config
    data_version: str
    default_as_of: datetime | None
    first_lead_at: datetime | None
    path: str

    def tables_present(self) -> set[str]:
        cur = self.con.cursor()
        try:
            rows = cur.execute("select table_name from import_files where rows_loaded > 0").fetchall()
        finally:
            cur.close()
        return {r[0] for r in rows}

    def currencies(self) -> list[str]:
        """The currencies money figures can be shown in: the default first (the corporate currency
        when any amount is in it), then the others by their number of deals. More than one means some
        currency has no exchange rate to the corporate one (queries/macros/money.sql)."""
        cur = self.con.cursor()
        try:
            rows = cur.execute(CURRENCIES_SQL).fetchall()
        finally:
            cur.close()
        return [r[0] for r in rows]

    def money_currency(self, chosen: str | None = None) -> str:
        """The currency of a money figure: the chosen one when the data has it, else the default."""
        found = self.currencies()
        return chosen if chosen in found else found[0]

    def close(self) -> None:
        self.con.close()


def default_db_path() -> Path:
    return Path(os.environ.get("CLOSED_LOOP_DB", DEFAULT_DB))


def open_store(path: str | Path, read_only: bool = True, settings: EngineSettings | None = None) -> Store:
    """The database file, read-only with external access disabled and the configuration locked;
    `settings` (memory_limit, threads) are applied before the lock."""
    path = Path(path)
    if not path.exists():
        raise NotADatabase(f"{path}: no database here; run `python -m analytics import DIR` first")
    config = {"enable_external_access": False} if read_only else {}
    try:
        con = duckdb.connect(str(path), read_only=read_only, config=config)
        # Stored times are UTC; an --as-of with an offset must not depend on the machine's zone.
        # (A second open of the same file shares the first one's locked settings.)
        if not con.execute("select current_setting('lock_configuration')").fetchall()[0][0]:
            con.execute("set TimeZone = 'UTC'")
            if settings is not None:
                con.execute(f"set memory_limit = {literal(settings.memory_limit)}")
                con.execute(f"set threads = {int(settings.threads)}")
            if read_only:
                con.execute("set lock_configuration = true")
    except duckdb.Error as e:
        raise NotADatabase(f"{path}: not a Closed Loop database ({str(e).splitlines()[0]})") from None
    return describe(con, str(path))


def describe(con: duckdb.DuckDBPyConnection, path: str) -> Store:
    """The store on an open connection (a database file, or the views of a warehouse): its config, data
    version and as-of; NotADatabase (and the connection closed) when it is not one of ours."""
    try:
        settings = con.execute("select config_json from settings").fetchall()[0][0]
        version, as_of, first = con.execute(
            "select data_version, default_as_of, first_lead_at from meta").fetchall()[0]
        columns = {r[0] for r in con.execute("describe meta").fetchall()}
        schema = con.execute("select schema_version from meta").fetchall()[0][0] if "schema_version" in columns else 1
    except duckdb.Error as e:
        con.close()
        raise NotADatabase(f"{path}: not a Closed Loop database ({str(e).splitlines()[0]})") from None
    if schema != SCHEMA_VERSION:
        con.close()
        raise NotADatabase(f"{path}: imported by an older version of Closed Loop; import the export again "
                           "(python -m analytics import DIR --db FILE)")
    return Store(con, Config.from_json(settings), version, as_of, first, path)


# --- the live database, the one it replaced, and an upload waiting to go live --------------------------------

def previous_path(live: str | Path) -> Path:
    """Where the database an upload (or a restore) replaced is kept: closed_loop.previous.duckdb beside it."""
    live = Path(live)
    return live.with_name(f"{live.stem}.previous{live.suffix}")


def staged_path(live: str | Path) -> Path:
    """A new file beside the live database for an upload to be imported into and previewed."""
    live = Path(live)
    return live.with_name(f"{live.stem}.staged-{uuid.uuid4().hex[:12]}{live.suffix}")


def remove_abandoned_staged(live: str | Path, older_than_s: float = 86_400) -> None:
    """Staged uploads nobody confirmed or cancelled (a closed browser tab) after a day."""
    live = Path(live)
    for leftover in live.parent.glob(f"{live.stem}.staged-*{live.suffix}"):
        with contextlib.suppress(OSError):
            if time.time() - leftover.stat().st_mtime > older_than_s:
                leftover.unlink()


def _keep_as_previous(live: Path) -> None:
    """Make previous_path(live) the file live is now, leaving live in place: a hard link renamed over the
    previous (so a viewer never finds the live file missing), or a copy where links are not possible."""
    link = live.with_name(f".{live.name}.{uuid.uuid4().hex[:8]}.keep")
    try:
        os.link(live, link)
    except OSError:
        shutil.copy2(live, link)
    os.replace(link, previous_path(live))


def _touch(live: Path) -> None:
    """A new modification time, so every session's store sees that the file changed (ui.store)."""
    now = time.time_ns()
    os.utime(live, ns=(now, max(now, live.stat().st_mtime_ns + 1)))


def go_live(staged: str | Path, live: str | Path) -> None:
    """The staged database becomes the live one; the live one is kept as the previous (one file: the
    previous of the previous is dropped). Each step is an atomic rename."""
    staged, live = Path(staged), Path(live)
    if not staged.exists():
        raise NotADatabase(f"{staged}: the upload to confirm is gone (cancelled, or confirmed in another tab)")
    if live.exists():
        _keep_as_previous(live)
    os.replace(staged, live)
    _touch(live)


def restore_previous(live: str | Path) -> None:
    """Swap the live database and the previous one: restoring is itself undone by restoring again."""
    live = Path(live)
    previous = previous_path(live)
    if not previous.exists():
        raise NotADatabase(f"{previous}: there is no previous database to restore")
    link = live.with_name(f".{live.name}.{uuid.uuid4().hex[:8]}.keep")
    try:
        os.link(live, link)
    except OSError:
        shutil.copy2(live, link)
    os.replace(previous, live)
    os.replace(link, previous)
    _touch(live)


@dataclass
class Summary:
    """What a database file holds, told without opening it as the live store: for the preview of an
    upload and the restore button."""
    path: str
    imported_at: datetime | None
    as_of: datetime | None
    first_lead_at: datetime | None
    last_lead_at: datetime | None
    source: str
    leads: int
    rows_loaded: int
    rows_rejected: int

    @property
    def reject_share(self) -> float:
        total = self.rows_loaded + self.rows_rejected
        return self.rows_rejected / total if total else 0.0


def summarise(path: str | Path) -> Summary:
    """Read a database's meta and counts (raises NotADatabase for anything that is not one of ours)."""
    store = open_store(path)
    try:
        cur = store.con.cursor()
        imported_at, folder = cur.execute("select imported_at, source_folder from meta").fetchall()[0]
        leads, last = cur.execute("select count(*), max(created_at) from leads").fetchall()[0]
        loaded, rejected = cur.execute("select coalesce(sum(rows_loaded), 0), coalesce(sum(rows_rejected), 0) "
                                       "from import_files").fetchall()[0]
        cur.close()
    finally:
        store.close()
    return Summary(str(path), imported_at, store.default_as_of, store.first_lead_at, last, folder, leads,
                   int(loaded), int(rejected))
