"""The hand-off (issue 3): lead quality, SLA scorecard, recycling and the score threshold, on
tiny exports whose figures are computed by hand in the comments."""
from __future__ import annotations

from datetime import datetime

import polars as pl
import pytest

from analytics.engine import handoff
from analytics.engine.base import MissingData

LEADS = """
    lead_id,created_at,source,owner_id,score
    A,2026-03-02 08:00:00,Webinar,R1,80
    B,2026-03-02 08:00:00,Webinar,R1,40
    C,2026-03-02 08:00:00,Paid Social,R2,70
    D,2026-03-02 08:00:00,Paid Social,R2,65
    E,2026-03-02 08:00:00,Outbound,R2,90
    F,2026-03-02 08:00:00,Paid Social,R1,20
"""
HISTORY = """
    lead_id,stage,entered_at
    A,lead,2026-03-02 08:00:00
    A,mql,2026-03-02 10:00:00
    A,sal,2026-03-03 12:00:00
    A,sql,2026-03-04 12:00:00
    B,lead,2026-03-02 08:00:00
    B,mql,2026-03-09 05:00:00
    C,lead,2026-03-02 08:00:00
    C,mql,2026-03-02 09:00:00
    C,recycled,2026-03-03 09:00:00
    C,mql,2026-03-05 09:00:00
    C,sal,2026-03-05 12:00:00
    D,lead,2026-03-02 08:00:00
    D,mql,2026-03-06 16:00:00
    E,lead,2026-03-02 08:00:00
    E,sal,2026-03-03 08:00:00
    F,lead,2026-03-02 08:00:00
    F,mql,2026-03-02 12:00:00
    F,disqualified,2026-03-03 12:00:00
"""
ACTIVITIES = """
    activity_id,lead_id,rep_id,occurred_at,activity_type
    X1,A,R1,2026-03-02 09:00:00,email
    X2,A,R1,2026-03-03 12:00:00,call
    X3,C,R2,2026-03-02 11:00:00,call
    X4,D,R2,2026-03-09 10:00:00,call
    X5,E,R2,2026-03-03 09:00:00,call
    X6,F,R1,2026-03-02 13:00:00,call
"""
FEEDBACK = """
    lead_id,rep_id,created_at,verdict,reason,rating
    C,R2,2026-03-03 08:00:00,rejected,No budget,2
    C,R2,2026-03-05 12:00:00,accepted,,4
    D,R2,2026-03-09 11:00:00,accepted,,5
    F,R1,2026-03-03 12:00:00,rejected,Student / job seeker,1
"""
REPS = """
    rep_id,name,role,team
    R1,Ana,AE,Sales EMEA
    R2,Ben,AE,Sales NA
"""
# as of = the latest event: B's mql at 2026-03-09 05:00 is before D's feedback at 11:00.
AS_OF = datetime(2026, 3, 9, 11, 0)


@pytest.fixture
def store(tmp_path, make_export, import_store):
    folder = make_export(tmp_path, {"leads": LEADS, "stage_history": HISTORY, "activities": ACTIVITIES,
                                    "feedback": FEEDBACK, "reps": REPS})
    return import_store(folder)


def _row(frame: pl.DataFrame, key: str, value: str) -> dict:
    rows = frame.filter(pl.col(key) == value).to_dicts()
    assert len(rows) == 1, frame
    return rows[0]


def _lead(store, lead_id: str, as_of=None) -> dict:
    return _row(handoff.sla_leads(store, as_of=as_of), "lead_id", lead_id)


def test_default_as_of_is_latest_event(store):
    assert store.default_as_of == AS_OF


def test_activity_before_the_handoff_is_ignored(store):
    # A: mql 03-02 10:00; X1 at 09:00 is before it; X2 at 03-03 12:00 is 26 h after -> breached.
    a = _lead(store, "A")
    assert a["response_hours"] == pytest.approx(26.0)
    assert a["follow_up_status"] == "breached"
    assert a["follow_up_hours_late"] == pytest.approx(2.0)


def test_not_yet_due_then_breached(store):
    # B: mql 03-09 05:00, no activity; at 11:00 only 6 h have passed -> not due.
    assert _lead(store, "B")["follow_up_status"] == "not_due"
    # Two days later the 24 h have run out: breached, 54 - 24 = 30 h late.
    later = _lead(store, "B", as_of=datetime(2026, 3, 11, 11, 0))
    assert later["follow_up_status"] == "breached"
    assert later["follow_up_hours_late"] == pytest.approx(30.0)


def test_rejected_then_accepted_on_second_pass(store):
    # C: rejected 03-03 08:00 (feedback), recycled, back as mql 03-05, accepted (sal) 03-05 12:00.
    q = _row(handoff.quality(store, by="source"), "source", "Paid Social")
    # Paid Social: C accepted, D accepted by feedback only, F rejected -> 2 of 3 decided accepted.
    assert (q["handed_off"], q["accepted"], q["rejected"], q["pending"]) == (3, 2, 1, 0)
    assert q["acceptance_rate"] == pytest.approx(2 / 3)
    # The decision clock stops at the first decision: 03-02 09:00 -> 03-03 08:00 = 23 h.
    c = _lead(store, "C")
    assert c["decision_hours"] == pytest.approx(23.0)
    assert c["decision_status"] == "met"


def test_feedback_without_stage_change_counts_as_accepted(store):
    # D never left mql, but sales said "accepted" at 03-09 11:00.
    d = _row(handoff.quality(store, by="owner_id"), "owner_id", "R2")
    assert d["accepted"] == 2  # C and D
    assert _lead(store, "D")["decision_status"] == "breached"  # 03-06 16:00 -> 03-09 11:00 = 67 h > 48


def test_outbound_lead_that_skipped_the_handoff_is_outside(store):
    assert "E" not in handoff.sla_leads(store)["lead_id"].to_list()
    assert handoff.quality(store)["handed_off"].to_list() == [5]


def test_average_rating_and_reasons(store):
    q = _row(handoff.quality(store, by="source"), "source", "Paid Social")
    assert q["avg_rating"] == pytest.approx((2 + 4 + 5 + 1) / 4)
    reasons = handoff.rejection_reasons(store, by="source")
    # C's rejection was overturned, so only F's counts as a rejection by the quality rule.
    assert reasons.select("source", "reason", "rejections", "share").rows() == [
        ("Paid Social", "Student / job seeker", 1, 1.0)]


def test_sla_by_owner_and_team(store):
    # Follow-up: A 26 h breached; B not due (R1); F 1 h met (R1).
    # C 2 h met (X3 at 03-02 11:00); D wall clock 03-06 16:00 -> 03-09 10:00 = 66 h breached (R2).
    r1 = _row(handoff.sla(store, by="owner_id"), "owner_id", "R1")
    assert (r1["met"], r1["breached"], r1["not_due"]) == (1, 1, 1)
    assert r1["median_response_hours"] == pytest.approx((26 + 1) / 2)
    assert r1["compliance"] == pytest.approx(0.5)
    team = _row(handoff.sla(store, by="team"), "team", "Sales NA")
    assert (team["met"], team["breached"]) == (1, 1)


def test_business_hours_clock_across_a_weekend(tmp_path, make_export, import_store):
    # D: mql Friday 16:00, call Monday 10:00. Office hours 9-17 on weekdays:
    # Friday 16-17 (1 h) + Monday 9-10 (1 h) = 2 h -> met; on the wall clock it is 66 h.
    config = tmp_path / "office.toml"
    config.write_text("[sla.business_hours]\nenabled = true\nstart_hour = 9\nend_hour = 17\ntimezone = \"UTC\"\n")
    folder = make_export(tmp_path, {"leads": LEADS, "stage_history": HISTORY, "activities": ACTIVITIES,
                                    "feedback": FEEDBACK, "reps": REPS})
    office = import_store(folder, config=config)
    d = _lead(office, "D")
    assert d["response_hours"] == pytest.approx(2.0)
    assert d["follow_up_status"] == "met"
    # A: mql Monday 10:00 -> Tuesday 12:00 = 7 h + 3 h = 10 h of office time.
    assert _lead(office, "A")["response_hours"] == pytest.approx(10.0)


def test_office_hours_in_another_time_zone(tmp_path, make_export, import_store):
    # New York office 9-17 local = 14:00-22:00 UTC in March before DST (UTC-5, DST starts 03-08).
    # D: Friday 16:00 UTC = 11:00 local -> 6 h Friday; Monday 10:00 UTC = 06:00 local (EDT) -> 0 h.
    config = tmp_path / "ny.toml"
    config.write_text("[sla.business_hours]\nenabled = true\ntimezone = \"America/New_York\"\n")
    folder = make_export(tmp_path, {"leads": LEADS, "stage_history": HISTORY, "activities": ACTIVITIES})
    assert _lead(import_store(folder, config=config), "D")["response_hours"] == pytest.approx(6.0)


def test_recycling(store):
    # F was rejected and disqualified: not to be recycled. C's rejection was overturned.
    # Without a breakdown the scorecard still prints its one "all" row: nothing to judge.
    recycle = handoff.sla(store, by=None, measure="recycle").row(0, named=True)
    assert (recycle["segment"], recycle["met"], recycle["breached"], recycle["compliance"]) == ("all", 0, 0, None)
    loop = _row(handoff.recycling(store, by="source"), "source", "Paid Social")
    # C: rejected 03-03 08:00, recycled 03-03 09:00 (1 h), came back as mql 03-05, then accepted.
    assert (loop["ever_rejected"], loop["recycled"], loop["returned"]) == (2, 1, 1)
    assert loop["median_days_to_recycle"] == pytest.approx(1 / 24)


def test_breach_list(store):
    rows = handoff.breaches(store).select("lead_id", "sla", "hours_late").rows()
    # A follow-up 2 h late; D follow-up 66 - 24 = 42 h, decision 67 - 48 = 19 h late.
    assert rows == [("D", "follow_up", pytest.approx(42.0)), ("D", "decision", pytest.approx(19.0)),
                    ("A", "follow_up", pytest.approx(2.0))]


def test_threshold_precision_recall(store):
    # Handed off with score: A 80 (reached sql), B 40, C 70, D 65, F 20. One sql among them (A).
    t = handoff.threshold(store, step=10)
    at70 = _row(t.with_columns(pl.col("threshold").cast(pl.String)), "threshold", "70.0")
    assert (at70["handed_off"], at70["qualified"]) == (2, 1)  # A and C
    assert at70["precision"] == pytest.approx(0.5)
    assert at70["recall"] == pytest.approx(1.0)
    # F1 peaks where only A remains: threshold 80 (precision 1, recall 1).
    assert handoff.suggested_threshold(t) == 80.0
    assert t.filter(pl.col("is_suggested"))["threshold"].to_list() == [80.0]
    # Had 80 been in force: B, C, D, F would not have been handed off, no sql missed.
    impact = handoff.threshold_impact(store, 80.0)
    assert (impact["not_received"], impact["qualified_missed"]) == (4, 0)


def test_missing_activities_and_feedback(tmp_path, make_export, import_store):
    folder = make_export(tmp_path, {"leads": LEADS, "stage_history": HISTORY})
    bare = import_store(folder)
    assert {"activities", "feedback"}.isdisjoint(bare.tables_present())
    q = handoff.quality(bare)  # stage-only decisions still work
    assert q["handed_off"].to_list() == [5]
    # Without activities the follow-up SLA cannot be judged: a clear error names the file.
    with pytest.raises(MissingData, match="activities.csv"):
        handoff.sla(bare)
    # Decisions still come from the stages: A accepted (sal) after 26 h, C recycled after 24 h and
    # F disqualified after 24 h are met; D still waits 61 h after hand-off at as-of 03-09 05:00.
    decision = handoff.sla(bare, by=None, measure="decision").row(0, named=True)
    assert (decision["met"], decision["breached"], decision["not_due"]) == (3, 1, 1)
