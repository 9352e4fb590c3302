"""Named SQL files from queries/ (macros/, derived/ built at import, marts/), run with bound parameters
on a cursor of their own, and checked: each file starts with a header (Purpose, Grain, Key for a mart,
Parameters); the $names its Parameters line declares must be the ones its SQL uses, and a call must pass
each of them and no undeclared one (QueryContractError otherwise).

A query may contain placeholders: `{by}` for the breakdown column, and key slots such as `{unit}` for
one or more columns joined into one value (`keys`); they are filled only with quoted column names that
an allow-list found in the database (`dimensions()`), never with text from a widget or the command
line as such. A slot the caller leaves empty reads 'all'. Two more are filled from the catalog
(docs/engines.md: the portable subset has no COLUMNS(lambda) and no UNION BY NAME): `{lead_columns}` in a
derived script (the leads' columns but those a stage row has itself and who a lead is) and `{person_columns}`
in a mart (`l.*`, then null for each of lead_name, email, company_name the export lacks).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import duckdb
import polars as pl

from analytics.store.identifiers import quote

QUERY_DIR = Path(__file__).resolve().parents[2] / "queries"
_PARAM = re.compile(r"\$([a-z_][a-z0-9_]*)")
_COMMENT = re.compile(r"--[^\n]*")  # our SQL files keep no "--" or ";" inside string literals
_SLOT = re.compile(r"\{([a-z_]+)\}")  # a key slot such as {unit}; SQL text never has a bare {name} otherwise
_FIELD = re.compile(r"\b(Purpose|Grain|Key|Parameters)(?: \([^)]*\))?:")
# What every mart may be offered, from engine.base.query_params: the lead filter, the period, the
# as-of and the currency. A query takes those its header declares; any other parameter a caller
# passes must be declared, and every declared one must be passed.
CONTEXT = frozenset({"lead_filter", "start", "end", "as_of", "currency"})


class UnknownColumn(ValueError):
    pass


class QueryContractError(ValueError):
    """A SQL file whose header does not match its body, or a call that does not match the header."""


@dataclass(frozen=True)
class Header:
    """The comment lines a SQL file starts with: what it is for, its grain, its key and its parameters."""
    fields: dict[str, str]
    parameters: frozenset[str]  # the $names the Parameters line declares
    key: tuple[str, ...]  # the columns of the Key line (empty when there is none)


@cache
def sql_text(name: str) -> str:
    return (QUERY_DIR / f"{name}.sql").read_text(encoding="utf-8")


@cache
def header(name: str) -> Header:
    """queries/<name>.sql's header, checked against its body: the parameters the Parameters line
    declares must be exactly the $names the SQL uses."""
    lines = []
    for line in sql_text(name).splitlines():
        if not line.startswith("--"):
            break
        lines.append(line[2:].strip())
    text = " ".join(lines)
    parts = _FIELD.split(text)
    fields = {parts[i]: parts[i + 1].strip() for i in range(1, len(parts) - 1, 2)}
    declared = frozenset(_PARAM.findall(fields.get("Parameters", "")))
    used = frozenset(_PARAM.findall(_COMMENT.sub("", sql_text(name))))
    if declared != used:
        raise QueryContractError(
            f"queries/{name}.sql: its Parameters line does not match its SQL: declared but unused "
            f"{sorted(declared - used)}, used but undeclared {sorted(used - declared)}")
    key_text = fields.get("Key", "").rstrip(".")
    key = () if key_text.startswith("none") else tuple(c.strip() for c in key_text.split(",") if c.strip())
    return Header(fields, declared, key)


def _checked(name: str, params: dict | None, offered: frozenset[str] = CONTEXT) -> dict:
    """The parameters to bind: every declared one must be there; one that is not declared is an
    error unless it is part of what every query is `offered` (then the query does not need it)."""
    declared = header(name).parameters
    params = params or {}
    missing = declared - params.keys()
    if missing:
        raise QueryContractError(f"queries/{name}.sql needs parameters {sorted(missing)}")
    unknown = params.keys() - declared - offered
    if unknown:
        raise QueryContractError(f"queries/{name}.sql does not declare parameters {sorted(unknown)}")
    return {k: params[k] for k in declared}


def key_expression(columns: tuple[str, ...] | list[str], table: str) -> str:
    """One text value from allow-listed columns: each value (or `(none)`), joined by " · " when several."""
    parts = [f"coalesce({table}.{quote(c)}::varchar, '(none)')" for c in columns]
    if not parts:
        return "'all'"
    return parts[0] if len(parts) == 1 else "concat_ws(' · ', " + ", ".join(parts) + ")"


checked_params = _checked  # the Spark runner (spark_engine.py) checks a call exactly as run() does
CATALOG_SLOTS = ("lead_columns", "person_columns")  # filled by the runner from the engine's catalog


def query_text(name: str, by: str | None = None, by_table: str = "l", columns: list[str] | None = None,
               keys: dict[str, tuple[str, ...]] | None = None) -> str:
    """queries/<name>.sql as it runs (on either engine): comments out, `{by}` filled with the
    allow-listed column, key slots with key_expression() over table `by_table` ('all' when not given),
    and only `columns` kept when given."""
    text = _COMMENT.sub("", sql_text(name))

    def fill(slot: re.Match) -> str:  # one pass: nothing filled in is read again as a slot
        name = slot.group(1)
        if name == "by":
            return f"coalesce({by_table}.{quote(by)}::varchar, '(none)')" if by else "'all'"
        if name in CATALOG_SLOTS:
            return slot.group(0)
        return key_expression((keys or {})[name], by_table) if name in (keys or {}) else "'all'"
    text = _SLOT.sub(fill, text)
    if columns is not None:
        text = f"select {', '.join(quote(c) for c in columns)} from ({text.strip().rstrip(';')})"
    return text


def run(con: duckdb.DuckDBPyConnection, name: str, params: dict | None = None,
        by: str | None = None, by_table: str = "l", columns: list[str] | None = None,
        keys: dict[str, tuple[str, ...]] | None = None) -> pl.DataFrame:
    """Run queries/<name>.sql and return a Polars frame; `by` must already be allow-listed.
    `columns` (names the caller checked against the query's own) keeps only those: DuckDB then
    skips the work behind the others. `keys` (allow-listed columns too) fills `{name}` slots with
    key_expression() over table `by_table`."""
    bound = _checked(name, params)
    text = query_text(name, by, by_table, columns, keys)
    if "{person_columns}" in text:
        text = text.replace("{person_columns}", person_columns(table_columns(con, "leads")))
    cur = con.cursor()
    try:
        return cur.sql(text, params=bound).pl()
    finally:
        cur.close()


def one_row_unsplit(frame: pl.DataFrame, by: str | None) -> pl.DataFrame:
    """Without a breakdown a report prints one row, `all`, even when nothing matched (docs/cli.md):
    counts 0, rates and other figures empty."""
    if by is not None or frame.height or "by_value" not in frame.columns:
        return frame
    row = {c: ("all" if c == "by_value" else 0 if t.is_integer() else None) for c, t in frame.schema.items()}
    return pl.DataFrame([row], schema=frame.schema)


def person_columns(columns: list[str], alias: str = "l") -> str:
    """What `{person_columns}` stands for: the leads' columns, then null for each column of who a lead
    is (PERSON_COLUMNS) the export does not have."""
    missing = [f"null::varchar as {quote(c)}" for c in sorted(PERSON_COLUMNS) if c not in columns]
    return ", ".join([f"{alias}.*", *missing])


def table_columns(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    cur = con.cursor()
    try:
        return [r[0] for r in cur.execute(
            "select column_name from information_schema.columns where table_name = ? "
            "and table_schema = current_schema() order by ordinal_position", [table]).fetchall()]
    finally:
        cur.close()


# The columns a lead_stages row has itself: a lead's column of the same name may not shadow them.
STAGE_ROW_COLUMNS = ("created_at", "stage", "stage_order", "entered_at", "is_recorded", "exited_at",
                     "days_in_stage", "cohort_at", "lead_created_at")


def lead_columns(columns: list[str], alias: str = "l") -> str:
    """What `{lead_columns}` stands for, given the leads table's columns (from the engine's catalog): those
    a figure filters or breaks down by. Who a lead is (PERSON_COLUMNS) stays in leads: never a breakdown,
    and three unique texts on every stage row cost a quarter of the stage table's build at 10M leads."""
    return ", ".join(f"{alias}.{quote(c)}" for c in columns if c not in STAGE_ROW_COLUMNS and c not in PERSON_COLUMNS)


def script_text(name: str, leads_columns: list[str] | None = None) -> str:
    """queries/<name>.sql without comments, `{lead_columns}` filled from the given leads columns."""
    code = _COMMENT.sub("", sql_text(name))
    if "{lead_columns}" in code:
        code = code.replace("{lead_columns}", lead_columns(leads_columns or []))
    return code


def run_script(con: duckdb.DuckDBPyConnection, name: str, params: dict | None = None) -> None:
    """Run every statement of queries/<name>.sql (used at import to build derived tables). The import
    offers every script its whole configuration; each takes what its header declares."""
    bound = _checked(name, params, offered=frozenset((params or {}).keys()))
    code = script_text(name, table_columns(con, "leads"))
    for statement in (s for s in code.split(";") if s.strip()):
        con.execute(statement, {k: bound[k] for k in set(_PARAM.findall(statement))})


def materialise(con: duckdb.DuckDBPyConnection, table: str, name: str, params: dict | None = None) -> None:
    """Store the result of queries/<name>.sql as `table` (at import: a mart's answer at the data's as-of)."""
    bound = _checked(name, params)
    text = _COMMENT.sub("", sql_text(name)).strip().rstrip(";")
    con.execute(f"create table {quote(table)} as {text}", bound)


PERSON_COLUMNS = frozenset({"lead_name", "email", "company_name"})  # who a lead is: searched, never a breakdown


def dimensions(con: duckdb.DuckDBPyConnection, table: str = "leads") -> list[str]:
    """The allow-list of breakdown columns: the table's text columns other than its ids (and, for
    leads, other than names the stage rows that carry the lead's columns use themselves)."""
    cur = con.cursor()
    try:
        rows = cur.execute(
            "select column_name, data_type from information_schema.columns where table_name = ? "
            "order by ordinal_position", [table]).fetchall()
    finally:
        cur.close()
    return allowed_dimensions([(c, t == "VARCHAR") for c, t in rows])


# Text columns that are never a breakdown: ids, the stage row's own columns, who a lead is.
NOT_DIMENSIONS = frozenset({"lead_id", "opportunity_id", "stage", "stage_order", "entered_at", "is_recorded",
                            "exited_at", "days_in_stage", "cohort_at", "lead_created_at", *PERSON_COLUMNS})


def allowed_dimensions(columns: list[tuple[str, bool]]) -> list[str]:
    """The allow-list from a table's (column, is text) pairs, in table order: both engines' catalogs
    feed it, so a breakdown is allowed on Spark exactly when it is on DuckDB."""
    return [c for c, is_text in columns if is_text and c not in NOT_DIMENSIONS]


def checked_dimension(con: duckdb.DuckDBPyConnection, by: str | None, table: str = "leads") -> str | None:
    if by is None:
        return None
    allowed = dimensions(con, table)
    if by not in allowed:
        raise UnknownColumn(f"--by {by!r} is not a column of {table}; choose one of: {', '.join(allowed)}")
    return by
