"""Every page builds from the entrypoint (AppTest), on the golden example and on edge cases: a filter
that leaves no leads, an export with rejected rows and missing tables, no database at all."""
from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from analytics.core.config import load_config
from analytics.i18n.messages import t
from analytics.importers.load import import_folder
from tests.conftest import GOLDEN_INPUT

ROOT = Path(__file__).resolve().parents[1]
PAGES = ["pages/overview.py", "pages/funnel.py", "pages/velocity.py", "pages/data.py"]
TIMEOUT = 60


def _import(folder: Path, db: Path) -> Path:
    import_folder(folder, db, load_config(), say=lambda _message: None)
    return db


@pytest.fixture(scope="module")
def golden_db(tmp_path_factory) -> Path:
    return _import(GOLDEN_INPUT, tmp_path_factory.mktemp("app") / "golden.duckdb")


@pytest.fixture(scope="module")
def broken_db(tmp_path_factory) -> Path:
    """The golden export with one bad stage row and without touches.csv and campaigns.csv."""
    folder = tmp_path_factory.mktemp("broken_export")
    for path in GOLDEN_INPUT.iterdir():
        if path.name not in ("touches.csv", "campaigns.csv"):
            shutil.copy(path, folder / path.name)
    with open(folder / "stage_history.csv", "a", encoding="utf-8") as f:
        f.write("L01,negotiation,2026-01-20 09:00:00\n")
    return _import(folder, tmp_path_factory.mktemp("broken") / "broken.duckdb")


def _app(monkeypatch, db: Path) -> AppTest:
    monkeypatch.setenv("CLOSED_LOOP_DB", str(db))
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT).run()


def _on(at: AppTest, page: str) -> AppTest:
    if page != PAGES[0]:
        at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _texts(elements) -> list[str]:
    return [e.value for e in elements]


def test_overview_shows_the_headline_figures_and_charts(monkeypatch, golden_db):
    at = _on(_app(monkeypatch, golden_db), PAGES[0])
    tiles = {m.label: m.value for m in at.metric}
    assert tiles[t("kpi.new_leads")] == "10"
    assert tiles[t("kpi.won_deals")] == "3"
    assert tiles[t("kpi.win_rate")] == "75%"
    assert len(at.metric) == 8
    assert len(at.get("plotly_chart")) == 2
    assert any(w.startswith("Only 10 leads") for w in _texts(at.warning))  # ten leads: low volume
    assert at.sidebar.multiselect(key="filter.sources").options == ["Organic Search", "Outbound", "Paid Social",
                                                                    "Webinar"]


@pytest.mark.parametrize("page, charts, tables", [
    ("pages/funnel.py", 4, 4),  # stages, conversion by segment, conversion over time by segment, flow
    ("pages/velocity.py", 3, 2),
    ("pages/data.py", 1, 3),  # files loaded; lead sources; optional tables missing (targets, content, …)
])
def test_every_page_builds(monkeypatch, golden_db, page, charts, tables):
    at = _on(_app(monkeypatch, golden_db), page)
    # the frame ran around the page: AppTest, like a fresh server on a deep link, starts each rerun in
    # Streamlit's legacy pages/ mode; state.ensure_frame() reruns it through app.py
    assert at.sidebar.date_input(key="filter.period").value
    assert len(at.get("plotly_chart")) == charts
    assert len(at.dataframe) == tables
    assert len(at.get("download_button")) == tables  # every table can be downloaded
    assert at.title[0].value in {t("funnel.title"), t("velocity.title"), t("data.title")}


def test_funnel_conversion_follows_the_chosen_stages(monkeypatch, golden_db):
    at = _on(_app(monkeypatch, golden_db), "pages/funnel.py")
    at.selectbox(key="conversion.from").set_value("lead").run()
    at.selectbox(key="conversion.to").set_value("won").run()
    at.selectbox(key="conversion.by").set_value("industry").run()
    assert not at.exception
    segments = at.dataframe[1].value
    assert list(segments["industry"]) == ["Finance", "Retail", "Software"]
    assert list(segments["cohort"]) == [3, 3, 4]


def test_velocity_lists_the_stalled_leads(monkeypatch, golden_db):
    at = _on(_app(monkeypatch, golden_db), "pages/velocity.py")
    stalled = at.dataframe[-1].value
    assert sorted(stalled["lead_id"]) == ["L02", "L05"]  # from the hand-off on, by default
    at.pills(key="stalled.stages").set_value(["lead", "sal", "sql"]).run()
    assert sorted(at.dataframe[-1].value["lead_id"]) == ["L02", "L05", "L07"]
    assert {m.label for m in at.metric} == {t("velocity.lead_to_won"), t("velocity.sales_cycle")}


@pytest.mark.parametrize("page", PAGES)
def test_a_filter_that_leaves_no_leads_says_so(monkeypatch, golden_db, page):
    at = _app(monkeypatch, golden_db)
    at.sidebar.multiselect(key="filter.sources").set_value(["Outbound"]).run()
    at.sidebar.multiselect(key="filter.regions").set_value(["APAC"]).run()  # no Outbound lead is in APAC
    at = _on(at, page)
    if page == "pages/data.py":  # data health ignores the filters
        assert len(at.dataframe) == 3
        return
    assert at.info, "an empty selection must explain itself"
    assert not at.get("plotly_chart")
    if page != "pages/velocity.py":
        assert any(s.startswith("No leads match these filters") for s in _texts(at.info))


def test_data_health_shows_rejects_and_missing_tables(monkeypatch, broken_db):
    at = _on(_app(monkeypatch, broken_db), "pages/data.py")
    rejects = at.dataframe[1].value
    assert list(rejects["reason"]) == ["unknown stage"]
    assert list(rejects["value"]) == ["negotiation"]
    assert "Rows rejected: 1" in _texts(at.markdown)  # one row, one reason
    sources = at.dataframe[2].value  # the golden sources, each as counted by [sources] marketing
    assert list(zip(sources["source"], sources["leads"], sources["is_marketing"], strict=True)) == [
        ("Paid Social", 3, True), ("Webinar", 3, True), ("Organic Search", 2, True), ("Outbound", 2, False)]
    missing = at.dataframe[3].value
    assert set(missing["table_name"]) >= {"touches", "campaigns"}
    at.selectbox(key="data.table").set_value("stage_history").run()
    assert not at.exception and len(at.dataframe[1].value) == 1


def test_no_database_explains_how_to_import(monkeypatch, tmp_path):
    at = _app(monkeypatch, tmp_path / "nothing.duckdb")
    assert not at.exception
    assert at.error and "No Closed Loop database" in at.error[0].value
    assert "python -m analytics import" in at.info[0].value


def test_first_start_imports_the_bundled_sample(monkeypatch, tmp_path):
    """No CLOSED_LOOP_DB and no data/closed_loop.duckdb yet: the app builds it from data/sample."""
    import analytics.store.db
    import analytics.ui.store
    default = tmp_path / "data" / "closed_loop.duckdb"
    monkeypatch.delenv("CLOSED_LOOP_DB", raising=False)
    monkeypatch.setattr(analytics.store.db, "DEFAULT_DB", default)
    monkeypatch.setattr(analytics.ui.store, "DEFAULT_DB", default)
    monkeypatch.setattr(analytics.ui.store, "SAMPLE_DIR", GOLDEN_INPUT)  # a small stand-in for data/sample
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT).run()
    assert not at.exception, [e.value for e in at.exception]
    assert default.exists()
    assert {m.label: m.value for m in at.metric}[t("kpi.new_leads")] == "10"


def test_filters_the_data_no_longer_has_are_dropped(monkeypatch, golden_db):
    """Another export was imported while the session was open: its old choices must not break the page."""
    at = _app(monkeypatch, golden_db)
    at.session_state["filter.sources"] = ["Webinar", "a source of the replaced data"]
    at.session_state["filter.period"] = (date(2030, 1, 1), date(2030, 3, 31))
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.session_state["filter.sources"] == ["Webinar"]
    start, end = at.session_state["filter.period"]
    assert end <= date(2026, 2, 26) and start <= end
