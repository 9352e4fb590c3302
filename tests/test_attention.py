"""The weekly headline (issue 14): what needs attention, ranked — an off-target week turns red even when
the noise band says normal; low-volume verdicts say so; action lists put the least overdue first.
Hand-computed on a tiny export (real DuckDB) and on constructed frames."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

import polars as pl
import pytest

from analytics.core.config import load_config
from analytics.engine import attention, weekly
from analytics.engine.weekly import Week
from analytics.i18n.messages import t
from analytics.views import attention as attention_views
from analytics.views import tiles
from analytics.views import weekly as weekly_views

# 2026-W10 is Monday 2 March to Sunday 8 March. March's targets: 31 leads and 31 MQLs, 7 a week each.
# W10 has 6 new leads (L1-L6: 6/7 = 86%, amber) and 2 MQLs (L1, L2: 2/7 = 29%, red). No lead is judged
# against noise: the data starts in W08, short of the 6 weeks of history a noise verdict needs.
# No decision on L1 or L2 within 48 h: two decision breaches in W10 (at 5 Mar 10:00 and 6 Mar 10:00).
# With [stall] lead = 5 days, L7 (lead since 26 Feb 12:00) stalls on 3 Mar 12:00; L8 was stalled already.
# L9 (10 Mar) makes the as-of 10 Mar 09:00, so W10 is the last complete week.
LEADS = """
    lead_id,created_at,source,owner_id
    L1,2026-03-02 09:00:00,Webinar,R1
    L2,2026-03-03 09:00:00,Webinar,R2
    L3,2026-03-04 12:00:00,Webinar,R1
    L4,2026-03-05 12:00:00,Webinar,R2
    L5,2026-03-06 12:00:00,Webinar,R1
    L6,2026-03-07 12:00:00,Webinar,R2
    L7,2026-02-26 12:00:00,Webinar,R1
    L8,2026-02-20 12:00:00,Webinar,R2
    L9,2026-03-10 09:00:00,Webinar,R1
"""
HISTORY = """
    lead_id,stage,entered_at
    L1,lead,2026-03-02 09:00:00
    L1,mql,2026-03-03 10:00:00
    L2,lead,2026-03-03 09:00:00
    L2,mql,2026-03-04 10:00:00
    L3,lead,2026-03-04 12:00:00
    L4,lead,2026-03-05 12:00:00
    L5,lead,2026-03-06 12:00:00
    L6,lead,2026-03-07 12:00:00
    L7,lead,2026-02-26 12:00:00
    L8,lead,2026-02-20 12:00:00
    L9,lead,2026-03-10 09:00:00
"""
TARGETS = """
    period_start,period_end,metric,target,team,segment
    2026-03-01,2026-03-31,leads,31,,
    2026-03-01,2026-03-31,mqls,31,,
"""
REPS = """
    rep_id,name,role,team,region,manager_id
    R1,Ana Costa,AE,Sales,EMEA,
    R2,Ben Okafor,AE,Sales,EMEA,
"""
TABLES = {"leads": LEADS, "stage_history": HISTORY, "targets": TARGETS, "reps": REPS}
STALL_CONFIG = "[stall]\nlead = 5\n"
WEEK = Week.parse("2026-W10")


def write_config(folder: Path) -> Path:
    path = folder / "closed_loop.toml"
    path.write_text(STALL_CONFIG, encoding="utf-8")
    return path


@pytest.fixture
def store(tmp_path, make_export, import_store):
    return import_store(make_export(tmp_path, TABLES), config=write_config(tmp_path))


def test_an_off_target_week_is_red_though_the_noise_band_says_normal(store):
    assert weekly.last_complete_week(store) == WEEK
    summary = weekly.week_summary(store, WEEK)
    assert not summary["is_unusual"].any()  # too little history: noise calls every figure normal
    items = attention.attention(store, WEEK)
    assert items.select("rank", "level", "kind", "subject").rows() == [
        (1, "red", "target", "mql"),
        (2, "red", "breaches", "breaches"),
        (3, "amber", "target", "lead"),
        (4, "amber", "stalled", "stalled"),
    ]
    mql, breaches, leads, stalled = items.iter_rows(named=True)
    assert (mql["value"], mql["reference"], mql["of_target"]) == (2, pytest.approx(7), pytest.approx(2 / 7))
    assert (leads["value"], leads["of_target"]) == (6, pytest.approx(6 / 7))
    assert (breaches["n"], breaches["leads"], breaches["owner_ids"], breaches["owner_counts"]) == (
        2, 2, ["R1", "R2"], [1, 1])
    assert breaches["stages"] == ["decision"]
    assert (stalled["leads"], stalled["owner_ids"]) == (1, ["R1"])
    assert weekly.newly_stalled(store, WEEK)["lead_id"].to_list() == ["L7"]


def test_the_headline_says_it_in_words_with_owner_names(store):
    items = attention.attention(store, WEEK)
    names = {"R1": "Ana Costa", "R2": "Ben Okafor"}
    lines = attention_views.lines(items, names)
    assert lines[0] == "1. :red-badge[{}] ".format(t("attention.badge.target.red")) + t(
        "attention.target.red", what=t("weekly.measure.mql"), value="2", pct="29%", target="7.0", avg="0.0")
    assert "Ana Costa 1, Ben Okafor 1" in lines[1] and lines[1].startswith("2. :red-badge[")
    assert lines[2].startswith("3. :orange-badge[") and "86%" in lines[2]
    assert attention_views.verdict(items, 0.9) == ("red", t("attention.verdict.red", red="2", amber="2"))
    assert attention_views.verdict(items.filter(pl.col("level") == "amber"), 0.9)[0] == "amber"
    assert attention_views.verdict(items.clear(), 0.9) == ("good", t("attention.verdict.good", amber="90%"))


def test_tiles_are_coloured_by_target_not_only_by_noise(store):
    summary = weekly.week_summary(store, WEEK)
    moved = weekly_views.moved_table(summary, ["lead", "mql", "sal"], attention.measure_levels(summary, store.cfg))
    lead, mql, sal = tiles.week_tiles(moved, ["lead", "mql", "sal"])
    assert (mql["delta"], mql["delta_color"], mql["delta_arrow"]) == (t("weekly.tile.of_target", pct="29%"),
                                                                      "red", "down")
    assert mql["label"].endswith("⚠")
    assert (lead["delta_color"], lead["delta"]) == ("orange", t("weekly.tile.of_target", pct="86%"))
    assert sal["delta_color"] == "off" and "delta_arrow" not in sal  # no target, normal noise: grey
    shown = weekly_views.moved_shown(moved)
    assert shown["signal"].to_list() == [t("weekly.signal.target_amber", pct="86%"),
                                         t("weekly.signal.target_red", pct="29%"), t("weekly.signal.normal")]


def _summary(rows: list[tuple]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema={"measure": pl.String, "value": pl.Float64, "target": pl.Float64,
                                      "avg_4w": pl.Float64, "z": pl.Float64, "is_unusual": pl.Boolean}, orient="row")


def test_ranking_red_before_amber_before_good_news():
    cfg = load_config()
    summary = _summary([
        ("lead", 95.0, 100.0, 100.0, -2.5, True),   # on pace (95%) but an unusual fall: red by noise
        ("mql", 60.0, 100.0, 70.0, -0.4, False),    # 60% of target: red whatever the noise says
        ("sql", 10.0, 20.0, 12.0, -0.5, False),     # 50%: red, and further below target than mql
        ("sal", 85.0, 100.0, 80.0, 0.3, False),     # 85%: amber
        ("opportunity", 30.0, None, 10.0, 3.0, True),  # no target, unusual rise: good news, last
        ("won", 5.0, 5.0, 5.0, 0.0, False),          # on target, normal: not listed
    ])
    drops = pl.DataFrame({"from_stage": ["opportunity"], "to_stage": ["won"], "rate": [0.0], "baseline_rate": [0.5],
                          "cohort": [8], "converted": [0], "is_drop": [True], "is_low_volume": [True]})
    empty = pl.DataFrame(schema={"lead_id": pl.String, "owner_id": pl.String, "sla": pl.String})
    items = attention.rank(summary, drops, empty, empty, cfg)
    assert items.select("level", "kind", "subject").rows() == [
        ("red", "target", "sql"), ("red", "target", "mql"), ("red", "noise", "lead"),
        ("red", "conversion", "opportunity"),
        ("amber", "target", "sal"), ("good", "noise", "opportunity")]
    assert items["rank"].to_list() == [1, 2, 3, 4, 5, 6]
    conversion = items.row(3, named=True)
    assert attention_views.sentence(conversion, {}).endswith(t("attention.low_volume"))


def test_thresholds_come_from_the_config(tmp_path):
    path = tmp_path / "strict.toml"
    path.write_text("[reporting]\ntarget_red_below = 0.9\ntarget_amber_below = 1.0\n", encoding="utf-8")
    cfg = load_config(path)
    assert [attention.target_level(x, cfg) for x in (0.89, 0.95, 1.0)] == ["red", "amber", None]
    default = load_config()
    assert [attention.target_level(x, default) for x in (0.13, 0.69, 0.7, 0.89, 0.9, None)] == [
        "red", "red", "amber", "amber", None, None]


def test_a_small_cohort_is_too_few_to_judge_not_normal():
    row = {"rate": 0.0, "converted": 0, "cohort": 5, "is_drop": False, "is_low_volume": True}
    assert weekly_views.drop_verdict(row) == t("weekly.drop.too_few", k="0", n="5")
    assert weekly_views.drop_verdict({**row, "is_low_volume": False}) == t("weekly.drop.normal")
    assert weekly_views.drop_verdict({**row, "is_drop": True}) == t("weekly.drop.dropped_few")


def test_action_lists_put_the_latest_week_and_the_least_overdue_first():
    frame = pl.DataFrame({
        "lead_id": ["OLD", "A", "B", "C"],
        "handoff_at": [datetime(2025, 1, 6, 9), datetime(2026, 3, 3, 9), datetime(2026, 3, 4, 9),
                       datetime(2026, 2, 24, 9)],
        "hours_late": [2105.0, 30.0, 2.0, 1.0]})
    # W10 (A, B) first, least overdue first; then W09 (C); the 2025 fossil last
    assert attention.recent_first(frame, "handoff_at", "hours_late", "UTC")["lead_id"].to_list() == [
        "B", "A", "C", "OLD"]
    stalled = pl.DataFrame({"lead_id": ["X", "Y", "Z"], "days_over": [475.0, 0.5, 3.0]})
    assert attention.salvageable_first(stalled)["lead_id"].to_list() == ["Y", "Z", "X"]


def test_the_week_lists_come_least_overdue_first(store):
    late = weekly.breaches_of_week(store, WEEK)
    # as of 9 Mar 00:00: L1's decision was due 5 Mar 10:00 (86 h late), L2's 6 Mar 10:00 (62 h late)
    assert late.select("lead_id", "sla").rows() == [("L2", "decision"), ("L1", "decision")]
    assert late["hours_late"].to_list() == [pytest.approx(62), pytest.approx(86)]


SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample"


@pytest.fixture(scope="module")
def sample_store(tmp_path_factory):
    if not (SAMPLE / "leads.csv").exists():
        pytest.skip("data/sample is not generated")
    from analytics.importers.load import import_folder
    from analytics.store.db import open_store
    db = tmp_path_factory.mktemp("attention") / "sample.duckdb"
    import_folder(SAMPLE, db, load_config(), say=lambda _message: None)
    store = open_store(db)
    yield store
    store.close()


def test_sample_w47_does_not_reassure(sample_store):
    """The week the issue names: won revenue 19.4K against a 207.8K 4-week average, 13% of the prorated
    target; SQLs at 46% — both red, won revenue first; Opportunity → Won rests on 5 leads."""
    week = Week.parse("2026-W47")
    items = attention.attention(sample_store, week)
    first, second = items.head(2).iter_rows(named=True)
    assert (first["level"], first["kind"], first["subject"]) == ("red", "target", "won_amount")
    assert (first["value"], round(first["avg_4w"]), round(first["of_target"], 2)) == (19_400, 207_800, 0.13)
    assert (second["level"], second["subject"], round(second["of_target"], 2)) == ("red", "sql", 0.46)
    drops = weekly.conversion_drops(sample_store, week)
    won = drops.filter(pl.col("to_stage") == "won").row(0, named=True)
    assert (won["cohort"], won["converted"], won["is_low_volume"]) == (5, 0, True)
    assert weekly_views.drop_verdict(won) == t("weekly.drop.too_few", k="0", n="5")
    shown = weekly_views.drops_shown(weekly_views.drops_table(drops), week.label)  # as the page shows it
    assert shown["verdict"].to_list()[-1] == t("weekly.drop.too_few", k="0", n="5")
    assert t("weekly.drop.normal") not in shown["verdict"].to_list()  # every judged cohort but one is < 30


# --- the monthly review's headline: targets judged by pace ------------------------------------------

def test_a_month_off_pace_is_red_or_amber_by_hand(store):
    """As-of 10 Mar 09:00: 9.375 of March's 31 days are gone, so 31 × 9.375/31 = 9.375 of each target is
    due. Leads: 7 (L1–L6, L9) → 7/9.375 = 74.7% of pace, amber; MQLs: 2 → 21.3%, red, listed first."""
    items = attention.month_attention(store)
    shown = items.select("rank", "level", "kind", "metric", "actual", "due", "ratio").rows()
    assert [r[:5] for r in shown] == [(1, "red", "pace", "mqls", 2.0), (2, "amber", "pace", "leads", 7.0)]
    assert [round(r[5], 3) for r in shown] == [9.375, 9.375]
    assert [round(r[6], 4) for r in shown] == [round(2 / 9.375, 4), round(7 / 9.375, 4)]
    level, text = attention_views.month_verdict(items, "Mar 2026", 0.9)
    assert level == "red" and text == t("month_attention.verdict.red", month="Mar 2026", red="1", amber="1")
    lines = attention_views.month_lines(items)
    assert lines[0].startswith("1. :red-badge[") and "**MQLs** 2" in lines[0] and "21%" in lines[0]


def test_month_ranking_closed_misses_and_good_news():
    """Red before amber before on pace; within a level the period in progress first; a closed month
    that made its target is not listed; team targets are left to the targets table."""
    from datetime import date
    cfg = load_config()
    rows = [  # metric, start, end, team, target, actual, elapsed, attainment, pacing
        ("leads", date(2026, 2, 1), date(2026, 2, 28), None, 100.0, 60.0, 1.0, 0.60, 0.60),  # closed: red
        ("mqls", date(2026, 2, 1), date(2026, 2, 28), None, 100.0, 95.0, 1.0, 0.95, 0.95),  # closed, made it
        ("leads", date(2026, 3, 1), date(2026, 3, 31), None, 100.0, 20.0, 0.5, 0.20, 0.40),  # in progress: red
        ("mqls", date(2026, 3, 1), date(2026, 3, 31), None, 100.0, 40.0, 0.5, 0.40, 0.80),  # amber
        ("sqls", date(2026, 3, 1), date(2026, 3, 31), None, 10.0, 6.0, 0.5, 0.60, 1.20),  # on pace
        ("sqls", date(2026, 3, 1), date(2026, 3, 31), "EMEA", 10.0, 0.0, 0.5, 0.0, 0.0),  # a team's: not here
    ]
    progress = pl.DataFrame(rows, orient="row", schema=["metric", "period_start", "period_end", "team", "target",
                                                        "actual", "elapsed_share", "attainment", "pacing"]
                            ).with_columns(pl.lit(None, pl.String).alias("segment"))
    items = attention.rank_targets(progress, date(2026, 3, 16), cfg)
    assert items.select("level", "kind", "metric").rows() == [
        ("red", "pace", "leads"), ("red", "missed", "leads"), ("amber", "pace", "mqls"), ("good", "on_pace", "sqls")]
    assert items["due"].to_list() == [50.0, 100.0, 50.0, 5.0]
