"""queries/ on Spark: the same SQL files, translated (docs/engines.md "The Spark engine").

The files are written in the portable subset of DuckDB SQL (analytics/store/portable.py). To run one on
Spark this module
1. inlines the DuckDB macros of queries/macros/ (Spark SQL has none): a scalar macro call becomes its
   body in parentheses, a table macro in FROM a subquery, each parameter replaced by the argument;
2. turns a struct parameter's fields (`$lead_filter.sources`) into parameters of their own
   (`:lead_filter__sources`), since Spark binds scalars and arrays;
3. applies REWRITES, the small table of places where sqlglot's duckdb -> spark translation would run
   but mean something else (each tied to a test in tests/test_spark_sql.py that fails without it);
4. generates Spark SQL with the pinned sqlglot.
Nothing here imports pyspark: the translation is checked on a laptop without Java.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cache, lru_cache

import sqlglot
from sqlglot import exp

from analytics.store.portable import statements
from analytics.store.sql import QUERY_DIR, quote, sql_text

_AS_TABLE = re.compile(r"\)\s+as\s+table\b", re.IGNORECASE)


@dataclass(frozen=True)
class Macro:
    name: str
    params: tuple[str, ...]
    body: exp.Expression
    is_table: bool


@cache
def macros() -> dict[str, Macro]:
    """Every macro of queries/macros/*.sql, by name."""
    found = {}
    for path in sorted((QUERY_DIR / "macros").glob("*.sql")):
        for text in statements(path.read_text(encoding="utf-8")):
            tree = sqlglot.parse_one(text, read="duckdb")
            if not (isinstance(tree, exp.Create) and str(tree.args.get("kind", "")).upper() == "MACRO"):
                raise ValueError(f"{path.name}: a macros file holds only `create macro` statements")
            udf = tree.this
            name = udf.this.name.lower()
            found[name] = Macro(name, tuple(i.name for i in udf.expressions), tree.expression,
                                bool(_AS_TABLE.search(text)))
    return found


def _substitute(macro: Macro, args: list[exp.Expression]) -> exp.Expression:
    if len(args) != len(macro.params):
        raise ValueError(f"macro {macro.name} takes {len(macro.params)} arguments, given {len(args)}")
    bound = dict(zip(macro.params, args))

    def put(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.Column) and not node.table and node.name in bound:
            arg = bound[node.name].copy()
            return arg if isinstance(arg, (exp.Column, exp.Placeholder, exp.Literal, exp.Dot)) else exp.paren(arg)
        if isinstance(node, exp.Column) and node.table in bound and not node.args.get("db"):
            return exp.Dot(this=bound[node.table].copy(), expression=exp.to_identifier(node.name))
        return node

    body = macro.body.copy().transform(put, copy=False)
    return _own_cte_names(body, macro.name) if macro.is_table else body


def _own_cte_names(body: exp.Expression, prefix: str) -> exp.Expression:
    """A table macro's CTEs renamed `<macro>__<cte>`: inlined into a query with a CTE of the same name
    (`final`), Spark refuses the duplicate where DuckDB scopes each."""
    with_ = body.args.get("with_") or body.args.get("with")
    if not with_:
        return body
    names = {cte.alias_or_name for cte in with_.expressions}
    for cte in with_.expressions:
        cte.set("alias", exp.TableAlias(this=exp.to_identifier(f"{prefix}__{cte.alias_or_name}")))
    for table in body.find_all(exp.Table):
        if table.name in names and not table.args.get("db") and isinstance(table.this, exp.Identifier):
            if not table.args.get("alias"):
                table.set("alias", exp.TableAlias(this=exp.to_identifier(table.name)))
            table.set("this", exp.to_identifier(f"{prefix}__{table.name}"))
    return body


def inline_macros(tree: exp.Expression) -> exp.Expression:
    """The tree with every macro call replaced by the macro's body (repeatedly: macros call macros)."""
    known = macros()

    def expand(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.Table) and isinstance(node.this, exp.Anonymous):
            macro = known.get(node.this.name.lower())
            if macro is None or not macro.is_table:
                return node
            body = _substitute(macro, list(node.this.expressions))
            alias = node.args.get("alias") or exp.TableAlias(this=exp.to_identifier(macro.name))
            return exp.Subquery(this=body, alias=alias.copy())
        if isinstance(node, exp.Anonymous):
            macro = known.get(node.name.lower())
            if macro is None or macro.is_table:
                return node
            body = _substitute(macro, list(node.expressions))
            return body if isinstance(body, (exp.Paren, exp.Subquery)) else exp.paren(body)
        return node

    def calls(node: exp.Expression) -> bool:
        return any((isinstance(n, exp.Anonymous) and n.name.lower() in known)
                   for n in node.find_all(exp.Anonymous))

    for _ in range(20):
        if not calls(tree):
            return tree
        tree = tree.transform(expand)
    raise ValueError("macros nest deeper than 20 levels (a macro calling itself?)")


def flatten_struct_params(tree: exp.Expression) -> exp.Expression:
    """`$p.field` -> `$p__field`: Spark binds each field of a struct parameter as a parameter of its own."""
    def flat(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.Dot) and isinstance(node.this, exp.Placeholder):
            return exp.Placeholder(this=f"{node.this.name}__{node.expression.name}")
        return node
    return tree.transform(flat)


# ---- the rewrite table (docs/engines.md): duckdb-dialect tree in, duckdb-dialect tree out, so that
# sqlglot's spark generator then writes SQL meaning what DuckDB computes.

def _timestamp_ltz(node: exp.Expression) -> exp.Expression:
    return exp.Cast(this=node, to=exp.DataType.build("timestamp_ltz", dialect="spark"))


def _seconds(node: exp.Expression) -> exp.Expression:
    return exp.Div(this=exp.Anonymous(this="UNIX_MICROS", expressions=[_timestamp_ltz(node)]),
                   expression=exp.Literal.number("1e6"))


def rewrite_epoch(node: exp.Expression) -> exp.Expression:
    """epoch(t): sqlglot writes UNIX_TIMESTAMP(t), whole seconds; DuckDB keeps the fraction."""
    if isinstance(node, exp.TimeToUnix):
        return exp.paren(_seconds(node.this))
    if isinstance(node, exp.Anonymous) and node.name.lower() == "epoch_us":
        return exp.Anonymous(this="UNIX_MICROS", expressions=[_timestamp_ltz(node.expressions[0])])
    return node


def rewrite_decimal_literal(node: exp.Expression) -> exp.Expression:
    """86400.0: a DECIMAL on both, but Spark keeps DECIMAL arithmetic (rounded to its scale) where
    DuckDB divides in DOUBLE; a literal with a fraction is a DOUBLE."""
    if isinstance(node, exp.Literal) and not node.is_string and "." in node.this:
        if isinstance(node.parent, exp.Cast):
            return node
        return exp.Cast(this=node.copy(), to=exp.DataType.build("double"))
    return node


def rewrite_series(node: exp.Expression) -> exp.Expression:
    """generate_series(a, b): empty when a > b on DuckDB; Spark's SEQUENCE counts down (or fails)."""
    if isinstance(node, exp.GenerateSeries):
        start, end = node.args["start"], node.args["end"]
        return exp.Case(ifs=[exp.If(this=exp.LTE(this=start.copy(), expression=end.copy()), true=node.copy())])
    return node


def rewrite_local_time(node: exp.Expression) -> exp.Expression:
    """timezone(zone, timezone('UTC', t)): the wall clock in `zone` of the UTC time t, a naive timestamp;
    sqlglot leaves TIMEZONE(), which Spark does not have."""
    if isinstance(node, exp.Anonymous) and node.name.lower() == "timezone" and len(node.expressions) == 2:
        zone, inner = node.expressions
        if (isinstance(inner, exp.Anonymous) and inner.name.lower() == "timezone"
                and inner.expressions[0].is_string and inner.expressions[0].name.upper() == "UTC"):
            local = exp.Anonymous(this="FROM_UTC_TIMESTAMP", expressions=[inner.expressions[1].copy(), zone.copy()])
            return exp.Cast(this=local, to=exp.DataType.build("timestamp_ntz", dialect="spark"))
    return node  # the inner timezone('UTC', t) (its parent takes it), or a form Spark will refuse by name


def rewrite_lists(node: exp.Expression) -> exp.Expression:
    """len(list) -> SIZE (sqlglot writes LENGTH, a string function on Spark); list_extract -> ELEMENT_AT
    (1-based on both; an index 0 or past the end is NULL on DuckDB, so guarded); list_position -> its
    position or NULL (Spark's ARRAY_POSITION gives 0 when absent)."""
    if isinstance(node, exp.Length):
        return exp.ArraySize(this=node.this)
    if isinstance(node, exp.Anonymous) and node.name.lower() == "list_extract":
        arr, i = node.expressions
        return exp.Anonymous(this="TRY_ELEMENT_AT", expressions=[arr, exp.Cast(this=i, to=exp.DataType.build("int"))])
    if isinstance(node, exp.Anonymous) and node.name.lower() == "list_position":
        arr, value = node.expressions
        return exp.Nullif(this=exp.Anonymous(this="ARRAY_POSITION", expressions=[arr, value]),
                          expression=exp.Literal.number(0))
    return node


def rewrite_ordered_list(node: exp.Expression) -> exp.Expression:
    """list(x order by a, b): sqlglot writes COLLECT_LIST(x) and drops the order (and Spark drops NULL
    elements, DuckDB keeps them); the sorted list of (a, b, x) structs, then x, keeps both."""
    if not (isinstance(node, exp.ArrayAgg) and isinstance(node.this, exp.Order)):
        return node
    keys = node.this.expressions
    if any(k.args.get("desc") for k in keys):
        raise ValueError(f"list(... order by ... desc) has no Spark rewrite: {node.sql(dialect='duckdb')}")
    fields = [f"'k{i}', {k.this.sql(dialect='spark')}" for i, k in enumerate(keys)]
    value = node.this.this.sql(dialect="spark")
    return sqlglot.parse_one(f"TRANSFORM(ARRAY_SORT(COLLECT_LIST(NAMED_STRUCT({', '.join(fields)}, 'v', {value}))), "
                             f"e -> e.v)", read="spark")


def rewrite_intervals(node: exp.Expression) -> exp.Expression:
    """to_days(n), to_months(n): DuckDB's interval constructors; Spark's make_dt/ym_interval."""
    if isinstance(node, exp.ToDays):
        return exp.Anonymous(this="MAKE_DT_INTERVAL", expressions=[node.this])
    if isinstance(node, exp.Anonymous) and node.name.lower() == "to_months":
        return exp.Anonymous(this="MAKE_YM_INTERVAL", expressions=[exp.Literal.number(0), node.expressions[0]])
    return node


def rewrite_generator_cast(node: exp.Expression) -> exp.Expression:
    """unnest(list)::T: Spark refuses a generator inside an expression; the list is cast instead."""
    if isinstance(node, exp.Cast) and isinstance(node.this, exp.Explode):
        element = node.args["to"]
        array = exp.DataType(this=exp.DataType.Type.ARRAY, expressions=[element.copy()], nested=True)
        return exp.Explode(this=exp.Cast(this=node.this.this, to=array))
    return node


def rewrite_quantile(node: exp.Expression) -> exp.Expression:
    """quantile_cont(x, p): sqlglot writes PERCENTILE_CONT(x, p), which Spark reads as an ordered-set
    aggregate of p; PERCENTILE(x, p) interpolates the same way."""
    if isinstance(node, exp.PercentileCont) and node.args.get("expression") is not None:
        return exp.Anonymous(this="PERCENTILE", expressions=[node.this, node.expression])
    return node


def _is_instant(node: exp.Expression) -> bool:
    """A DuckDB TIMESTAMPTZ: now(), or an expression casting to timestamptz (the import's parse_ts)."""
    if isinstance(node, exp.CurrentTimestamp) or (isinstance(node, exp.Anonymous) and node.name.lower() == "now"):
        return True
    return any(isinstance(c, (exp.Cast, exp.TryCast)) and c.to.this == exp.DataType.Type.TIMESTAMPTZ
               for c in node.find_all(exp.Cast, exp.TryCast))


def rewrite_utc_wall_clock(node: exp.Expression) -> exp.Expression:
    """instant at time zone 'UTC': DuckDB's UTC wall clock of a TIMESTAMPTZ (the import's parse_ts: an ISO
    time with an offset, or naive in the session zone, the configured `timezone`). sqlglot writes the cast
    as TIMESTAMP (TIMESTAMP_NTZ in the engine's session: the offset and the zone ignored) and
    FROM_UTC_TIMESTAMP(x, 'UTC'); rewritten to the instant's microseconds (a TIMESTAMP_LTZ, read in the
    session zone) added to 1970-01-01 as a TIMESTAMP_NTZ, whatever the session zone."""
    if not (isinstance(node, exp.AtTimeZone) and node.args.get("zone") is not None
            and node.args["zone"].is_string and node.args["zone"].name.upper() == "UTC" and _is_instant(node.this)):
        return node
    instant = node.this.copy()
    for cast in instant.find_all(exp.Cast, exp.TryCast):
        if cast.to.this == exp.DataType.Type.TIMESTAMPTZ:
            cast.set("to", exp.DataType.build("timestamp_ltz", dialect="spark"))
    micros = exp.Anonymous(this="UNIX_MICROS", expressions=[_timestamp_ltz(instant)])
    epoch = exp.Cast(this=exp.Literal.string("1970-01-01 00:00:00"),
                     to=exp.DataType.build("timestamp_ntz", dialect="spark"))
    return exp.Anonymous(this="TIMESTAMPADD", expressions=[exp.var("MICROSECOND"), micros, epoch])


def rewrite_full_match(node: exp.Expression) -> exp.Expression:
    """regexp_full_match(s, p): the whole of s matches p on DuckDB; sqlglot leaves REGEXP_FULL_MATCH,
    which Spark does not have (and its RLIKE matches anywhere in s): RLIKE with p anchored."""
    if isinstance(node, exp.RegexpFullMatch):
        text, pattern = node.this, node.expression
        anchored = (exp.Literal.string(f"^(?:{pattern.name})$") if pattern.is_string else
                    exp.Concat(expressions=[exp.Literal.string("^(?:"), pattern.copy(), exp.Literal.string(")$")]))
        return exp.RegexpLike(this=text.copy(), expression=anchored)
    return node


def rewrite_rank_type(node: exp.Expression) -> exp.Expression:
    """row_number(), rank(), dense_rank(): BIGINT on DuckDB, INT on Spark (a position plus a large number
    overflows on Spark; a warehouse column's type differs from the DuckDB build's): cast to BIGINT."""
    if (isinstance(node, exp.Window) and isinstance(node.this, (exp.RowNumber, exp.Rank, exp.DenseRank))
            and not isinstance(node.parent, exp.Cast)):
        return exp.Cast(this=node.copy(), to=exp.DataType.build("bigint"))
    return node


_JAVA_FIELDS = {"Y": "yyyy", "y": "yy", "m": "M", "d": "d", "H": "H", "I": "h", "M": "m", "S": "s",
                "f": "SSSSSS", "p": "a", "b": "MMM", "B": "MMMM", "a": "EEE", "A": "EEEE", "j": "D"}
_PLAIN = set(" /-:.,")


def java_pattern(fmt: str) -> str:
    """A strptime format (%d/%m/%Y %H:%M) as Spark's datetime pattern (d/M/yyyy H:m). A number field between
    separators takes one letter (1 or 2 digits, as strptime reads them), beside another field its full
    width (yyyyMMdd: fixed widths, as adjacent fields need); other text is quoted."""
    out, text, i = [], [], 0

    def flush() -> None:
        if text:
            literal = "".join(text)
            out.append(literal if set(literal) <= _PLAIN else "'" + literal.replace("'", "''") + "'")
            text.clear()

    while i < len(fmt):
        if fmt[i] == "%" and i + 1 < len(fmt):
            code = fmt[i + 1]
            if code == "%":
                text.append("%")
            elif code in _JAVA_FIELDS:
                flush()
                field = _JAVA_FIELDS[code]
                adjacent = fmt[i + 2:i + 3] == "%" or (i >= 2 and fmt[i - 2] == "%" and fmt[i - 1] != "%")
                if adjacent and len(field) == 1 and code in "mdHIMS":
                    field *= 2
                out.append(field)
            else:
                raise ValueError(f"strptime format %{code} has no Spark pattern: {fmt}")
            i += 2
        else:
            text.append(fmt[i])
            i += 1
    flush()
    return "".join(out)


def rewrite_strptime(node: exp.Expression) -> exp.Expression:
    """try_strptime(v, [f1, f2]): the first format that reads v (the import's timestamp_formats); sqlglot
    leaves TRY_STRPTIME, which Spark does not have: COALESCE(TRY_TO_TIMESTAMP(v, p1), ...) with each format
    as Spark's pattern."""
    if not (isinstance(node, exp.Anonymous) and node.name.lower() == "try_strptime" and len(node.expressions) == 2):
        return node
    value, formats = node.expressions
    listed = formats.expressions if isinstance(formats, exp.Array) else [formats]
    if not all(f.is_string for f in listed):
        raise ValueError(f"try_strptime with formats that are not literals has no Spark rewrite: {node.sql()}")
    tries = [exp.Anonymous(this="TRY_TO_TIMESTAMP",
                           expressions=[value.copy(), exp.Literal.string(java_pattern(f.name))]) for f in listed]
    return tries[0] if len(tries) == 1 else exp.Coalesce(this=tries[0], expressions=tries[1:])


@dataclass(frozen=True)
class Rewrite:
    name: str
    apply: Callable[[exp.Expression], exp.Expression]
    why: str


REWRITES = (
    Rewrite("epoch", rewrite_epoch, "epoch() keeps fractional seconds (UNIX_TIMESTAMP drops them)"),
    Rewrite("decimal_literal", rewrite_decimal_literal, "x / 86400.0 divides in DOUBLE (Spark keeps DECIMAL)"),
    Rewrite("series", rewrite_series, "generate_series(a, b) with a > b is empty (SEQUENCE counts down)"),
    Rewrite("local_time", rewrite_local_time, "timezone(z, timezone('UTC', t)) -> FROM_UTC_TIMESTAMP"),
    Rewrite("lists", rewrite_lists, "len -> SIZE; list_extract / list_position NULL when absent"),
    Rewrite("ordered_list", rewrite_ordered_list, "list(x order by a) keeps its order (COLLECT_LIST has none)"),
    Rewrite("intervals", rewrite_intervals, "to_days / to_months -> MAKE_DT_INTERVAL / MAKE_YM_INTERVAL"),
    Rewrite("quantile", rewrite_quantile, "quantile_cont(x, p) -> PERCENTILE(x, p)"),
    Rewrite("generator_cast", rewrite_generator_cast, "unnest(list)::T -> explode(list::T[])"),
    Rewrite("utc_wall_clock", rewrite_utc_wall_clock,
            "timestamptz at time zone 'UTC' -> the instant's UTC wall clock (TIMESTAMP_NTZ)"),
    Rewrite("rank_type", rewrite_rank_type, "row_number() / rank() / dense_rank() -> BIGINT, as on DuckDB"),
    Rewrite("strptime", rewrite_strptime, "try_strptime(v, [formats]) -> COALESCE(TRY_TO_TIMESTAMP(v, pattern), ...)"),
    Rewrite("full_match", rewrite_full_match, "regexp_full_match(s, p) -> s RLIKE '^(?:p)$'"),
)


def _each_node(tree: exp.Expression, fn: Callable[[exp.Expression], exp.Expression]) -> exp.Expression:
    """fn applied to every node once, children before their parent (so a rewritten parent keeps its
    rewritten children, and nothing is rewritten twice)."""
    for node in reversed(list(tree.dfs())):
        new = fn(node)
        if new is not node:
            if node is tree:
                tree = new
            else:
                node.replace(new)
    return tree


@lru_cache(maxsize=512)
def to_spark(text: str, skip: frozenset[str] = frozenset()) -> str:
    """One portable DuckDB statement as Spark SQL (`skip`: rewrites to leave out, for the tests that
    show each one is needed)."""
    tree = sqlglot.parse_one(text, read="duckdb")
    tree = flatten_struct_params(inline_macros(tree))
    for rewrite in REWRITES:
        if rewrite.name not in skip:
            tree = _each_node(tree, rewrite.apply)
    return tree.sql(dialect="spark")


def spark_params(params: dict) -> dict:
    """Parameters as Spark binds them: a struct's fields as parameters of their own (`p__field`), times
    as UTC instants (a naive datetime would be read in the Python process's zone), tuples as lists."""
    out = {}
    for name, value in params.items():
        if isinstance(value, dict):
            for field, v in value.items():
                out[f"{name}__{field}"] = _value(v)
        else:
            out[name] = _value(value)
    return out


def _value(value):
    if isinstance(value, datetime):
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value
    if isinstance(value, (tuple, list)):
        return [_value(v) for v in value]
    if isinstance(value, date):
        return value
    return value


def used_params(spark_text: str) -> set[str]:
    return set(re.findall(r":([a-z_][a-z0-9_]*)", re.sub(r"'[^']*'", "", spark_text)))


__all__ = ["REWRITES", "inline_macros", "macros", "quote", "sql_text", "spark_params", "to_spark", "used_params"]
