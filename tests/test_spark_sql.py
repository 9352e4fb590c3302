"""The Spark translation without Spark (no Java needed): every queries/ file translates, no macro
call or DuckDB-only function is left, struct parameters become parameters of their own, inlined
CTE names cannot clash. What the translation *means* is checked on Spark by
tests/test_spark_equivalence.py."""
from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from analytics.store import sql
from analytics.store.portable import statements
from analytics.store.spark_sql import macros, spark_params, to_spark, used_params

QUERIES = Path(__file__).resolve().parents[1] / "queries"
RUN = sorted(str(p.relative_to(QUERIES))[:-4] for p in QUERIES.glob("*/*.sql") if p.parent.name in ("marts",))
SCRIPTS = ["derived/lead_stages", "derived/handoffs", "derived/opportunity_touches", "derived/source_labels"]
DUCKDB_ONLY = re.compile(r"\b(LIST_[A-Z_]+|EPOCH(_US)?|TO_DAYS|TO_MONTHS|TIMEZONE|UNIX_TIMESTAMP|GENERATE_SERIES|"
                         r"RANGE|PERCENTILE_CONT|ASOF|COLUMNS)\s*\(", re.IGNORECASE)


def _translated(name: str) -> list[str]:
    text = sql.query_text(name, "source").replace("{person_columns}", "l.*")
    return [to_spark(s) for s in statements(sql.script_text(name, ["lead_id", "source"]) if name in SCRIPTS
                                              else text)]


@pytest.mark.parametrize("name", RUN + SCRIPTS)
def test_every_file_translates_to_spark_sql(name):
    for spark_text in _translated(name):
        left = {m.lower() for m in re.findall(r"\b([a-z_]+)\s*\(", spark_text, re.IGNORECASE)} & set(macros())
        assert not left, f"{name}: macro calls left: {left}"
        assert not DUCKDB_ONLY.search(spark_text), f"{name}: {DUCKDB_ONLY.search(spark_text).group(0)}"
        assert "$" not in spark_text
        ctes = re.findall(r"(?:WITH|,)\s+(\w+) AS \(", spark_text)
        assert len(ctes) == len(set(ctes)), f"{name}: CTE names repeat: {sorted(ctes)}"


def test_every_macro_is_read():
    assert {"filtered_leads", "lead_in_scope", "sla_status", "stage_at", "content_touch_stages"} <= set(macros())
    assert macros()["filtered_leads"].is_table and not macros()["in_period"].is_table


def test_struct_parameters_become_parameters_of_their_own():
    text = to_spark("select * from filtered_leads($lead_filter) as l")
    assert used_params(text) == {"lead_filter__sources", "lead_filter__regions", "lead_filter__industries",
                                 "lead_filter__owners"}
    bound = spark_params({"lead_filter": {"sources": ("Web",), "regions": []}, "as_of": datetime(2026, 1, 2, 3),
                          "start": date(2026, 1, 1)})
    assert bound == {"lead_filter__sources": ["Web"], "lead_filter__regions": [],
                     "as_of": datetime(2026, 1, 2, 3, tzinfo=UTC), "start": date(2026, 1, 1)}


def test_a_macro_argument_replaces_the_parameter_not_a_column_of_the_same_table():
    text = to_spark("select * from stage_entries('mql', $as_of, null, null, $lead_filter) as e")
    assert "s.stage = 'mql'" in text and ":as_of" in text


def test_skipping_a_rewrite_leaves_duckdbs_form():
    assert "UNIX_TIMESTAMP" in to_spark("select epoch(t) from x", skip=frozenset({"epoch"}))
    assert "UNIX_MICROS" in to_spark("select epoch(t) from x")
