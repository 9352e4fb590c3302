"""One canonical table loaded from its file: read as text, each column typed (or rejected with its
line, column, value and reason), duplicate keys rejected, and the table created with the rows that
passed. `load.py` runs it for every table of an import."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from analytics.core.config import Config
from analytics.core.schema import (
    DATE,
    INTEGER,
    LOWERCASE,
    NUMBER,
    SQL_TYPES,
    TEXT,
    TIMESTAMP,
    Table,
)
from analytics.importers.formats import SOURCE_FILE, SOURCE_LINE
from analytics.importers.readers import (
    UnreadableFile,
    first_line,
    load_raw,
)
from analytics.store.identifiers import literal, quote


@dataclass
class TableResult:
    table: str
    file: str
    loaded: int
    rejected: int


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
        return f"{native.format(v=v, tz=literal(tz))} as {quote(column)}", False
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


def load_table(con, spec: Table, path: Path, cfg: Config, workdir: Path) -> TableResult:
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


def create_empty(con, spec: Table) -> None:
    cols = ", ".join(f"{quote(c)} {SQL_TYPES[k]}" for c, k in spec.columns.items())
    con.execute(f"create table {quote(spec.name)} ({cols})")

