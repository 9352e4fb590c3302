"""The UI's one caching rule (analytics.ui.calls.cached): an engine function's result is computed once
per data version and arguments, keyed by the function itself (module and qualified name), and is the
engine's own result; the store is passed as the first argument."""
from __future__ import annotations

import polars as pl
from polars.testing import assert_frame_equal

from analytics.core.filters import Filters
from analytics.engine import handoff, health, metrics
from analytics.store.db import open_store
from analytics.ui import calls, lookups
from analytics.views import tiles


def test_a_cached_call_is_the_engine_result_and_is_computed_once(monkeypatch, golden_db):
    monkeypatch.setenv("CLOSED_LOOP_DB", str(golden_db))
    first = calls.cached(metrics.funnel, filters=Filters())
    assert calls.cached(metrics.funnel, filters=Filters()) is first  # shared, not recomputed
    assert calls.cached(metrics.funnel, filters=Filters(sources=("Webinar",))) is not first
    store = open_store(golden_db)
    try:
        assert_frame_equal(first, metrics.funnel(store, filters=Filters()))
        assert calls.cached(health.last_lead_at) == health.last_lead_at(store)
        assert_frame_equal(calls.cached(handoff.quality, by="source", filters=Filters()),
                           handoff.quality(store, by="source", filters=Filters()))
    finally:
        store.close()


def _leads(store) -> int:
    cur = store.con.cursor()
    try:
        return cur.sql("select count(*) from leads").fetchall()[0][0]
    finally:
        cur.close()


def _elsewhere(store) -> int:
    return -1


_elsewhere.__qualname__ = _leads.__qualname__  # the same name as _leads, in another module
_elsewhere.__module__ = "tests.elsewhere"


def test_functions_of_the_same_name_in_two_modules_do_not_share_a_result(monkeypatch, golden_db):
    monkeypatch.setenv("CLOSED_LOOP_DB", str(golden_db))
    assert calls.cached(_leads) == 10  # the golden ten
    assert calls.cached(_elsewhere) == -1


def test_the_stalled_list_puts_the_owner_first_and_keeps_only_the_stages_asked_for(monkeypatch, golden_db):
    monkeypatch.setenv("CLOSED_LOOP_DB", str(golden_db))
    everywhere = calls.stalled(Filters())
    assert everywhere.columns[0] in ("owner_name", "owner_id")
    picked = calls.stalled(Filters(), ("sql",))
    assert set(picked["stage"]) <= {"sql"}
    assert picked.height == everywhere.filter(pl.col("stage") == "sql").height
    assert lookups.tables_present() >= {"leads"}


def test_shown_columns_read_as_their_names_say():
    formats = {name: tiles.column_format(name, dtype) for name, dtype in (
        ("rate", pl.Float64), ("acceptance_rate", pl.Float64), ("share", pl.Float64), ("ci_low", pl.Float64),
        ("p_value", pl.Float64), ("hours_late", pl.Float64), ("is_low_volume", pl.Boolean),
        ("is_unusual", pl.Boolean), ("stage_order", pl.Int64), ("days_in_stage", pl.Float64),
        ("entered_at", pl.Datetime), ("due_date", pl.Date), ("leads", pl.Int64), ("source", pl.String))}
    assert formats == {"rate": "rate", "acceptance_rate": "rate", "share": "percent", "ci_low": "percent",
                       "p_value": "p_value", "hours_late": "one_decimal", "is_low_volume": "low_volume",
                       "is_unusual": "flag", "stage_order": None, "days_in_stage": "one_decimal",
                       "entered_at": "datetime", "due_date": "date", "leads": "number", "source": "text"}
