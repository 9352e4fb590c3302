"""One canonical table loaded from its file: read as text, each column typed (or rejected with its
line, column, value and reason), duplicate keys rejected, and the table created with the rows that
passed. `load.py` runs it for every table of an import.

The statements are built once, by `TablePlan`, and run by either engine: DuckDB here (`load_table`),
Spark through `analytics.store.spark_sql.to_spark` (`analytics.importers.spark_import`). Each reject
rule is a SELECT of (table_name, file, line, column_name, value, reason) rows: DuckDB inserts it into
`rejects`, Spark unions it into its rejects frame. No rule has a second, hand-written copy.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb

from analytics.core.config import Config
from analytics.core.schema import (
    DATE,
    EARLIEST_YEAR,
    INTEGER,
    LATEST_YEAR,
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


def _by_format(formats: tuple[str, ...], v: str) -> str:
    listed = ", ".join(literal(f) for f in formats)
    return f"try_strptime({v}, [{listed}])::timestamptz" if formats else "null::timestamptz"


def _no_infinity(v: str) -> str:
    """The text unless it is `infinity` or `-infinity`, which DuckDB reads as times (a cast as an infinite
    time, `strptime` as 1900-01-01); no CRM means them, and Spark reads them as nothing."""
    return f"(case when lower({v}) not in ('infinity', '-infinity') then {v} end)"


def parse_ts(v: str, formats: tuple[str, ...] = ()) -> str:
    """A text value as a UTC timestamp: an ISO time (with an offset, or in the session's zone, the
    configured `timezone`), else one of the configured `timestamp_formats`. Inlined (no macro), so that
    the Spark engine translates it like any other expression."""
    v = _no_infinity(v)
    return f"(coalesce(try_cast({v} as timestamptz), {_by_format(formats, v)}) at time zone 'UTC')"


def parse_date(v: str, formats: tuple[str, ...] = ()) -> str:
    """A text value as a date: an ISO date, the date of an ISO time, or of a configured format."""
    v = _no_infinity(v)
    return (f"coalesce(try_cast({v} as date), try_cast({v} as timestamp)::date, "
            f"({_by_format(formats, v)} at time zone 'UTC')::date)")


def _typed(spec: Table, column: str, raw_type: str | None, tz: str,
           formats: tuple[str, ...] = ()) -> tuple[str, bool]:
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
        TIMESTAMP: parse_ts(v, formats),
        DATE: parse_date(v, formats),
        NUMBER: f"try_cast({v} as double)",
        INTEGER: f"try_cast({v} as double)",
    }[kind]
    return f"{expr} as {quote(column)}", kind != TEXT


@dataclass
class Reject:
    """One reject rule: `rows_sql` selects (line, value) of the bad rows of `typed t`."""
    column: str
    rows_sql: str
    reason: str
    params: dict = field(default_factory=dict)


@dataclass
class TablePlan:
    """Every statement that types and checks one table, built from the canonical model once and run by
    DuckDB (load_table) or Spark (spark_import). `types`: the raw table's columns and their types (all
    text for a CSV file)."""
    spec: Table
    types: dict[str, str]
    cfg: Config
    file: str
    header: list[str] = field(init=False)
    extras: list[str] = field(init=False)
    raw_text: dict[str, str] = field(init=False)  # column -> the kept text of a value parsed from text
    select: list[str] = field(init=False)

    def __post_init__(self) -> None:
        spec = self.spec
        self.header = list(self.types)
        self.extras = [h for h in self.header if h not in spec.columns and h not in (SOURCE_FILE, SOURCE_LINE)]
        self.select, self.raw_text = [], {}
        for c in spec.columns:
            expr, parsed = _typed(spec, c, self.types.get(c), self.cfg.timezone, self.cfg.timestamp_formats)
            self.select.append(expr)
            if parsed:
                self.raw_text[c] = f"_raw_{len(self.raw_text)}"
                self.select.append(f"nullif(trim(r.{quote(c)}::varchar), '') as {self.raw_text[c]}")
        self.select += [f"nullif(trim(r.{quote(c)}::varchar), '') as {quote(c)}" for c in self.extras]

    def missing_required(self) -> str | None:
        """The message for a required column the file lacks (None: all there)."""
        for column in self.spec.required:
            if column not in self.header:
                return f"{self.file}: required column {column!r} is missing (found: {', '.join(self.header)})"
        return None

    def typed_sql(self, raw: str) -> str:
        return f"select r._line, {', '.join(self.select)} from {quote(raw)} as r"

    @property
    def columns(self) -> list[str]:
        return [*self.spec.columns, *self.extras]

    def column_rejects(self) -> list[Reject]:
        """Presence, type and whole-number rules per column, then the table's row checks, in order."""
        spec, out = self.spec, []
        for column in (c for c in spec.columns if c in self.header):
            kind, col = spec.columns[column], f"t.{quote(column)}"
            if column in spec.required:
                missing = f"{col} is null" + (f" and t.{self.raw_text[column]} is null"
                                              if column in self.raw_text else "")
                out.append(Reject(column, f"select _line, null from typed t where {missing}",
                                  "required value missing"))
            if column in self.raw_text:
                out.append(Reject(column, f"select _line, t.{self.raw_text[column]} from typed t "
                                          f"where {col} is null and t.{self.raw_text[column]} is not null",
                                  f"not a valid {kind}"))
            if kind == INTEGER:
                out.append(Reject(column, f"select _line, {col}::varchar from typed t where {col} <> round({col})",
                                  "not a whole number"))
            if kind in (TIMESTAMP, DATE):
                shown = f"t.{self.raw_text[column]}" if column in self.raw_text else f"{col}::varchar"
                out.append(Reject(column, f"select _line, {shown} from typed t where {col} < $earliest "
                                          f"or {col} >= $after_latest",
                                  f"{kind} outside the years {EARLIEST_YEAR}–{LATEST_YEAR}",  # reject.out_of_years
                                  {"earliest": datetime(EARLIEST_YEAR, 1, 1),
                                   "after_latest": datetime(LATEST_YEAR + 1, 1, 1)}))
        params = {"score_min": self.cfg.score_min, "score_max": self.cfg.score_max}
        for column, bad, reason in spec.checks:
            if column in self.header or column in spec.required:
                used = {k: v for k, v in params.items() if f"${k}" in bad}
                rows = bad if bad.startswith(("semi join ", "anti join ")) else f"where {bad}"  # schema.py: a join rule
                out.append(Reject(column, f"select t._line, t.{quote(column)}::varchar from typed t {rows}",
                                  reason, used))
        return out

    def duplicates_sql(self) -> str | None:
        """A count of repeated keys (None: the table has no key)."""
        if not self.spec.key:
            return None
        key = quote(self.spec.key)
        return (f"select count(*) from (select {key} from typed where {key} is not null "
                f"group by {key} having count(*) > 1)")

    def duplicate_rejects(self) -> list[Reject]:
        """Later rows of a repeated id: an exact copy of the first, or different content (rows already
        rejected left out). Same content: the same value in every column (NULLs equal), as one partition."""
        spec = self.spec
        key = quote(spec.key)
        everything = ", ".join(f"t.{quote(c)}" for c in self.columns)
        return [Reject(spec.key, f"""
        select _line, key_value from (
            select t._line, t.{key}::varchar as key_value,
                   min(t._line) over (partition by t.{key}) as first_line,
                   min(t._line) over (partition by t.{key}, {everything}) as same_content_line
            from typed t anti join rejects x
              on x.table_name = {literal(spec.name)} and x.line = t._line) as d
        where _line > first_line and same_content_line < _line and same_content_line = first_line""",
                       "exact duplicate of an earlier row"),
                Reject(spec.key, f"""
        select _line, key_value from (
            select t._line, t.{key}::varchar as key_value,
                   min(t._line) over (partition by t.{key}) as first_line
            from typed t anti join rejects x
              on x.table_name = {literal(spec.name)} and x.line = t._line) as d
        where _line > first_line""",
                       f"duplicate {spec.key} with different content")]

    def reject_sql(self, rule: Reject) -> tuple[str, dict]:
        """The rule as rows of the rejects ledger, with its parameters."""
        sql = (f"select {literal(self.spec.name)} as table_name, $file as file, cast(b._line as bigint) as line, "
               f"$column as column_name, cast(b.v as varchar) as value, $reason as reason "
               f"from ({rule.rows_sql}) as b(_line, v)")
        return sql, {"file": self.file, "column": rule.column, "reason": rule.reason, **rule.params}

    def rejected_lines_sql(self) -> str:
        """The lines of this table's file that a rule rejected."""
        return f"select line from rejects where table_name = {literal(self.spec.name)}"

    def kept_sql(self, any_rejected: bool) -> str:
        """The rows that passed, as the canonical table (Spark; DuckDB deletes the rejected lines from `typed`)."""
        columns = ", ".join(quote(c) for c in self.columns)
        if not any_rejected:
            return f"select {columns} from typed"
        return f"select {columns} from typed t anti join ({self.rejected_lines_sql()}) x on x.line = t._line"


def load_table(con, spec: Table, path: Path, cfg: Config, workdir: Path) -> TableResult:
    raw = f"raw_{spec.name}"
    unreadable = load_raw(con, path, raw, cfg.encoding, workdir)
    cur = con  # one connection: the temp tables of the import live on it
    types = {r[0]: r[1] for r in cur.sql(f"describe {quote(raw)}").fetchall() if r[0] != "_line"}
    plan = TablePlan(spec, types, cfg, path.name)
    if message := plan.missing_required():
        raise UnreadableFile(message)
    header = plan.header
    # typed straight into the database: the checks read it, the rejected lines are deleted, the helper columns
    # dropped and the table renamed (copying the kept rows into a second table cost 10-30% of a table's load)
    try:  # a Parquet file is read only now (its raw table is a view): a damaged page shows up here
        cur.execute(f"create table typed as {plan.typed_sql(raw)}")
    except duckdb.Error as e:
        raise UnreadableFile(f"{path.name}: cannot be read as a table ({first_line(e)})") from None
    for line, reason in unreadable:
        cur.execute("insert into rejects values (?, ?, ?, null, null, ?)", [spec.name, path.name, line, reason])

    def reject(rule: Reject) -> None:
        sql, params = plan.reject_sql(rule)
        cur.execute(f"insert into rejects {sql}", params)

    for rule in plan.column_rejects():
        reject(rule)
    if (duplicates := plan.duplicates_sql()) and cur.execute(duplicates).fetchall()[0][0]:
        for rule in plan.duplicate_rejects():
            reject(rule)
    any_rejected = cur.execute("select count(*) from rejects where table_name = ?", [spec.name]).fetchall()[0][0]
    if any_rejected:
        cur.execute(f"delete from typed where _line in ({plan.rejected_lines_sql()})")
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
    cur.execute(f"drop {'view' if is_view else 'table'} {quote(raw)}")
    for column in ["_line", *plan.raw_text.values()]:  # the kept columns stay in the order of plan.columns
        cur.execute(f"alter table typed drop column {column}")
    cur.execute(f"alter table typed rename to {quote(spec.name)}")
    loaded = cur.execute(f"select count(*) from {quote(spec.name)}").fetchall()[0][0]
    rejected = cur.execute("select count(distinct (file, line)) from rejects where table_name = ?",
                           [spec.name]).fetchall()[0][0]
    return TableResult(spec.name, shown, loaded, rejected)


def create_empty(con, spec: Table) -> None:
    cols = ", ".join(f"{quote(c)} {SQL_TYPES[k]}" for c, k in spec.columns.items())
    con.execute(f"create table {quote(spec.name)} ({cols})")
