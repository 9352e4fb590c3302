"""The meeting workflow (issue 6): week boundaries in the configured zone, immature cohorts,
snapshots that survive new data, action items, content lift — hand-computed."""
from __future__ import annotations

from datetime import date, datetime

import duckdb
import polars as pl
import pytest

from analytics.engine import content, weekly
from analytics.engine.actions import still_open
from analytics.engine.weekly import Week
from analytics.store.meetings import MeetingStore, compare

LEADS = """
    lead_id,created_at,source
    A,2026-03-01 22:30:00,Webinar
    B,2026-03-02 10:00:00,Webinar
    C,2026-03-08T23:30:00Z,Webinar
    D,2026-03-09 09:00:00,Webinar
"""
HISTORY = """
    lead_id,stage,entered_at
    A,lead,2026-03-01 22:30:00
    B,lead,2026-03-02 10:00:00
    B,mql,2026-03-03 10:00:00
    C,lead,2026-03-08T23:30:00Z
    D,lead,2026-03-09 09:00:00
    D,mql,2026-03-20 09:00:00
"""


def test_iso_weeks():
    w = Week.parse("2026-W10")
    assert (w.monday, w.sunday, w.label) == (date(2026, 3, 2), date(2026, 3, 8), "2026-W10")
    assert Week.of(date(2026, 3, 8)) == w and Week.of(date(2026, 3, 9)) == w.shift(1)
    assert Week.parse("2027w1").monday == date(2027, 1, 4)
    with pytest.raises(ValueError, match="ISO week"):
        Week.parse("March")
    # Berlin is UTC+1 in March: local Monday 00:00 is Sunday 23:00 UTC.
    assert w.bounds_utc("Europe/Berlin") == (datetime(2026, 3, 1, 23, 0), datetime(2026, 3, 8, 23, 0))


@pytest.mark.parametrize("zone, expected", [
    # UTC: B (Mon 03-02) and C (Sun 03-08 23:30 UTC) are in W10; D in W11 (A, Sunday 03-01, is W09).
    ("UTC", {"2026-03-02": 2, "2026-03-09": 1}),
    # Berlin: C's 23:30 UTC is Monday 00:30 local, so C moves to W11 with D. (Times written without an
    # offset are local times of the configured zone, so A, B and D stay in their weeks.)
    ("Europe/Berlin", {"2026-03-02": 1, "2026-03-09": 2}),
])
def test_week_boundaries_follow_the_configured_zone(tmp_path, make_export, import_store, zone, expected):
    config = tmp_path / "zone.toml"
    config.write_text(f'timezone = "{zone}"\n')
    store = import_store(make_export(tmp_path, {"leads": LEADS, "stage_history": HISTORY}), config=config)
    counts = weekly.weekly_counts(store, Week.parse("2026-W10"), Week.parse("2026-W11"))
    leads = counts.filter(pl.col("measure") == "lead")
    assert {str(d): v for d, v in zip(leads["week_start"], leads["value"])} == expected


def test_last_complete_week(tmp_path, make_export, import_store):
    store = import_store(make_export(tmp_path, {"leads": LEADS, "stage_history": HISTORY}))
    # as of 2026-03-20 09:00 (Friday of W12): the last complete week is W11.
    assert weekly.last_complete_week(store) == Week.parse("2026-W11")


def test_immature_cohorts(tmp_path, make_export, import_store):
    store = import_store(make_export(tmp_path, {"leads": LEADS, "stage_history": HISTORY}))
    frame = weekly.conversion_by_week(store, Week.parse("2026-W10"), Week.parse("2026-W11"))
    lead_mql = frame.filter(pl.col("from_stage") == "lead").sort("week_start")
    window = lead_mql["window_days"][0]
    # Days in lead: B 1, D 11 -> 90th percentile 1 + 0.9 * 10 = 10 days.
    assert window == 10
    # W10 (B, C): C entered 03-08 23:30, +10 days = 03-18 < as of 03-20 -> mature; B converted in 1 day.
    # W11 (D): entered 03-09 09:00 + 10 = 03-19 -> mature too, but D took 11 days: not within the window.
    assert lead_mql.select("cohort", "converted", "is_immature").rows() == [(2, 1, False), (1, 0, False)]
    late = weekly.conversion_by_week(store, Week.parse("2026-W12"), Week.parse("2026-W12"))
    assert late.filter(pl.col("from_stage") == "mql")["is_immature"].to_list() == [True]  # D's mql 03-20


def test_snapshot_comparison_after_new_data_arrives(tmp_path, make_export, import_store):
    meetings = MeetingStore(tmp_path / "meetings.duckdb")
    first = import_store(make_export(tmp_path, {"leads": LEADS, "stage_history": HISTORY}, name="monday"))
    week = Week.parse("2026-W10")
    shown = weekly.week_summary(first, week).select("measure", "value")
    meetings.freeze("weekly", week.label, shown, first.data_version, first.default_as_of)

    # A late export adds a W10 mql (backdated) for A: the week's mql figure is restated 1 -> 2.
    later = import_store(make_export(tmp_path, {
        "leads": LEADS, "stage_history": HISTORY + "    A,mql,2026-03-04 12:00:00\n"}, name="tuesday"))
    frozen = meetings.latest("weekly", week.label)
    assert frozen.data_version == first.data_version != later.data_version
    diff = compare(frozen.figures, weekly.week_summary(later, week).select("measure", "value"))
    mql = diff.filter(pl.col("measure") == "mql").row(0, named=True)
    assert (mql["frozen"], mql["current"], mql["restated"]) == (1.0, 2.0, 1.0)
    assert diff.filter(pl.col("measure") == "lead")["restated"].to_list() == [0.0]


def test_action_items(tmp_path):
    meetings = MeetingStore(tmp_path / "meetings.duckdb")
    a = meetings.add_action("2026-W10", "Ana", "Call the 3 stalled sqls", date(2026, 3, 13), metric="stalled",
                            lead_id="L7")
    meetings.add_action("2026-W10", "Ben", "Fix Paid Social targeting")
    meetings.set_status(a, "done")
    assert still_open(meetings.actions())["owner"].to_list() == ["Ben"]
    assert meetings.actions().filter(pl.col("action_id") == a)["status"].to_list() == ["done"]
    with pytest.raises(ValueError, match="owner"):
        meetings.add_action("2026-W10", " ", "x")


def test_reads_are_remembered_until_anyone_writes(tmp_path):
    path = tmp_path / "meetings.duckdb"
    meetings = MeetingStore(path)
    meetings.add_action("2026-W10", "Ana", "Call back the webinar leads")
    assert meetings.actions()["owner"].to_list() == ["Ana"]
    other = duckdb.connect(str(path))  # another process, e.g. the CLI, adds an item behind our back
    other.execute("insert into action_items select * replace ('x2' as action_id, 'Ben' as owner) from action_items")
    other.close()
    assert sorted(meetings.actions()["owner"].to_list()) == ["Ana", "Ben"]


def test_content_lift(tmp_path, make_export, import_store):
    # Five leads reach mql; K1 touched in mql by P and Q (both reach sal), by nobody else.
    # Untouched in mql: R (reaches sal), S, T (do not). Lift = (2/2) / (1/3) = 3.
    leads = "lead_id,created_at\n" + "".join(f"{x},2026-01-01 00:00:00\n" for x in "PQRST")
    history = "lead_id,stage,entered_at\n" + "".join(
        f"{x},lead,2026-01-01 00:00:00\n{x},mql,2026-01-02 00:00:00\n" for x in "PQRST") + \
        "P,sal,2026-01-05 00:00:00\nQ,sal,2026-01-06 00:00:00\nR,sal,2026-01-07 00:00:00\n"
    touches = ("touch_id,lead_id,occurred_at,content_id\n"
               "T1,P,2026-01-03 00:00:00,K1\nT2,Q,2026-01-03 00:00:00,K1\n"
               "T3,S,2026-01-01 12:00:00,K1\n")  # S touched K1 while still a lead: counts for lead, not mql
    catalogue = "content_id,title,content_type,funnel_stage\nK1,ROI calculator,roi_calculator,bottom\n"
    store = import_store(make_export(tmp_path, {"leads": leads, "stage_history": history, "touches": touches,
                                                "content": catalogue}))
    lift = content.content_lift(store)
    mql = lift.filter(pl.col("stage") == "mql").row(0, named=True)
    assert (mql["touched_leads"], mql["touched_progressed"], mql["untouched_leads"], mql["untouched_progressed"]) \
        == (2, 2, 3, 1)
    assert mql["lift"] == pytest.approx(3.0)
    # Katz: se = sqrt(1/2 - 1/2 + 1/1 - 1/3); 95% bounds exp(ln 3 -/+ 1.96 se).
    assert (mql["lift_low"], mql["lift_high"]) == pytest.approx(content.katz_interval(2, 2, 1, 3))
    assert mql["lift_low"] == pytest.approx(0.6055, abs=1e-4)
