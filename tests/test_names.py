"""Names where leaders think in names: the journey's search by name, e-mail, company or id; names beside
ids in shown tables and CSV downloads; codes in words; money without "-0" or stray decimals; the sample's
recycle delay. Hand-made fixtures, real DuckDB."""
from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from analytics.engine import handoff, journey
from analytics.i18n import messages
from analytics.views.labels import in_words, method_columns, named

ROOT = Path(__file__).resolve().parents[1]

LEADS = """lead_id,created_at,source,account_id,owner_id,lead_name,email,company_name
L1,2026-01-05 09:00:00,Webinar,A1,R1,Mateo Hughes,mateo.hughes@maple.example,Maplepoint Energy Inc
L2,2026-01-06 09:00:00,Event,A2,R2,Aisha Khan,aisha.khan@orbit.example,Orbitgate Travel BV
L3,2026-01-07 09:00:00,Event,A2,R2,Hugo Berg,hugo.berg@orbit.example,Orbitgate Travel BV
"""
STAGES = """lead_id,stage,entered_at
L1,lead,2026-01-05 09:00:00
L2,lead,2026-01-06 09:00:00
L3,lead,2026-01-07 09:00:00
"""


@pytest.fixture
def named_store(tmp_path, make_export, import_store):
    return import_store(make_export(tmp_path, {"leads.csv": LEADS, "stage_history.csv": STAGES}))


def _found(store, text: str) -> list[str]:
    return journey.search_leads(store, text)["lead_id"].to_list()


def test_the_journey_finds_a_lead_by_name_email_company_or_id(named_store):
    assert _found(named_store, "hughes") == ["L1"]  # part of a name, any case
    assert _found(named_store, "AISHA.KHAN@ORBIT.EXAMPLE") == ["L2"]  # an e-mail
    assert _found(named_store, "orbitgate") == ["L2", "L3"]  # a company: both its leads, by name
    assert _found(named_store, "L3") == ["L3"]  # an id
    assert _found(named_store, "A1") == ["L1"]  # an account
    assert _found(named_store, "nobody") == []
    found = journey.search_leads(named_store, "hugo")
    assert found.row(0, named=True)["company_name"] == "Orbitgate Travel BV"


def test_an_exact_match_comes_first(named_store):
    # "hug" is in Hughes (L1) and Hugo (L3); the exact e-mail of L3 puts it first
    assert _found(named_store, "hug") == ["L3", "L1"]  # ordered by name: Hugo Berg, Mateo Hughes
    assert _found(named_store, "hugo.berg@orbit.example") == ["L3"]


def test_an_export_without_names_is_searched_by_id(golden_store):
    found = journey.search_leads(golden_store, "l0")
    assert found.height == 9 and found["lead_name"].is_null().all()  # L01–L09 (L10 has no "l0")
    assert journey.search_leads(golden_store, "L01")["lead_id"].to_list() == ["L01"]


def test_the_search_text_is_bound_never_executed(named_store):
    assert _found(named_store, "'; drop table leads; --") == []
    assert _found(named_store, "L1") == ["L1"]


def test_names_go_beside_their_ids_in_shown_tables_and_csv():
    frame = pl.DataFrame({"lead_id": ["L1", "L2"], "owner_id": ["R1", "R9"], "campaign_id": ["C1", None],
                          "won_amount": [100.0, 200.0]})
    names = {"reps": {"R1": "Ana Costa"}, "campaigns": {"C1": "January webinar"}}
    people = pl.DataFrame({"lead_id": ["L1"], "lead_name": ["Mateo Hughes"], "company_name": ["Maplepoint"]})
    result = named(frame, names, people)
    assert result.columns == ["lead_id", "lead_name", "company_name", "owner_name", "owner_id", "campaign_name",
                              "campaign_id", "won_amount"]
    assert result["owner_name"].to_list() == ["Ana Costa", "R9"]  # an id without a name shows as itself
    assert result["owner_id"].to_list() == ["R1", "R9"]  # the id is kept beside the name
    assert result["campaign_name"].to_list() == ["January webinar", None]
    assert result["lead_name"].to_list() == ["Mateo Hughes", None]
    assert named(frame, {}).columns == frame.columns  # an export without names keeps its ids


@pytest.mark.parametrize("lang, words", [("en", ["Marketing-sourced", "First touch", "MQL"]),
                                         ("zh", None)])
def test_codes_read_as_words_and_money_as_whole_units(lang, words):
    frame = pl.DataFrame({"category": ["marketing_sourced"], "model": ["first_touch"], "stage": ["mql"],
                          "won_amount": [-0.4], "cost_per_sql": [1234.567], "lift": [1.23456]})
    messages.set_language(lang)
    try:
        shown = in_words(frame).row(0, named=True)
        expected = words or [messages.t("revenue.category.marketing_sourced"), messages.t("revenue.model.first_touch"),
                             messages.stage_label("mql")]
    finally:
        messages.set_language("en")
    assert [shown["category"], shown["model"], shown["stage"]] == expected
    assert "_" not in shown["category"] + shown["model"]
    assert shown["won_amount"] == 0.0 and str(shown["won_amount"]) == "0.0"  # never "-0"
    assert shown["cost_per_sql"] == 1235.0  # money to whole units
    assert shown["lift"] == 1.23  # any other figure to two decimals


def test_formatted_money_and_shares_never_read_minus_zero():
    assert messages.fmt_money(-0.4) == "0" and messages.fmt_money(-1234.4) == "-1,234"
    assert messages.fmt_money(35_040.0) == messages.t("fmt.thousand", value="35.0")
    assert messages.fmt_pct(-0.001) == "0%" and messages.fmt_pct(-0.02) == "-2%" and messages.fmt_pct(0.44) == "44%"


def test_p_and_q_values_leave_the_table_a_meeting_reads():
    frame = pl.DataFrame({"factor": ["industry"], "value": ["Software"], "win_rate": [0.44], "p_value": [0.001],
                          "q_value": [0.02]})
    assert method_columns(frame) == ["p_value", "q_value"]
    assert method_columns(frame.with_columns(ci_low=pl.lit(0.3), ci_high=pl.lit(0.5))) == [
        "p_value", "q_value", "ci_low", "ci_high"]


def test_the_sample_recycles_a_day_or_so_after_the_rejection(sample_store):
    """The sample company gives marketing time to take a rejected lead back (it used to recycle at the
    rejection instant: "time to recycle 0.0 d")."""
    loop = handoff.recycling(sample_store, None).row(0, named=True)
    assert loop["recycled"] > 100
    assert 0.5 < loop["median_days_to_recycle"] < 5


@pytest.fixture(scope="module")
def sample_store(tmp_path_factory):
    from analytics.core.config import load_config
    from analytics.importers.load import import_folder
    from analytics.store.db import open_store
    db = tmp_path_factory.mktemp("sample") / "sample.duckdb"
    import_folder(ROOT / "data" / "sample", db, load_config(), say=lambda _m: None)
    store = open_store(db)
    yield store
    store.close()


def _app(monkeypatch, db: Path, page: str) -> AppTest:
    monkeypatch.setenv("CLOSED_LOOP_DB", str(db))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90).run()
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _shown(at: AppTest) -> list[pl.DataFrame]:
    return [pl.from_pandas(d.value) for d in at.dataframe]


def test_the_revenue_page_shows_campaigns_and_categories_by_name(monkeypatch, golden_db):
    at = _app(monkeypatch, golden_db, "pages/revenue.py")
    tables = _shown(at)
    text = " ".join(str(v) for frame in tables for column in frame.columns for v in frame[column].to_list())
    assert "marketing_sourced" not in text and "Marketing-sourced" in text
    roi = next(frame for frame in tables if "campaign_id" in frame.columns)  # it names itself: no second name
    assert "campaign_name" not in roi.columns and "January product webinar" in roi["name"].to_list()
    assert "C1" in roi["campaign_id"].to_list()  # the id stays beside the name


def test_the_journey_page_finds_a_lead_by_name(monkeypatch, golden_db):
    at = _app(monkeypatch, golden_db, "pages/journey.py")
    at.text_input(key="journey.q").input("L0").run()
    assert not at.exception
    found = _shown(at)[0]
    assert found.height == 9 and "owner_name" in found.columns and "Ana Costa" in found["owner_name"].to_list()


def test_same_day_events_share_one_marker_with_a_count():
    from datetime import datetime

    from analytics.views.journey import journey_chart
    at = [datetime(2026, 1, 5, h) for h in (9, 10, 11)] + [datetime(2026, 1, 5, 9), datetime(2026, 1, 5, 12)]
    events = pl.DataFrame({"lead_id": ["L1"] * 5, "event_at": at, "kind": ["touch"] * 3 + ["stage"] * 2,
                           "what": ["page_view", "download", "ad_click", "lead", "mql"], "detail": [None] * 5})
    fig = journey_chart(events, handoff_at=datetime(2026, 1, 5, 12), as_of=datetime(2027, 1, 1))
    touch = next(trace for trace in fig.data if trace.name == "Marketing touch")
    stage = next(trace for trace in fig.data if trace.name == "Stage")
    assert list(touch.text) == ["×3"] and len(touch.x) == 1  # three touches on one day: one marker, counted
    assert "09:00" in touch.customdata[0] and "11:00" in touch.customdata[0]  # each listed on hover
    assert list(stage.text) == ["Lead → MQL"]
    assert not [s for s in fig.layout.shapes if s.x0 == datetime(2027, 1, 1)]  # as-of far away: not drawn


def test_immature_campaigns_are_drawn_not_zero_length_bars():
    from analytics.views.revenue import roi_chart
    roi = pl.DataFrame({"campaign_id": ["C1", "C2", "C3"], "name": ["Big webinar", "New ads", "Old ads"],
                        "status": ["producing revenue", "immature: pipeline, no revenue yet", "no return"],
                        "roi": [30.6, 0.0, 0.5], "attributed_won_amount": [30600.0, 0.0, 500.0],
                        "cost": [1000.0, 2000.0, 1000.0], "open_pipeline_amount": [0.0, 34960.0, 0.0]})
    fig = roi_chart(roi, "roi")
    assert fig.layout.xaxis.type == "log"  # one 30× campaign no longer squashes the rest
    bars = next(trace for trace in fig.data if trace.type == "bar")
    assert list(bars.y) == ["Big webinar", "Old ads"] and list(bars.text) == ["30.6×", "0.5×"]
    amber = next(trace for trace in fig.data if trace.type == "scatter")
    assert list(amber.y) == ["New ads"] and amber.marker.color == "#E69F00"
    assert "35.0K" in amber.text[0]  # its open pipeline, in words


def test_the_overview_says_which_count_to_quote():
    from analytics.views.funnel import which_to_quote
    funnel = pl.DataFrame({"stage": ["lead", "mql"], "leads": [912, 369]})
    text = which_to_quote({"mql": 414.0}, funnel, "mql")
    assert "**414**" in text and "**369**" in text and "MQL" in text
