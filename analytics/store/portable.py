"""The portable subset of DuckDB SQL every file in queries/ is written in (docs/engines.md), checked by
parsing it with sqlglot: what runs the same on DuckDB and, after the Spark engine's rewrites, on Spark.

Each rule names a construct that either does not exist on Spark or that sqlglot translates into SQL
meaning something else; `violations(text)` returns one line per construct found, naming it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import sqlglot
from sqlglot import exp

_COMMENT = re.compile(r"--[^\n]*")
# the runner's placeholders (analytics/store/sql.py), filled before a query runs
_PLACEHOLDERS = {"{by}": "'all'", "{lead_columns}": "l.lead_id", "{person_columns}": "l.*"}


@dataclass(frozen=True)
class Violation:
    rule: str
    where: str  # the SQL of the offending expression, shortened

    def __str__(self) -> str:
        return f"{self.rule}: {self.where}"


RULES = {
    "asof_join": "no ASOF join (Spark has none): join on <= and keep the latest row with row_number()",
    "correlated_subquery": "no correlated subquery in a grouped SELECT: aggregate it in a CTE and join",
    "columns_lambda": "no COLUMNS(lambda ...): name the columns (or use the runner's placeholder)",
    "range": "generate_series, not range (sqlglot drops range's last value on Spark)",
    "series_in_from": "no generate_series as a table in FROM (Spark has no such table function): select "
                      "unnest(generate_series(...)) in a subquery",
    "unguarded_list": "list() over possibly empty input must be guarded: case when count(x) > 0 then list(x) end "
                      "(DuckDB gives NULL, Spark [])",
    "two_unnests": "never two unnests in one SELECT (DuckDB zips them, Spark cross-joins): unnest one "
                   "generate_series of positions and index the lists",
    "date_diff_month": "no date_diff('month', ...): months from year * 12 + month",
    "union_by_name": "no UNION BY NAME (Spark SQL has none): name the columns (or use the runner's placeholder)",
    "not_in_subquery": "no NOT IN (subquery): Spark runs it as a null-aware anti join that broadcasts the whole "
                       "subquery (at 10M leads it did not finish); write NOT EXISTS (select 1 ... where "
                       "key = t.key). Over stage_config it is allowed",
    "scalar_subquery": "no correlated subquery as a value (x < (select y ... where k = t.k)) unless it aggregates "
                       "(select max(y) ...): Spark 4 runs it as a single join, a nested loop over the whole "
                       "subquery (at 10M leads it did not finish); write EXISTS (select 1 ... where k = t.k and "
                       "...) or join. Over stage_config (the configured stages, a handful of rows) it is allowed",
    "order_not_total": "the final ORDER BY of a mart must include every column of its Key (ties sort "
                       "differently on each engine)",
}


def statements(text: str) -> list[str]:
    """The statements of a SQL file, comments out and the runner's placeholders filled."""
    code = _COMMENT.sub("", text)
    for placeholder, value in _PLACEHOLDERS.items():
        code = code.replace(placeholder, value)
    return [s for s in code.split(";") if s.strip()]


def _short(node: exp.Expression) -> str:
    sql = " ".join(node.sql(dialect="duckdb").split())
    return sql if len(sql) <= 90 else sql[:87] + "..."


def _defined_aliases(select: exp.Expression) -> set[str]:
    names = set()
    for table in select.find_all(exp.Table, exp.Subquery):
        if table.alias_or_name:
            names.add(table.alias_or_name)
    for cte in select.find_all(exp.CTE):
        names.add(cte.alias_or_name)
    return names


def _is_grouped(select: exp.Select) -> bool:
    if select.args.get("group"):
        return True
    return any(isinstance(n, exp.AggFunc) and n.find_ancestor(exp.Select) is select
               for p in select.expressions for n in p.find_all(exp.AggFunc))


def _correlated(select: exp.Select) -> list[exp.Expression]:
    found = []
    for projection in select.expressions:
        for sub in projection.find_all(exp.Subquery):
            inner = sub.this
            local = _defined_aliases(inner)
            if any(c.table and c.table not in local for c in inner.find_all(exp.Column)):
                found.append(sub)
    return found


SMALL_TABLES = frozenset({"stage_config"})  # config-sized: a nested loop over them costs nothing


def _reads_large_table(query: exp.Expression) -> bool:
    """The query reads a table other than the config-sized SMALL_TABLES."""
    return bool({t.name for t in query.find_all(exp.Table)} - SMALL_TABLES)


def _aggregated(select: exp.Select) -> bool:
    """An aggregate without GROUP BY: exactly one row."""
    return not select.args.get("group") and _is_grouped(select)


def _value_subqueries(tree: exp.Expression) -> list[exp.Expression]:
    """Correlated subqueries used as a value (not under EXISTS or IN), not an aggregate (one row: Spark joins
    it to its aggregate by key), that read a table not in SMALL_TABLES."""
    found = []
    for sub in tree.find_all(exp.Subquery):
        inner = sub.this
        if isinstance(sub.parent, (exp.Exists, exp.In)) or (isinstance(inner, exp.Select) and _aggregated(inner)):
            continue
        local = _defined_aliases(inner)
        if _reads_large_table(inner) and any(c.table and c.table not in local for c in inner.find_all(exp.Column)):
            found.append(sub)
    return found


def _guarded(node: exp.Expression) -> bool:
    """A list() inside a CASE whose condition counts something."""
    case = node.find_ancestor(exp.Case)
    while case is not None:
        if any(i.find(exp.Count) for i in case.args.get("ifs") or []):
            return True
        case = case.find_ancestor(exp.Case)
    return False


def _order_keys(tree: exp.Expression) -> set[str] | None:
    order = tree.args.get("order")
    if order is None:
        return None
    return {o.this.name for o in order.expressions if isinstance(o.this, exp.Column)}


def _in_from(node: exp.Expression) -> bool:
    """The node is a table source of a FROM or JOIN (not an expression of a SELECT list)."""
    parent = node.parent
    while parent is not None and not isinstance(parent, exp.Select):
        if isinstance(parent, (exp.From, exp.Join)):
            return True
        parent = parent.parent
    return False


def violations(text: str, key: tuple[str, ...] = ()) -> list[Violation]:
    """The forbidden constructs in a SQL file's text; `key` (a mart's Key line) must be in the final
    ORDER BY when the mart has one."""
    found: list[Violation] = []
    parsed = [sqlglot.parse_one(s, read="duckdb") for s in statements(text)]
    for tree in parsed:
        grouped: list[exp.Expression] = []  # correlated subqueries of grouped SELECTs (their own rule)
        for join in tree.find_all(exp.Join):
            if (join.args.get("method") or "").upper() == "ASOF":
                found.append(Violation("asof_join", _short(join)))
        for node in tree.find_all(exp.Columns):
            found.append(Violation("columns_lambda", _short(node)))
        for node in tree.find_all(exp.GenerateSeries):
            if node.args.get("is_end_exclusive"):
                found.append(Violation("range", _short(node)))
        for node in tree.find_all(exp.GenerateSeries):
            if _in_from(node):
                found.append(Violation("series_in_from", _short(node)))
        for node in tree.find_all(exp.Anonymous):
            if node.name.lower() == "range":
                found.append(Violation("range", _short(node)))
        for node in tree.find_all(exp.ArrayAgg):
            if not _guarded(node):
                found.append(Violation("unguarded_list", _short(node.parent if isinstance(node.parent, exp.Filter)
                                                                 else node)))
        for node in tree.find_all(exp.Union):
            if node.args.get("by_name"):
                found.append(Violation("union_by_name", _short(node)[:90]))
        for node in tree.find_all(exp.Not):
            query = node.this.args.get("query") if isinstance(node.this, exp.In) else None
            if query is not None and _reads_large_table(query):
                found.append(Violation("not_in_subquery", _short(node)))
        for node in tree.find_all(exp.DateDiff):
            unit = node.args.get("unit")
            if unit is not None and unit.name.lower().strip("'") in ("month", "months", "mon", "quarter", "year"):
                found.append(Violation("date_diff_month", _short(node)))
        for select in tree.find_all(exp.Select):
            unnests = [n for p in select.expressions for n in p.find_all(exp.Explode, exp.Unnest)]
            if len(unnests) > 1:
                found.append(Violation("two_unnests", _short(select)[:90]))
            if _is_grouped(select):
                grouped.extend(_correlated(select))
        found.extend(Violation("correlated_subquery", _short(s)) for s in grouped)
        found.extend(Violation("scalar_subquery", _short(s)) for s in _value_subqueries(tree)
                     if not any(s is g for g in grouped))
    if key and parsed:
        final = parsed[-1]
        if isinstance(final, exp.Create):
            final = final.expression
        ordered = _order_keys(final) if isinstance(final, exp.Query) else None
        if ordered is not None and not set(key) <= ordered:
            found.append(Violation("order_not_total", f"ORDER BY lacks {sorted(set(key) - ordered)}"))
    return found
