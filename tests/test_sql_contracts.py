"""The contracts of queries/: every SQL file's header (purpose, grain, key for a mart, parameters), the
runner's check of those parameters against the body and the caller, every mart's key unique on the
sample and on the golden example, and no fan-out where one row per opportunity / hand-off is promised."""
from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import polars as pl
import pytest

from analytics.core.stalled import stalled_params
from analytics.engine.base import NO_FILTERS, query_params
from analytics.engine.revenue import STAGE_METRICS
from analytics.engine.weekly import Week
from analytics.store import sql
from analytics.store.db import Store

QUERIES = sql.QUERY_DIR
SQL_FILES = sorted(str(p.relative_to(QUERIES).with_suffix("")) for p in QUERIES.rglob("*.sql"))
MARTS = [name for name in SQL_FILES if name.startswith("marts/")]


@pytest.fixture(params=["sample", "golden"])
def store(request) -> Store:
    return request.getfixturevalue(f"{request.param}_store")


def default_params(store: Store, mart: str) -> dict:
    """The parameters the engine passes a mart when a page asks with no filter at the data's as-of."""
    cfg = store.cfg
    stages = cfg.main_stages
    as_of = store.default_as_of
    week = Week.of(as_of.date())
    sla = {"follow_up_hours": cfg.follow_up_hours, "decision_hours": cfg.decision_hours,
           "recycle_days": cfg.recycle_days}
    target_stages = {"stage_metrics": list(STAGE_METRICS),
                     "stage_names": [stages[0], cfg.handoff_stage, cfg.accepted_stage, cfg.qualified_stage,
                                     cfg.opportunity_stage]}
    weeks = {"tz": cfg.timezone, "from_week": week.shift(-12).monday, "to_week": week.monday}
    extras = {
        "attribution": {"model": "linear", "basis": "won"},
        "attribution_paths": {"basis": "won", "grain": "lead"},
        "breaches": sla,
        "campaigns": {"handoff_stage": cfg.handoff_stage, "qualified_stage": cfg.qualified_stage,
                      "opportunity_stage": cfg.opportunity_stage},
        "cohort_matrix": {"target_stage": cfg.qualified_stage},
        "conversion": {"from_stage": stages[0], "to_stage": stages[1], "window_days": None},
        "conversion_trend": {"from_stage": cfg.handoff_stage, "to_stage": cfg.qualified_stage, "window_days": None,
                             "grain": "month"},
        "conversion_months": {"from_stage": cfg.handoff_stage, "to_stage": cfg.qualified_stage},
        "cycle": {"won_stage": cfg.won_stage},
        "deals": {"follow_up_hours": cfg.follow_up_hours},
        "drill_cohort": {"month": (as_of - timedelta(days=150)).date().replace(day=1),
                         "target_stage": cfg.qualified_stage},
        "drill_conversion": {"from_stage": cfg.handoff_stage, "to_stage": cfg.qualified_stage, "window_days": None,
                             "by_value": "all", "grain": "month", "period_start": None},
        "drill_attribution": {"basis": "won", "by_value": "all"},
        "drill_handoffs": {"by_value": "all"},
        "drill_recycling": {"by_value": "all"},
        "drill_sla": {**sla, "measure": "follow_up", "by_value": "all"},
        "drill_stays": {"stage": cfg.handoff_stage},
        "drill_targets": {**target_stages, **first_target(store)},
        "drill_content": {"content_id": first(store, "content_id", "touches"), "stages": list(stages)},
        "drill_deals": {"measure": "pipeline_amount", "from_at": as_of - timedelta(days=90), "to_at": as_of},
        "drill_entries": {"stage": stages[1], "to_stage": stages[2], "window_days": None,
                          "from_at": as_of - timedelta(days=90), "to_at": as_of},
        "flow": {"grain": "week"},
        "forecast_deals": {"from_at": as_of - timedelta(days=60)},
        "forecast_new_deals": {"horizons": [30, 91]},
        "forecast_targets": {"from_at": as_of - timedelta(days=60), "to_at": as_of + timedelta(days=30)},
        "forecast_training": {"horizons": [30, 91]},
        "kpis": {"start": (as_of - timedelta(days=90)).date(), "end": as_of.date()},
        "lead_search": {"q": "a", "limit": 50},
        "pipeline_movement": {"grain": "week", "start": (as_of - timedelta(days=84)).date(), "end": as_of.date()},
        "pipeline_waterfall": {"grain": "week", "start": (as_of - timedelta(days=84)).date(), "end": as_of.date()},
        "lead_journey": {"lead_id": first(store, "lead_id", "leads"), "account_id": None},
        "sla": {**sla, "measure": "follow_up"},
        "sla_leads": sla,
        "stalled": stalled_params(cfg, NO_FILTERS, as_of),
        "strategy_deals": {"from_at": as_of - timedelta(days=730)},
        "strategy_paths": {"from_at": as_of - timedelta(days=730), "new_months": cfg.new_months},
        "target_actuals": target_stages,
        "threshold": {"score_min": cfg.score_min, "score_max": cfg.score_max, "step": 5},
        "weekly_conversion": {**weeks, "window_stages": list(stages[:-1]), "window_days": [30] * (len(stages) - 1)},
        "weekly_counts": weeks,
    }
    params = {**query_params(store, NO_FILTERS, None), **extras.get(mart.removeprefix("marts/"), {})}
    return {k: v for k, v in params.items() if k in sql.header(mart).parameters}


def first_target(store: Store) -> dict:
    """The key of the sample's first won-amount target row (any target row on the golden example)."""
    rows = store.con.cursor().sql("select period_start, period_end, metric, team, segment from targets "
                                  "order by metric <> 'won_amount', period_start, team nulls first").fetchall()
    keys = ("period_start", "period_end", "metric", "team", "segment")
    return dict(zip(keys, rows[0] if rows else (None,) * 5, strict=True))


def first(store: Store, column: str, table: str) -> str:
    return store.con.execute(f"select min({column}) from {table}").fetchall()[0][0]


@pytest.mark.parametrize("name", SQL_FILES)
def test_every_sql_file_states_purpose_grain_and_parameters(name):
    header = sql.header(name)  # raises when the Parameters line and the body disagree
    for field in ("Purpose", "Grain", "Parameters"):
        assert header.fields.get(field), f"queries/{name}.sql has no {field}: line"
    if name.startswith("marts/"):
        assert header.fields.get("Key"), f"queries/{name}.sql has no Key: line"


@pytest.mark.parametrize("mart", MARTS)
def test_every_mart_key_is_unique(store, mart):
    frame = sql.run(store.con, mart, default_params(store, mart))
    key = list(sql.header(mart).key)
    if not key:
        if "one row" in sql.header(mart).fields["Key"]:
            assert frame.height == 1
        return
    assert set(key) <= set(frame.columns), f"{mart}: key {key} not among {frame.columns}"
    duplicated = frame.filter(frame.select(key).is_duplicated())
    assert duplicated.height == 0, f"{mart}: key {key} repeats:\n{duplicated.head()}"


def test_deals_are_one_row_per_opportunity(store):
    as_of = store.default_as_of
    deals = sql.run(store.con, "marts/deals", default_params(store, "marts/deals"))
    opportunities = store.con.execute("select count(*) from opportunities where created_at <= ?",
                                      [as_of]).fetchall()[0][0]
    facts = store.con.execute("select count(*), count(distinct opportunity_id) from deal_facts").fetchall()[0]
    everything = store.con.execute("select count(*) from opportunities").fetchall()[0][0]
    assert deals.height == deals["opportunity_id"].n_unique() == opportunities
    assert facts == (everything, everything)


def test_sla_rows_are_one_per_handoff(store):
    leads = sql.run(store.con, "marts/sla_leads", default_params(store, "marts/sla_leads"))
    handoffs = store.con.execute("select count(*) from handoffs where handoff_at <= ?",
                                 [store.default_as_of]).fetchall()[0][0]
    assert leads.height == leads["lead_id"].n_unique() == handoffs


def test_a_header_that_does_not_match_its_body_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(sql, "QUERY_DIR", tmp_path)
    (tmp_path / "marts").mkdir()
    (tmp_path / "marts/odd.sql").write_text(
        "-- Purpose: a test.\n-- Grain: one row.\n-- Key: none (one row).\n-- Parameters: $as_of, $won_stage.\n"
        "select $as_of as as_of\n")
    sql.sql_text.cache_clear()
    sql.header.cache_clear()
    try:
        with pytest.raises(sql.QueryContractError, match=r"declared but unused \['won_stage'\]"):
            sql.header("marts/odd")
    finally:
        sql.sql_text.cache_clear()
        sql.header.cache_clear()


def test_a_call_that_does_not_match_the_header_is_refused(golden_store):
    params = default_params(golden_store, "marts/threshold")
    with pytest.raises(sql.QueryContractError, match=r"needs parameters \['step'\]"):
        sql.run(golden_store.con, "marts/threshold", {k: v for k, v in params.items() if k != "step"})
    with pytest.raises(sql.QueryContractError, match=r"does not declare parameters \['won_stage'\]"):
        sql.run(golden_store.con, "marts/threshold", {**params, "won_stage": "won"})
    # the shared context (lead filter, period, as-of, currency) is offered: a mart takes what it declares
    frame = sql.run(golden_store.con, "marts/threshold", {**params, "currency": "USD"})
    assert isinstance(frame, pl.DataFrame)


def _statements(name: str) -> list[str]:
    code = "\n".join(line.split("--")[0] for line in sql.sql_text(name).splitlines())
    return [" ".join(s.split()).lower() for s in code.split(";") if s.strip()]


def test_queries_are_layered():
    """macros/ holds only macros, derived/ the tables built at import (a script-local temp macro at most),
    marts/ one select each."""
    assert {Path(n).parts[0] for n in SQL_FILES} == {"macros", "derived", "marts"}
    for name in SQL_FILES:
        statements = _statements(name)
        layer = Path(name).parts[0]
        if layer == "macros":
            assert all(s.startswith("create macro") for s in statements), name
        elif layer == "derived":
            assert not any(s.startswith("create macro") for s in statements), name
        else:
            assert len(statements) == 1 and statements[0].startswith(("with", "select")), name
