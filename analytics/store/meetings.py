"""What a meeting keeps: frozen figures (snapshots) and action items, in a small side database.

The analytics database is read-only and replaced by every import; the meeting's memory must
outlive imports, so it lives in its own DuckDB file (default data/meetings.duckdb, or the
CLOSED_LOOP_MEETINGS environment variable). Each call opens, writes and closes it, so several
sessions of the app can use it in turn.
"""
from __future__ import annotations

import json
import os
import threading
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import polars as pl

from analytics.core.config import ROOT

DEFAULT_PATH = ROOT / "data" / "meetings.duckdb"
STATUSES = ("open", "in progress", "done", "dropped")
CLOSED = ("done", "dropped")  # which items are open as of a week: analytics.engine.actions
_LOCK = threading.Lock()
_READY: set[str] = set()  # side databases whose tables this process has made sure of
# Answers to reads, for one state of one side database: every run of the weekly page of every
# session reads the same snapshots and actions, and opening the file each time cost more than the page.
_READS: dict[tuple, dict[tuple, list[tuple]]] = {}

SCHEMA = """
create table if not exists snapshots (
    snapshot_id varchar primary key,
    kind varchar not null,          -- weekly or monthly
    period varchar not null,        -- e.g. 2026-W07 or 2026-02
    frozen_at timestamp not null,   -- wall clock (UTC) when the meeting froze it
    data_version varchar not null,
    as_of timestamp,
    filters varchar,
    figures varchar not null        -- JSON records: measure, value
);
create table if not exists action_items (
    action_id varchar primary key,
    created_at timestamp not null,
    week varchar not null,
    owner varchar not null,
    description varchar not null,
    due_date date,
    metric varchar,
    lead_id varchar,
    status varchar not null,
    updated_at timestamp not null
);
alter table action_items add column if not exists closed_week varchar;  -- the meeting week that closed it
create table if not exists pipeline_snapshots (  -- the open deals of each import of an export without history
    source varchar not null,        -- the export format (canonical, salesforce, hubspot…)
    as_of timestamp not null,       -- the export's as-of
    opportunity_id varchar not null,
    stage varchar,
    amount double,                  -- in the deal's own currency, as exported
    expected_close_at timestamp,
    probability double
);
"""


class MeetingError(ValueError):
    pass


@dataclass(frozen=True)
class Snapshot:
    snapshot_id: str
    kind: str
    period: str
    frozen_at: datetime
    data_version: str
    as_of: datetime | None
    filters: str
    figures: pl.DataFrame


def meetings_path() -> Path:
    return Path(os.environ.get("CLOSED_LOOP_MEETINGS", DEFAULT_PATH))


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


class MeetingStore:
    def __init__(self, path: str | Path | None = None):
        self.path = Path(path) if path else meetings_path()

    def _state(self) -> tuple:
        """What changes when anyone (this process or the CLI) writes the side database."""
        return tuple((s.st_mtime_ns, s.st_size) if (s := _stat(p)) else None
                     for p in (self.path, Path(f"{self.path}.wal")))

    def _read(self, sql: str, params: list) -> list[tuple]:
        key = (str(self.path), self._state())
        with _LOCK:
            answers = _READS.get(key)
            if answers is None:
                _READS.clear()
                answers = _READS[key] = {}
        wanted = (sql, tuple(params))
        if wanted not in answers:
            answers[wanted] = self._run(sql, params)
        return answers[wanted]

    def _write(self, sql: str, params: list) -> None:
        self._run(sql, params)
        with _LOCK:
            _READS.clear()

    def _run(self, sql: str, params: list | None = None) -> list[tuple]:
        with _LOCK:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            con = duckdb.connect(str(self.path))
            try:
                if str(self.path) not in _READY:  # the tables exist: no DDL on every read
                    con.execute(SCHEMA)
                    _READY.add(str(self.path))
                try:
                    return con.execute(sql, params or []).fetchall()
                except duckdb.CatalogException:  # the file was replaced or removed meanwhile
                    con.execute(SCHEMA)
                    return con.execute(sql, params or []).fetchall()
            finally:
                con.close()

    # snapshots ---------------------------------------------------------------------------
    def freeze(self, kind: str, period: str, figures: pl.DataFrame, data_version: str,
               as_of: datetime | None, filters: str = "") -> str:
        """Store the figures shown in the meeting; returns the snapshot id."""
        if "measure" not in figures.columns or "value" not in figures.columns:
            raise MeetingError("a snapshot needs measure and value columns")
        snapshot_id = uuid.uuid4().hex[:12]
        payload = json.dumps(figures.select("measure", "value").to_dicts(), default=str)
        self._write("insert into snapshots values (?, ?, ?, ?, ?, ?, ?, ?)",
                  [snapshot_id, kind, period, _now(), data_version, as_of, filters, payload])
        return snapshot_id

    def latest(self, kind: str, period: str, filters: str = "") -> Snapshot | None:
        rows = self._read("select * from snapshots where kind = ? and period = ? and filters = ? "
                         "order by frozen_at desc, snapshot_id limit 1", [kind, period, filters])
        if not rows:
            return None
        sid, kind, period, frozen_at, version, as_of, filters, figures = rows[0]
        frame = pl.DataFrame(json.loads(figures), schema={"measure": pl.String, "value": pl.Float64})
        return Snapshot(sid, kind, period, frozen_at, version, as_of, filters, frame)

    def snapshots(self, kind: str | None = None) -> pl.DataFrame:
        rows = self._read("select snapshot_id, kind, period, frozen_at, data_version, as_of, filters "
                         "from snapshots where ? is null or kind = ? order by frozen_at desc", [kind, kind])
        return pl.DataFrame(rows, schema=["snapshot_id", "kind", "period", "frozen_at", "data_version", "as_of",
                                          "filters"], orient="row")

    # action items ------------------------------------------------------------------------
    def add_action(self, week: str, owner: str, description: str, due_date: date | None = None,
                   metric: str | None = None, lead_id: str | None = None) -> str:
        if not owner.strip() or not description.strip():
            raise MeetingError("an action item needs an owner and a description")
        action_id = uuid.uuid4().hex[:10]
        now = _now()
        self._write("insert into action_items (action_id, created_at, week, owner, description, due_date, metric, "
                    "lead_id, status, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?, 'open', ?)",
                    [action_id, now, week, owner.strip(), description.strip(), due_date, metric or None,
                     lead_id or None, now])
        return action_id

    def set_status(self, action_id: str, status: str, week: str | None = None) -> None:
        """Set an item's status in the meeting of `week` (the ISO week reviewed, kept as the week that
        closed it when the status is done or dropped)."""
        if status not in STATUSES:
            raise MeetingError(f"status must be one of {', '.join(STATUSES)}")
        self._write("update action_items set status = ?, updated_at = ?, closed_week = ? where action_id = ?",
                    [status, _now(), week if status in CLOSED else None, action_id])

    def actions(self) -> pl.DataFrame:
        """Every action item, soonest due first (which are open as of a week: engine.actions.as_of)."""
        rows = self._read("select action_id, week, owner, description, due_date, metric, lead_id, status, "
                          "created_at, updated_at, closed_week from action_items "
                          "order by due_date nulls last, created_at", [])
        return pl.DataFrame(rows, orient="row", schema={
            "action_id": pl.String, "week": pl.String, "owner": pl.String, "description": pl.String,
            "due_date": pl.Date, "metric": pl.String, "lead_id": pl.String, "status": pl.String,
            "created_at": pl.Datetime, "updated_at": pl.Datetime, "closed_week": pl.String})


    # pipeline snapshots ------------------------------------------------------------------
    PIPELINE_COLUMNS = {"opportunity_id": pl.String, "stage": pl.String, "amount": pl.Float64,
                        "expected_close_at": pl.Datetime, "probability": pl.Float64}

    def keep_pipeline(self, source: str, as_of: datetime, deals: pl.DataFrame) -> None:
        """This import's open deals (PIPELINE_COLUMNS), replacing an earlier import at the same as-of."""
        rows = deals.select(list(self.PIPELINE_COLUMNS)).rows()
        with _LOCK:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            con = duckdb.connect(str(self.path))
            try:
                con.execute(SCHEMA)
                con.execute("delete from pipeline_snapshots where source = ? and as_of = ?", [source, as_of])
                if rows:
                    con.executemany("insert into pipeline_snapshots values (?, ?, ?, ?, ?, ?, ?)",
                                    [(source, as_of, *r) for r in rows])
            finally:
                con.close()
            _READS.clear()

    def pipeline_before(self, source: str, as_of: datetime) -> pl.DataFrame:
        """as_of plus PIPELINE_COLUMNS: the deals kept by earlier imports (as-of before `as_of`)."""
        rows = self._run("select as_of, opportunity_id, stage, amount, expected_close_at, probability "
                         "from pipeline_snapshots where source = ? and as_of < ? order by as_of, opportunity_id",
                         [source, as_of])
        return pl.DataFrame(rows, orient="row", schema={"as_of": pl.Datetime, **self.PIPELINE_COLUMNS})


def _stat(path: Path):
    try:
        return path.stat()
    except FileNotFoundError:
        return None


def compare(frozen: pl.DataFrame, current: pl.DataFrame) -> pl.DataFrame:
    """measure, frozen, current, restated (current - frozen): what changed since the meeting froze it."""
    return (frozen.rename({"value": "frozen"})
            .join(current.select("measure", pl.col("value").alias("current")), on="measure", how="full",
                  coalesce=True)
            .with_columns((pl.col("current") - pl.col("frozen")).alias("restated")))
