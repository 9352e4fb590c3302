"""Every file in queries/ is written in the portable subset (docs/engines.md): parsed with sqlglot, it
holds none of the constructs Spark lacks or sqlglot translates into something else. Each rule has a
tiny negative case, so the checker is known to catch what it names."""
from __future__ import annotations

from pathlib import Path

import pytest

from analytics.core.config import load_config
from analytics.core.schema import TABLES
from analytics.importers.load_table import TablePlan
from analytics.store import sql
from analytics.store.portable import RULES, violations

QUERIES = Path(__file__).resolve().parents[1] / "queries"
FILES = sorted(str(p.relative_to(QUERIES))[:-4] for p in QUERIES.rglob("*.sql"))


@pytest.mark.parametrize("name", FILES)
def test_every_query_file_is_portable(name):
    key = sql.header(name).key if name.startswith("marts/") else ()
    found = violations(sql.sql_text(name), key)
    assert not found, f"queries/{name}.sql: " + "; ".join(f"{v} ({RULES[v.rule]})" for v in found)


CAUGHT = {
    "asof_join": "select * from t asof join r on r.k = t.k and t.at >= r.at",
    "correlated_subquery": "select b.m, (select count(*) from o where o.at < b.e) as n, count(*) "
                           "from b group by b.m, b.e",
    "columns_lambda": "select columns(lambda c: c not in ('a')) from t",
    "range": "select unnest(range(0, 101, 5)) as x",
    "series_in_from": "select g.i from generate_series(1, 3) as g(i)",
    "unguarded_list": "select k, list(x) filter (where x is not null) as xs from t group by k",
    "two_unnests": "select unnest($a::varchar[]) as a, unnest($b::integer[]) as b",
    "date_diff_month": "select date_diff('month', a, b) as months from t",
    "union_by_name": "select * from t union all by name select null::varchar as x where false",
    "not_in_subquery": "select count(*) as n from leads where lead_id not in (select lead_id from stage_history)",
    "scalar_subquery": "select t._line from typed t where t.entered_at < "
                       "(select l.created_at from leads l where l.lead_id = t.lead_id)",
}


@pytest.mark.parametrize("rule", sorted(CAUGHT))
def test_the_checker_catches(rule):
    found = violations(CAUGHT[rule])
    assert [v.rule for v in found] == [rule], found


def test_the_checker_catches_an_order_by_that_is_not_total():
    found = violations("select a, b, count(*) as n from t group by a, b order by a", key=("a", "b"))
    assert [v.rule for v in found] == ["order_not_total"]
    assert "'b'" in str(found[0])


def test_the_portable_forms_pass():
    assert violations("select unnest(generate_series(0, 100, 5)) as x") == []
    assert violations("select k, case when count(x) > 0 then list(x) end as xs from t group by k") == []
    assert violations("select list_extract($a::varchar[], i) as a, list_extract($b::integer[], i) as b "
                      "from (select unnest(generate_series(1, len($a::varchar[]))) as i)") == []
    assert violations("select (year(b) * 12 + month(b)) - (year(a) * 12 + month(a)) as months from t") == []
    assert violations("select a, b from t order by a, b", key=("a", "b")) == []
    assert violations("select count(*) as n from leads as l where not exists "
                      "(select 1 from stage_history as h where h.lead_id = l.lead_id)") == []
    assert violations("select count(*) as n from t where k not in ('a', 'b')") == []
    assert violations("select t._line from typed t where exists (select 1 from leads as l "
                      "where l.lead_id = t.lead_id and l.created_at > t.entered_at)") == []
    assert violations("select coalesce((select c.stage from stage_config c where lower(c.stage) = lower(r.stage)), "
                      "r.stage) as stage from raw as r") == []  # stage_config: a handful of rows


@pytest.mark.parametrize("table", sorted(TABLES))
def test_the_import_checks_are_portable(table):
    """The import types and checks each table with the same statements on DuckDB and Spark (load_table.TablePlan):
    they keep to the subset too (a correlated subquery as a value made Spark's 10M-lead import run for hours)."""
    spec = TABLES[table]
    plan = TablePlan(spec, {c: "VARCHAR" for c in spec.columns}, load_config(None), f"{table}.csv")
    statements = [plan.typed_sql(f"raw_{table}"), plan.kept_sql(True)]
    statements += [plan.reject_sql(rule)[0] for rule in [*plan.column_rejects(), *plan.duplicate_rejects()]]
    for text in statements:
        found = violations(text)
        assert not found, f"{table}: " + "; ".join(f"{v} ({RULES[v.rule]})" for v in found)
