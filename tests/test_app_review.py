"""The meeting pages from the entrypoint (AppTest) on the golden example: each page builds; the weekly
review freezes figures and records action items in the side database; filters, week, lead and
language round-trip through the URL; the language is per session; every English message has a
Chinese one. And the drill-down lists: each has exactly the leads the engine counted."""
from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path

import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from analytics.core.config import load_config
from analytics.core.filters import Filters
from analytics.engine import content, drilldown, monthly, weekly
from analytics.i18n.messages import MESSAGES, t
from analytics.importers.load import import_folder
from analytics.store.db import open_store
from analytics.store.meetings import MeetingStore
from analytics.views import weekly as weekly_views
from tests.conftest import GOLDEN_INPUT

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "sample"
TIMEOUT = 60
PAGES = {"pages/weekly.py": "weekly.title", "pages/monthly.py": "monthly.title", "pages/journey.py": "journey.title",
         "pages/content.py": "content.title"}


@pytest.fixture(scope="module")
def golden_db(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("review") / "golden.duckdb"
    import_folder(GOLDEN_INPUT, db, load_config(), say=lambda _message: None)
    return db


@pytest.fixture
def app(monkeypatch, golden_db, tmp_path):
    """app(query_params=None) -> an AppTest of app.py, run once, with its own meeting database."""
    monkeypatch.setenv("CLOSED_LOOP_DB", str(golden_db))
    monkeypatch.setenv("CLOSED_LOOP_MEETINGS", str(tmp_path / "meetings.duckdb"))

    def _app(query_params: dict | None = None) -> AppTest:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
        at.query_params.update(query_params or {})
        return at.run()
    return _app


def _ok(at: AppTest) -> AppTest:
    assert not at.exception, [e.value for e in at.exception]
    return at


def _on(at: AppTest, page: str) -> AppTest:
    return _ok(at.switch_page(page).run())


def _texts(elements) -> list[str]:
    return [e.value for e in elements]


@pytest.mark.parametrize("page", list(PAGES))
def test_every_meeting_page_builds(app, page):
    at = _on(app(), page)
    assert at.sidebar.date_input(key="filter.period").value, "the page ran without app.py's frame"
    assert at.title[0].value.startswith(t(PAGES[page]).split(" ·")[0].format(week=""))
    if page != "pages/journey.py":  # the journey waits for a lead
        assert at.get("plotly_chart"), "no chart drawn"


def test_weekly_review_defaults_to_the_last_complete_week_and_puts_it_in_the_url(app, golden_db):
    at = _on(app(), "pages/weekly.py")
    store = open_store(golden_db)
    try:
        latest = weekly.last_complete_week(store)
        summary = weekly.week_summary(store, latest)
    finally:
        store.close()
    assert at.selectbox(key="weekly.week").value == latest
    assert at.query_params["week"] == latest.label
    moved = at.dataframe[0].value  # the what-moved table shows the engine's figures
    assert list(moved["value"])[0] == weekly_views.fmt_measure("lead", summary["value"][0])
    assert [m.label.removesuffix(" ⚠") for m in at.metric][:2] == [t("weekly.measure.lead"), t("weekly.measure.mql")]


def test_freezing_and_action_items_are_kept_in_the_meeting_database(app, tmp_path):
    at = _on(app({"week": "2026-W03"}), "pages/weekly.py")
    assert at.selectbox(key="weekly.week").value == weekly.Week.parse("2026-W03")
    at.button(key="weekly.freeze").click().run()
    _ok(at)
    frozen = MeetingStore(tmp_path / "meetings.duckdb").latest("weekly", "2026-W03")
    assert frozen is not None and frozen.figures.height >= 6
    assert any(s.startswith(t("weekly.snapshot_same")) for s in _texts(at.success))

    at.selectbox(key="weekly.form.owner").set_value("Ana Costa")
    at.text_area(key="weekly.form.what").input("Call back the breached webinar leads")
    at.selectbox(key="weekly.form.metric").set_value("sla_breaches")
    at.text_input(key="weekly.form.lead").input("L02")
    at.button(key="FormSubmitter:weekly.action_form-" + t("weekly.form.submit")).click().run()
    _ok(at)
    items = MeetingStore(tmp_path / "meetings.duckdb").actions()
    assert items.select("week", "owner", "lead_id", "metric", "status").row(0) == (
        "2026-W03", "Ana Costa", "L02", "sla_breaches", "open")
    assert "Call back the breached webinar leads" in list(_action_list(at)["description"])
    assert at.text_area(key="weekly.form.what").value == ""  # the form is ready for the next item

    # the next week's review lists it as carried over
    at.selectbox(key="weekly.week").set_value(weekly.Week.parse("2026-W04")).run()
    _ok(at)
    assert "Call back the breached webinar leads" in list(_action_list(at)["description"])
    assert at.query_params["week"] == "2026-W04"


def _action_list(at: AppTest):
    editors = [d for d in at.dataframe if d.editing_mode != "read_only"]
    assert editors, "no action item list"
    return editors[0].value


def test_last_weeks_frozen_figures_show_what_was_restated(app, golden_db, tmp_path):
    store = open_store(golden_db)
    try:
        figures = weekly.week_summary(store, weekly.Week.parse("2026-W03")).select("measure", "value")
    finally:
        store.close()
    frozen = figures.with_columns(pl.when(pl.col("measure") == "mql").then(pl.col("value") - 1)
                                  .otherwise(pl.col("value")).alias("value"))  # one late MQL arrived since
    MeetingStore(tmp_path / "meetings.duckdb").freeze("weekly", "2026-W03", frozen, "an-older-import", None, "")
    at = _on(app({"week": "2026-W04"}), "pages/weekly.py")
    assert t("weekly.snapshot_restated", n=1) in _texts(at.warning)
    restated = at.dataframe[1].value
    assert list(restated.loc[restated["restated"] != "—", "measure"]) == [t("weekly.measure.mql")]
    assert any(t("weekly.snapshot_reimported", version="")[:20] in c.value for c in at.caption)


def test_an_unknown_lead_is_refused(app, tmp_path):
    at = _on(app({"week": "2026-W03"}), "pages/weekly.py")
    at.selectbox(key="weekly.form.owner").set_value("Ana Costa")
    at.text_area(key="weekly.form.what").input("Check it")
    at.text_input(key="weekly.form.lead").input("NOPE")
    at.button(key="FormSubmitter:weekly.action_form-" + t("weekly.form.submit")).click().run()
    assert t("weekly.form.unknown_lead", lead="NOPE") in _texts(at.error)
    assert MeetingStore(tmp_path / "meetings.duckdb").actions().is_empty()


def test_a_shared_link_opens_the_same_filters(app):
    shared = {"source": ["Webinar", "Outbound"], "region": "EMEA", "from": "2026-01-05", "to": "2026-01-25"}
    at = app(shared)
    _ok(at)
    assert at.sidebar.multiselect(key="filter.sources").value == ["Webinar", "Outbound"]
    assert at.sidebar.multiselect(key="filter.regions").value == ["EMEA"]
    assert at.sidebar.date_input(key="filter.period").value == (date(2026, 1, 5), date(2026, 1, 25))
    # and the URL keeps them (the round trip), on another page too
    at = _on(at, "pages/funnel.py")
    assert at.query_params["source"] == ["Webinar", "Outbound"]
    assert (at.query_params["from"], at.query_params["to"]) == ("2026-01-05", "2026-01-25")
    # a change in the sidebar is written back
    at.sidebar.multiselect(key="filter.regions").set_value([]).run()
    assert "region" not in at.query_params


def test_values_the_data_does_not_have_are_dropped_from_a_link(app):
    at = _ok(app({"source": ["Webinar", "<script>"], "from": "not-a-date", "week": "1999-W99"}))
    assert at.sidebar.multiselect(key="filter.sources").value == ["Webinar"]
    at = _on(at, "pages/weekly.py")
    assert at.query_params["week"] != "1999-W99"


def test_the_journey_opens_from_a_lead_in_the_url(app):
    at = _on(app({"lead": "L02"}), "pages/journey.py")
    assert any(h.value.startswith("L02 ·") for h in at.header)
    assert at.get("plotly_chart")
    events = at.dataframe[-1].value
    assert set(events["lead_id"]) == {"L02"}
    assert at.query_params["lead"] == "L02"


def test_the_language_switch_and_the_lang_parameter(app):
    at = _ok(app({"lang": "zh"}))
    assert at.sidebar.radio(key="ui.lang").value == "zh"
    assert _on(at, "pages/weekly.py").title[0].value.startswith("每周复盘")
    assert at.query_params["lang"] == "zh"
    # switch back on a page without option lists (AppTest formats a page's options in the test's own
    # thread, in English, so it cannot send back the Chinese week picker)
    at = _on(app({"lang": "zh"}), "pages/journey.py")
    assert at.title[0].value == "线索旅程"
    at.sidebar.radio(key="ui.lang").set_value("en").run()
    _ok(at)
    assert at.title[0].value == "Lead journey"
    assert "lang" not in at.query_params


def test_the_language_is_per_session_not_per_process(app):
    chinese = _on(app({"lang": "zh"}), "pages/monthly.py")
    english = _on(app(), "pages/monthly.py")  # a second session in the same process
    assert chinese.title[0].value == MESSAGES["zh"]["monthly.title"]
    assert english.title[0].value == MESSAGES["en"]["monthly.title"]


@pytest.mark.parametrize("page", list(PAGES))
def test_a_filter_that_leaves_no_leads_is_no_error(app, page):
    at = _ok(app({"source": "Outbound", "region": "APAC"}))  # no Outbound lead is in APAC
    at = _on(at, page)
    assert at.title


@pytest.fixture(scope="module")
def thin_db(tmp_path_factory) -> Path:
    """The golden export without touches, activities and opportunities: content, SLA and money are missing."""
    folder = tmp_path_factory.mktemp("thin_export")
    for path in GOLDEN_INPUT.iterdir():
        if path.name not in ("touches.csv", "activities.csv", "opportunities.csv"):
            shutil.copy(path, folder / path.name)
    db = tmp_path_factory.mktemp("thin") / "thin.duckdb"
    import_folder(folder, db, load_config(), say=lambda _message: None)
    return db


@pytest.mark.parametrize("page", list(PAGES))
def test_every_meeting_page_copes_with_missing_tables(monkeypatch, thin_db, tmp_path, page):
    monkeypatch.setenv("CLOSED_LOOP_DB", str(thin_db))
    monkeypatch.setenv("CLOSED_LOOP_MEETINGS", str(tmp_path / "meetings.duckdb"))
    at = _on(AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT).run(), page)
    if page == "pages/content.py":
        assert t("content.needs_touches") in _texts(at.info)
    if page == "pages/weekly.py":
        assert t("weekly.needs_activities") in _texts(at.info)


def _placeholders(text: str) -> set[str]:
    return set(re.findall(r"\{[^{}]*\}", text))


def test_every_english_message_has_a_chinese_one_with_the_same_placeholders():
    english, chinese = MESSAGES["en"], MESSAGES["zh"]
    missing = sorted(set(english) - set(chinese))
    assert not missing, f"translate into analytics/i18n/zh/<area>.py: {missing}"
    broken = {k: (english[k], chinese[k]) for k in english if _placeholders(english[k]) != _placeholders(chinese[k])}
    assert not broken, broken
    untranslated = [k for k in english if chinese[k] == english[k] and re.search(r"[a-z]{4,}", english[k])
                    and not k.startswith(("fmt.", "lang.", "format.", "app.", "monthly.fmt", "content.col.")) and
                    english[k] not in ("Closed Loop",)]
    assert len(untranslated) < 10, untranslated


# --- drill-down: every list has exactly the leads the engine counted ------------------------------

@pytest.fixture(scope="module")
def sample_store(tmp_path_factory):
    folder = SAMPLE if (SAMPLE / "leads.csv").exists() else GOLDEN_INPUT
    db = tmp_path_factory.mktemp("drill") / "sample.duckdb"
    import_folder(folder, db, load_config(), say=lambda _message: None)
    store = open_store(db)
    yield store
    store.close()


@pytest.mark.parametrize("filters", [Filters(), Filters(sources=("Webinar",), regions=("EMEA", "NA"))])
def test_the_leads_behind_the_weekly_figures(sample_store, filters):
    store, as_of = sample_store, sample_store.default_as_of
    week = weekly.last_complete_week(store).shift(-1)
    start, end = week.bounds_utc(store.cfg.timezone)
    summary = dict(weekly.week_summary(store, week, filters).select("measure", "value").iter_rows())
    for measure in (*store.cfg.main_stages, "won_deals", "closed_deals"):
        assert drilldown.measure_leads(store, measure, start, end, filters, as_of).height == summary[measure], measure
    for measure in weekly_views.MONEY:
        frame = drilldown.measure_leads(store, measure, start, end, filters, as_of)
        assert frame["amount"].fill_null(0).sum() == pytest.approx(summary[measure]), measure
    drops = weekly.conversion_drops(store, week, filters).filter(pl.col("cohort").is_not_null())
    for row in drops.iter_rows(named=True):
        cohort = weekly.Week.parse(row["cohort_week"])
        leads = drilldown.drop_leads(store, row, *cohort.bounds_utc(store.cfg.timezone), filters, as_of)
        assert (leads.height, int(leads["is_converted"].sum())) == (row["cohort"], row["converted"]), row


def test_the_leads_behind_the_monthly_figures(sample_store):
    store, as_of, filters = sample_store, sample_store.default_as_of, Filters()
    trends = monthly.trends(store, filters=filters)
    month = trends["month_start"].sort()[-3]  # a complete month
    row = {r["metric"]: r for r in trends.filter(pl.col("month_start") == month).iter_rows(named=True)}
    conversion = drilldown.trend_leads(store, "conversion", month, filters, as_of)
    assert (conversion.height, int(conversion["is_converted"].sum())) == (
        row["conversion"]["n"], round(row["conversion"]["value"] * row["conversion"]["n"]))
    decisions = drilldown.trend_leads(store, "acceptance", month, filters, as_of)
    decided = decisions.filter(pl.col("decision") != "pending")
    assert decided.height == row["acceptance"]["n"]
    if "follow_up_compliance" in row:
        judged = drilldown.trend_leads(store, "follow_up_compliance", month, filters, as_of).filter(
            pl.col("follow_up_status").is_in(["met", "breached"]))
        assert judged.height == row["follow_up_compliance"]["n"]
    assert drilldown.trend_leads(store, "win_rate", month, filters, as_of).height == row["win_rate"]["n"]

    matrix = monthly.cohort_matrix(store, store.cfg.qualified_stage, filters)
    first = matrix.filter(pl.col("cohort_month") == matrix["cohort_month"].min())
    leads = drilldown.cohort_leads(store, first["cohort_month"][0], store.cfg.qualified_stage, filters, as_of)
    assert leads.height == first["leads"][0]
    for months, reached in first.select("months", "reached").iter_rows():
        assert leads.filter(pl.col("months_to_reach") <= months).height == reached


def test_the_leads_behind_the_content_lift(sample_store):
    store, as_of, filters = sample_store, sample_store.default_as_of, Filters()
    lift = content.content_lift(store, filters)
    for row in lift.sort("touched_leads", descending=True).head(6).iter_rows(named=True):
        leads = drilldown.content_leads(store, row["content_id"], [row["stage"]], filters, as_of)
        assert (leads.height, int(leads["is_progressed"].sum())) == (row["touched_leads"], row["touched_progressed"])
