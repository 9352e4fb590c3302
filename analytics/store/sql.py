"""Named SQL files from queries/, run with bound parameters on a cursor of their own.

A query may contain one placeholder, `{by}`, for the breakdown column; it is filled only with a
quoted column name that `dimensions()` found in the database (the allow-list), never with text
from a widget or the command line as such.
"""
from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import duckdb
import polars as pl

from analytics.store.identifiers import quote

QUERY_DIR = Path(__file__).resolve().parents[2] / "queries"
_PARAM = re.compile(r"\$([a-z_][a-z0-9_]*)")
_COMMENT = re.compile(r"--[^\n]*")  # our SQL files keep no "--" or ";" inside string literals


class UnknownColumn(ValueError):
    pass


@cache
def sql_text(name: str) -> str:
    return (QUERY_DIR / f"{name}.sql").read_text(encoding="utf-8")


def _bound(text: str, params: dict | None) -> dict:
    wanted = set(_PARAM.findall(text))
    params = params or {}
    missing = wanted - params.keys()
    if missing:
        raise KeyError(f"query needs parameters {sorted(missing)}")
    return {k: params[k] for k in wanted}


def run(con: duckdb.DuckDBPyConnection, name: str, params: dict | None = None,
        by: str | None = None, by_table: str = "l", columns: list[str] | None = None) -> pl.DataFrame:
    """Run queries/<name>.sql and return a Polars frame; `by` must already be allow-listed.
    `columns` (names the caller checked against the query's own) keeps only those: DuckDB then
    skips the work behind the others."""
    text = _COMMENT.sub("", sql_text(name))
    if "{by}" in text:
        text = text.replace("{by}", f"coalesce({by_table}.{quote(by)}::varchar, '(none)')" if by else "'all'")
    if columns is not None:
        text = f"select {', '.join(quote(c) for c in columns)} from ({text.strip().rstrip(';')})"
    cur = con.cursor()
    try:
        return cur.sql(text, params=_bound(text, params)).pl()
    finally:
        cur.close()


def one_row_unsplit(frame: pl.DataFrame, by: str | None) -> pl.DataFrame:
    """Without a breakdown a report prints one row, `all`, even when nothing matched (CLI.md):
    counts 0, rates and other figures empty."""
    if by is not None or frame.height or "by_value" not in frame.columns:
        return frame
    row = {c: ("all" if c == "by_value" else 0 if t.is_integer() else None) for c, t in frame.schema.items()}
    return pl.DataFrame([row], schema=frame.schema)


def run_script(con: duckdb.DuckDBPyConnection, name: str, params: dict | None = None) -> None:
    """Run every statement of queries/<name>.sql (used at import to build derived tables)."""
    code = _COMMENT.sub("", sql_text(name))
    for statement in (s for s in code.split(";") if s.strip()):
        con.execute(statement, _bound(statement, params))


def materialise(con: duckdb.DuckDBPyConnection, table: str, name: str, params: dict | None = None) -> None:
    """Store the result of queries/<name>.sql as `table` (at import: a mart's answer at the data's as-of)."""
    text = _COMMENT.sub("", sql_text(name)).strip().rstrip(";")
    con.execute(f"create table {quote(table)} as {text}", _bound(text, params))


def dimensions(con: duckdb.DuckDBPyConnection, table: str = "leads") -> list[str]:
    """The allow-list of breakdown columns: the table's text columns other than its ids (and, for
    leads, other than names the stage rows that carry the lead's columns use themselves)."""
    cur = con.cursor()
    try:
        rows = cur.execute(
            "select column_name from information_schema.columns where table_name = ? "
            "and data_type = 'VARCHAR' and column_name not in ('lead_id', 'opportunity_id', 'stage', "
            "'stage_order', 'entered_at', 'is_recorded', 'exited_at', 'days_in_stage', 'cohort_at', "
            "'lead_created_at') "
            "order by ordinal_position", [table]).fetchall()
    finally:
        cur.close()
    return [r[0] for r in rows]


def checked_dimension(con: duckdb.DuckDBPyConnection, by: str | None, table: str = "leads") -> str | None:
    if by is None:
        return None
    allowed = dimensions(con, table)
    if by not in allowed:
        raise UnknownColumn(f"--by {by!r} is not a column of {table}; choose one of: {', '.join(allowed)}")
    return by
