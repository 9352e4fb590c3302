"""Open an imported database and read what it says about itself (config, version, as-of)."""
from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb

from analytics.core.config import ROOT, Config

DEFAULT_DB = ROOT / "data" / "closed_loop.duckdb"
# The shape of the tables and macros an import builds; raise it whenever queries/derived changes.
SCHEMA_VERSION = 10
SAMPLE_DIR = ROOT / "data" / "sample"


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
            rows = cur.execute("select currency from currencies where deals > 0 or is_default "
                               "order by is_default desc, deals desc, currency").fetchall()
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


def open_store(path: str | Path, read_only: bool = True) -> Store:
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
            if read_only:
                con.execute("set lock_configuration = true")
        settings = con.execute("select config_json from settings").fetchall()[0][0]
        version, as_of, first = con.execute(
            "select data_version, default_as_of, first_lead_at from meta").fetchall()[0]
        columns = {r[0] for r in con.execute("describe meta").fetchall()}
        schema = con.execute("select schema_version from meta").fetchall()[0][0] if "schema_version" in columns else 1
    except duckdb.Error as e:
        raise NotADatabase(f"{path}: not a Closed Loop database ({str(e).splitlines()[0]})") from None
    if schema != SCHEMA_VERSION:
        con.close()
        raise NotADatabase(f"{path}: imported by an older version of Closed Loop; import the export again "
                           "(python -m analytics import DIR --db FILE)")
    return Store(con, Config.from_json(settings), version, as_of, first, str(path))
