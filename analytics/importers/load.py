"""`python -m analytics import DIR`: read an export folder, validate it, build the database.

The database is written to a temporary file beside the target and moved into place only when
everything succeeded, so a failed import leaves the previous database as it was.
"""
from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from analytics.core.config import Config
from analytics.core.filters import Filters
from analytics.core.schema import (
    DATE,
    INTEGER,
    LOWERCASE,
    NUMBER,
    REQUIRED_TABLES,
    SQL_TYPES,
    TABLES,
    TEXT,
    TIMESTAMP,
    Table,
)
from analytics.engine.metrics import stalled_params
from analytics.importers.deal_repairs import repair_deals
from analytics.importers.formats import SOURCE_FILE, SOURCE_LINE, Caveat, ConversionFailed, Converted, convert
from analytics.importers.readers import (
    UnreadableFile,
    first_line,
    load_raw,
    normalise_header,
    quote,
    shadowed_files,
    table_files,
)
from analytics.store.db import SCHEMA_VERSION
from analytics.store.sql import materialise, run_script

LOAD_SHARE = 0.5  # of an import's time, reading the files (by their size); deriving tables is the rest
DERIVED = ("macros/money", "macros/lead_filter", "derived/lead_stages", "macros/stages", "macros/sla_clock",
           "derived/handoffs", "macros/handoff_decisions", "macros/sla_status", "derived/opportunity_touches",
           "macros/source_key", "derived/source_labels")  # queries/: a macro after the tables it reads


class ImportFailed(Exception):
    """The import stopped; the message names the file (and column) at fault."""


@dataclass
class TableResult:
    table: str
    file: str
    loaded: int
    rejected: int


@dataclass
class ImportResult:
    db_path: Path
    tables: list[TableResult] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def rejected(self) -> int:
        return sum(t.rejected for t in self.tables)


def import_folder(folder: str | Path, db_path: str | Path, cfg: Config,
                  say: Callable[[str], None] = print, progress: bool = False,
                  fmt: str = "canonical", mapping: str | Path | None = None,
                  on_progress: Callable[[float, str], None] | None = None,
                  source: str | None = None) -> ImportResult:
    """Import `folder` (canonical tables, or an export in `fmt` converted first) into db_path.
    `progress` lets DuckDB draw its own bar for long statements (a terminal); `on_progress` is told
    the fraction done and the step (a bar on a page or in the CLI); `source` is where the Data page
    says the data came from (default: the folder)."""
    folder, db_path = Path(folder), Path(db_path)
    started = time.perf_counter()
    if not folder.is_dir():
        raise ImportFailed(f"{folder}: not a folder")
    workdir = Path(tempfile.mkdtemp(prefix="closed_loop_import_"))
    try:
        converted = _convert(folder, fmt, cfg, mapping, workdir, say)
        return _import(workdir / "canonical" if converted else folder, source or str(folder.resolve()), db_path,
                       cfg, say, progress,
                       workdir, converted, started, on_progress or (lambda done, step: None))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _convert(folder: Path, fmt: str, cfg: Config, mapping, workdir: Path, say) -> Converted | None:
    if fmt == "canonical":
        return None
    say(f"converting the {fmt} export in {folder}")
    try:
        converted = convert(fmt, folder, cfg, Path(mapping) if mapping else None)
    except ConversionFailed as e:
        raise ImportFailed(str(e)) from None
    out = workdir / "canonical"
    out.mkdir()
    for name, frame in converted.tables.items():
        frame.write_parquet(out / f"{name}.parquet")
    for note in [*converted.notes, *(c.note for c in converted.caveats)]:
        say(note)
    return converted


def _import(folder: Path, origin: str, db_path: Path, cfg: Config, say, progress: bool, workdir: Path,
            converted: Converted | None, started: float, on_progress) -> ImportResult:
    files = table_files(folder)
    for name in REQUIRED_TABLES:
        if name not in files:
            raise ImportFailed(f"{origin}: no {name}.csv (or .parquet/.xlsx); it is required")
    for name, path in files.items():
        if name not in TABLES:
            say(f"skipped {path.name}: not a table of the canonical model")
    for path in shadowed_files(folder, files):
        say(f"skipped {path.name}: {files[normalise_header(path.stem)].name} already provides that table")

    db_path.parent.mkdir(parents=True, exist_ok=True)
    _remove_abandoned(db_path)
    tmp = db_path.with_name(f".{db_path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")
    result = ImportResult(db_path)
    try:
        con = duckdb.connect(str(tmp))
        try:
            _prepare(con, cfg, progress)
            total = sum(files[t].stat().st_size for t in files if t in TABLES) or 1
            read = 0
            for table in _in_order(files):
                spec = TABLES[table]
                if table in files:
                    say(f"reading {files[table].name} ({_size(files[table])})")
                    on_progress(LOAD_SHARE * read / total, f"reading {files[table].name}")
                    result.tables.append(_load_table(con, spec, files[table], cfg, workdir))
                    read += files[table].stat().st_size
                else:
                    _create_empty(con, spec)
            if converted and converted.rejects:
                _conversion_rejects(con, converted, result)
            repaired = repair_deals(con, cfg)
            for caveat in repaired:
                say(caveat.note)
            say("deriving stage entries, status and hand-off facts")
            for i, name in enumerate(DERIVED):
                on_progress(LOAD_SHARE + (0.95 - LOAD_SHARE) * i / len(DERIVED), f"deriving {name}")
                run_script(con, name, cfg.source_params())
            on_progress(0.95, "storing the stalled list and writing the database")
            _write_meta(con, origin, result)
            _write_caveats(con, [*(converted.caveats if converted else []), *repaired])
            _store_answers(con, cfg)
            con.execute("checkpoint")
        finally:
            con.close()
        os.replace(tmp, db_path)
        on_progress(1.0, "done")
    except UnreadableFile as e:
        raise ImportFailed(str(e)) from None
    except duckdb.Error as e:
        raise ImportFailed(f"{origin}: import failed ({str(e).splitlines()[0][:300]})") from None
    finally:
        for leftover in (tmp, Path(f"{tmp}.wal")):
            leftover.unlink(missing_ok=True)
    result.seconds = time.perf_counter() - started
    return result


def _remove_abandoned(db_path: Path) -> None:
    """Temporary databases left by an import that was killed (its process no longer exists)."""
    for leftover in db_path.parent.glob(f".{db_path.name}.*.tmp*"):
        try:
            pid = int(leftover.name[len(db_path.name) + 2:].split(".")[0])
            os.kill(pid, 0)
        except ProcessLookupError:
            leftover.unlink(missing_ok=True)
        except (ValueError, PermissionError):
            continue


def _size(path: Path) -> str:
    n = path.stat().st_size
    return f"{n / 1e6:.1f} MB" if n >= 1e5 else f"{n / 1e3:.1f} kB"


def _in_order(files: dict[str, Path]) -> list[str]:
    ordered: list[str] = []
    for name in TABLES:
        for dep in TABLES[name].depends_on:
            if dep not in ordered:
                ordered.append(dep)
        if name not in ordered:
            ordered.append(name)
    return ordered


def _prepare(con, cfg: Config, progress: bool) -> None:
    con.execute(f"set TimeZone = {_literal(cfg.timezone)}")
    # DuckDB draws a progress bar on stdout for long statements: only where a person watches
    con.execute(f"set enable_progress_bar = {'true' if progress else 'false'}")
    con.execute("create table stage_config (stage varchar, stage_order integer, kind varchar, role varchar)")
    con.executemany("insert into stage_config values (?, ?, ?, ?)", cfg.stage_rows())
    con.execute("create table office_hours as select ?::boolean as enabled, ?::varchar as tz, "
                "?::double as start_hour, ?::double as end_hour",
                [cfg.business_hours, cfg.office_timezone, cfg.office_start_hour, cfg.office_end_hour])
    con.execute("create table settings (config_json varchar)")
    con.execute("insert into settings values (?)", [cfg.to_json()])
    con.execute("create table rejects (table_name varchar, file varchar, line bigint, "
                "column_name varchar, value varchar, reason varchar)")
    formats = ", ".join(_literal(f) for f in cfg.timestamp_formats)
    by_format = f"try_strptime(v, [{formats}])::timestamptz" if formats else "null::timestamptz"
    con.execute(f"create temp macro parse_ts(v) as "
                f"coalesce(try_cast(v as timestamptz), {by_format}) at time zone 'UTC'")
    con.execute("create temp macro parse_date(v) as "
                "coalesce(try_cast(v as date), try_cast(v as timestamp)::date, "
                f"({by_format} at time zone 'UTC')::date)")


def _write_caveats(con, caveats: list[Caveat]) -> None:
    """import_notes: one row per caveat of the converter or the deal rules (topic, code, note, values as JSON)."""
    con.execute("create table import_notes (topic varchar, code varchar, note varchar, values_json varchar)")
    for c in caveats:
        con.execute("insert into import_notes values (?, ?, ?, ?)", [c.topic, c.code, c.note, json.dumps(c.values)])


def _literal(text: str) -> str:
    return "'" + str(text).replace("'", "''") + "'"


NATIVE = {  # how a column already typed by its file (Parquet) becomes the canonical type
    TIMESTAMP: {"TIMESTAMP WITH TIME ZONE": "{v} at time zone 'UTC'",
                "TIMESTAMP": "timezone({tz}, {v}) at time zone 'UTC'",
                "TIMESTAMP_NS": "timezone({tz}, {v}::timestamp) at time zone 'UTC'",
                "TIMESTAMP_MS": "timezone({tz}, {v}::timestamp) at time zone 'UTC'",
                "TIMESTAMP_S": "timezone({tz}, {v}::timestamp) at time zone 'UTC'",
                "DATE": "timezone({tz}, {v}::timestamp) at time zone 'UTC'"},
    DATE: {"DATE": "{v}", "TIMESTAMP": "{v}::date"},
    NUMBER: {t: "{v}::double" for t in ("DOUBLE", "FLOAT", "BIGINT", "INTEGER", "SMALLINT", "TINYINT",
                                         "HUGEINT", "UBIGINT", "UINTEGER", "USMALLINT", "UTINYINT")},
}
NATIVE[INTEGER] = NATIVE[NUMBER]


def _typed(spec: Table, column: str, raw_type: str | None, tz: str) -> tuple[str, bool]:
    """(select expression, whether the value is parsed from text and so may fail to parse)."""
    kind = spec.columns[column]
    if raw_type is None:
        return f"null::{SQL_TYPES[kind]} as {quote(column)}", False
    v = f"r.{quote(column)}"
    native = NATIVE.get(kind, {}).get(raw_type.split("(")[0])
    if native:
        return f"{native.format(v=v, tz=_literal(tz))} as {quote(column)}", False
    v = f"nullif(trim({v}::varchar), '')"
    if (spec.name, column) in LOWERCASE:
        v = f"lower({v})"
    if spec.name == "stage_history" and column == "stage":
        v = f"coalesce((select c.stage from stage_config c where lower(c.stage) = lower({v})), {v})"
    expr = {
        TEXT: v,
        TIMESTAMP: f"parse_ts({v})",
        DATE: f"parse_date({v})",
        NUMBER: f"try_cast({v} as double)",
        INTEGER: f"try_cast({v} as double)",
    }[kind]
    return f"{expr} as {quote(column)}", kind != TEXT


def _load_table(con, spec: Table, path: Path, cfg: Config, workdir: Path) -> TableResult:
    raw = f"raw_{spec.name}"
    unreadable = load_raw(con, path, raw, cfg.encoding, workdir)
    cur = con  # one connection: the temp macros and tables of the import live on it
    types = {r[0]: r[1] for r in cur.sql(f"describe {quote(raw)}").fetchall() if r[0] != "_line"}
    header = list(types)
    for column in spec.required:
        if column not in header:
            raise UnreadableFile(f"{path.name}: required column {column!r} is missing "
                                 f"(found: {', '.join(header)})")
    extras = [h for h in header if h not in spec.columns and h not in (SOURCE_FILE, SOURCE_LINE)]
    select, raw_text = [], {}  # raw_text: column -> the kept text of a value parsed from text
    for c in spec.columns:
        expr, parsed = _typed(spec, c, types.get(c), cfg.timezone)
        select.append(expr)
        if parsed:
            raw_text[c] = f"_raw_{len(raw_text)}"
            select.append(f"nullif(trim(r.{quote(c)}::varchar), '') as {raw_text[c]}")
    select += [f"nullif(trim(r.{quote(c)}::varchar), '') as {quote(c)}" for c in extras]
    try:  # a Parquet file is read only now (its raw table is a view): a damaged page shows up here
        cur.execute(f"create temp table typed as select r._line, {', '.join(select)} from {quote(raw)} as r")
    except duckdb.Error as e:
        raise UnreadableFile(f"{path.name}: cannot be read as a table ({first_line(e)})") from None
    reject = _rejecter(cur, spec.name, path.name)
    for line, reason in unreadable:
        cur.execute("insert into rejects values (?, ?, ?, null, null, ?)", [spec.name, path.name, line, reason])

    for column in (c for c in spec.columns if c in header):
        kind, col = spec.columns[column], f"t.{quote(column)}"
        if column in spec.required:
            missing = f"{col} is null" + (f" and t.{raw_text[column]} is null" if column in raw_text else "")
            reject(column, f"select _line, null from typed t where {missing}", "required value missing")
        if column in raw_text:
            reject(column, f"select _line, t.{raw_text[column]} from typed t "
                           f"where {col} is null and t.{raw_text[column]} is not null", f"not a valid {kind}")
        if kind == INTEGER:
            reject(column, f"select _line, {col}::varchar from typed t where {col} <> round({col})",
                   "not a whole number")
    params = {"score_min": cfg.score_min, "score_max": cfg.score_max}
    for column, bad, reason in spec.checks:
        if column in header or column in spec.required:
            used = {k: v for k, v in params.items() if f"${k}" in bad}
            reject(column, f"select t._line, t.{quote(column)}::varchar from typed t where {bad}", reason, used)
    if spec.key and _has_duplicates(cur, spec.key):
        _reject_duplicates(spec, [*spec.columns, *extras], reject)
    columns = ", ".join(quote(c) for c in [*spec.columns, *extras])
    if cur.execute("select count(*) from rejects where table_name = ?", [spec.name]).fetchall()[0][0]:
        cur.execute(f"""create table {quote(spec.name)} as select {columns} from typed t
                        anti join (select line from rejects where table_name = ?) x on x.line = t._line""",
                    [spec.name])
    else:
        cur.execute(f"create table {quote(spec.name)} as select {columns} from typed")
    if SOURCE_LINE in header:  # a converted export: point rejects at the original file and line
        source_file = f"r.{quote(SOURCE_FILE)}" if SOURCE_FILE in header else "null"
        cur.execute(f"""update rejects set file = coalesce({source_file}, rejects.file),
                            line = coalesce(try_cast(r.{quote(SOURCE_LINE)} as bigint), rejects.line)
                        from {quote(raw)} as r
                        where rejects.table_name = ? and rejects.line = r._line""", [spec.name])
    shown = path.name
    if SOURCE_FILE in header:  # name the export's own files, not the converted intermediate
        shown = cur.execute(f"select string_agg(distinct {quote(SOURCE_FILE)}, ', ' order by {quote(SOURCE_FILE)}) "
                            f"from {quote(raw)}").fetchall()[0][0] or path.name
    is_view = cur.execute("select count(*) from duckdb_views() where view_name = ?", [raw]).fetchall()[0][0]
    cur.execute(f"drop table typed; drop {'view' if is_view else 'table'} {quote(raw)}")
    loaded = cur.execute(f"select count(*) from {quote(spec.name)}").fetchall()[0][0]
    rejected = cur.execute("select count(distinct (file, line)) from rejects where table_name = ?",
                           [spec.name]).fetchall()[0][0]
    return TableResult(spec.name, shown, loaded, rejected)


def _conversion_rejects(con, converted: Converted, result: ImportResult) -> None:
    """The converter's rejects, under the canonical table each row was meant for (added after the
    tables load, whose own rejects count converted lines); a table's count includes them."""
    con.executemany("insert into rejects values (?, ?, ?, ?, ?, ?)",
                    [(converted.table_of(r), r.file, r.line, r.column, r.value, r.reason) for r in converted.rejects])
    rows = {t.table: t for t in result.tables}
    for table in dict.fromkeys(converted.table_of(r) for r in converted.rejects):
        rejected = con.execute("select count(distinct (file, line)) from rejects where table_name = ?",
                               [table]).fetchall()[0][0]
        if table not in rows:
            files = sorted({r.file for r in converted.rejects if converted.table_of(r) == table})
            rows[table] = TableResult(table, ", ".join(files), 0, 0)
            result.tables.append(rows[table])
        rows[table].rejected = rejected


def _has_duplicates(cur, key: str) -> bool:
    return bool(cur.execute(f"select count(*) from (select {quote(key)} from typed where {quote(key)} is not null "
                            f"group by all having count(*) > 1)").fetchall()[0][0])


def _reject_duplicates(spec: Table, columns: list[str], reject) -> None:
    """Later rows of a repeated id: an exact copy of the first, or different content."""
    key = quote(spec.key)
    everything = ", ".join(f"t.{quote(c)}" for c in columns)
    reject(spec.key, f"""
        select _line, key_value from (
            select t._line, t.{key}::varchar as key_value,
                   min(t._line) over (partition by t.{key}) as first_line,
                   min(t._line) over (partition by t.{key}, hash({everything})) as same_content_line
            from typed t anti join rejects x
              on x.table_name = '{spec.name}' and x.line = t._line)
        where _line > first_line and same_content_line < _line and same_content_line = first_line""",
           "exact duplicate of an earlier row")
    reject(spec.key, f"""
        select _line, key_value from (
            select t._line, t.{key}::varchar as key_value,
                   min(t._line) over (partition by t.{key}) as first_line
            from typed t anti join rejects x
              on x.table_name = '{spec.name}' and x.line = t._line)
        where _line > first_line""",
           f"duplicate {spec.key} with different content")


def _rejecter(cur, table: str, file: str):
    def reject(column: str, rows_sql: str, reason: str, params: dict | None = None) -> None:
        sql = (f"insert into rejects select '{table}', $file, b._line, $column, b.v, $reason "
               f"from ({rows_sql}) as b(_line, v)")
        cur.execute(sql, {"file": file, "column": column, "reason": reason, **(params or {})})
    return reject


def _create_empty(con, spec: Table) -> None:
    cols = ", ".join(f"{quote(c)} {SQL_TYPES[k]}" for c, k in spec.columns.items())
    con.execute(f"create table {quote(spec.name)} ({cols})")


def _store_answers(con, cfg) -> None:
    """Answers at the data's own as-of that a page asks for on every run and that cost too much to
    compute then (read by metrics.stalled; any other as-of is computed from the event tables)."""
    as_of = con.execute("select default_as_of from meta").fetchall()[0][0]
    materialise(con, "stalled_now", "marts/stalled", stalled_params(cfg, Filters(), as_of))


def _write_meta(con, origin: str, result: ImportResult) -> None:
    con.execute("create table import_files (table_name varchar, file varchar, rows_loaded bigint, "
                "rows_rejected bigint)")
    con.executemany("insert into import_files values (?, ?, ?, ?)",
                    [(t.table, t.file, t.loaded, t.rejected) for t in result.tables])
    run_script(con, "derived/meta", {"data_version": uuid.uuid4().hex, "folder": origin,
                                     "schema_version": SCHEMA_VERSION})
