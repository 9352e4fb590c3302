"""An export without deal history: each import keeps its open deals in the side database, so pipeline
movement shows pushes, amount and stage changes from the second import on (docs/metrics.md "Pipeline
movement")."""
from __future__ import annotations

from datetime import date, datetime

from analytics.core.config import load_config
from analytics.core.filters import Filters
from analytics.engine import pipeline
from analytics.importers.load import import_folder
from analytics.store.db import open_store
from analytics.store.meetings import MeetingStore
from tests.conftest import write_export

LEADS = """
lead_id,created_at
L1,2026-01-01 09:00:00
L2,{second}
"""
HISTORY = """
lead_id,stage,entered_at
L1,lead,2026-01-01 09:00:00
"""
FIRST = """
opportunity_id,lead_id,created_at,closed_at,status,amount,expected_close_at
O1,L1,2026-02-01 10:00:00,,open,100,2026-03-20
O2,L1,2026-02-02 10:00:00,,open,200,2026-03-25
O3,L1,2026-02-03 10:00:00,,open,300,2026-03-10
"""
# a week later: O1 grew to 150, O2 pushed to April, O3 won
SECOND = """
opportunity_id,lead_id,created_at,closed_at,status,amount,expected_close_at
O1,L1,2026-02-01 10:00:00,,open,150,2026-03-20
O2,L1,2026-02-02 10:00:00,,open,200,2026-04-15
O3,L1,2026-02-03 10:00:00,2026-03-04 12:00:00,won,300,
"""


def _import(folder, tables, memory, db):
    write_export(folder, tables)
    said = []
    import_folder(folder, db, load_config(), say=said.append, pipeline_memory=memory)
    return open_store(db), said


def test_movement_appears_from_the_second_import(tmp_path):
    memory = MeetingStore(tmp_path / "meetings.duckdb")
    first, said = _import(tmp_path / "one", {"leads": LEADS.format(second="2026-03-01 08:00:00"),
                                              "stage_history": HISTORY, "opportunities": FIRST},
                          memory, tmp_path / "one.duckdb")
    try:
        assert any("from the next import on" in s for s in said)
        assert first.con.execute("select kind from history_source").fetchall() == [("none",)]
    finally:
        first.close()
    second, said = _import(tmp_path / "two", {"leads": LEADS.format(second="2026-03-08 08:00:00"),
                                               "stage_history": HISTORY, "opportunities": SECOND},
                           memory, tmp_path / "two.duckdb")
    try:
        assert any("from 1 earlier import(s)" in s for s in said)
        assert second.con.execute("select kind, snapshots from history_source").fetchall() == [("snapshots", 1)]
        week = pipeline.pipeline_movement(second, "week", Filters(start=date(2026, 3, 2), end=date(2026, 3, 8)))
        got = {r["movement"]: (r["deals"], r["net_amount"]) for r in week.iter_rows(named=True) if r["deals"]}
        # the first import's as-of (2026-03-01 08:00) is before the week: its deals open it at their amounts then
        assert got == {"opening": (3, 600.0), "pushed_out": (1, -200.0), "amount_change": (1, 50.0),
                       "won": (1, -300.0), "closing": (1, 150.0)}
        gaps = pipeline.tie_out(week)
        assert gaps["amount_gap"].to_list() == [0.0] and gaps["deals_gap"].to_list() == [0]
    finally:
        second.close()
    kept = memory.pipeline_before("canonical", datetime(2030, 1, 1))
    assert kept["as_of"].n_unique() == 2 and kept.height == 3 + 2  # the open deals of each import
