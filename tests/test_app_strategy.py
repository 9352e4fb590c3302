"""The Strategy page from the entrypoint (AppTest) on the bundled sample: the plain-words summary first,
the matrix and the waterfall, the four quadrants, period/units/basis in the URL, the deals behind a growth
path with journey links, in English and Chinese; and on the golden example (too little history) it explains
instead of failing."""
from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from analytics.core.config import load_config
from analytics.i18n.messages import set_language, t
from analytics.importers.load import import_folder
from analytics.store.db import SAMPLE_DIR

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT = 90


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("strategy") / "sample.duckdb"
    import_folder(SAMPLE_DIR, db, load_config(), say=lambda _m: None)
    return db


def _page(monkeypatch, db: Path, params: dict | None = None) -> AppTest:
    monkeypatch.setenv("CLOSED_LOOP_DB", str(db))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.query_params.update(params or {})
    at.run()
    at.switch_page("pages/strategy.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_strategy_page_on_the_sample(monkeypatch, sample_db):
    at = _page(monkeypatch, sample_db)
    assert at.title[0].value == t("strategy.title")
    summary = at.markdown[0].value
    for quadrant in ("star", "cash_cow", "question_mark", "dog"):
        assert t(f"strategy.quadrant.{quadrant}").lower() in summary.lower(), quadrant
    assert "**Enterprise** is a question mark" in summary
    assert len(at.get("plotly_chart")) == 2  # matrix, waterfall
    assert (at.query_params["period"], at.query_params["relative"]) == ("6m", "competitor")
    table = at.dataframe[0].value
    assert set(table["unit"]) == {"Core", "Analytics", "Enterprise", "Insights"}


def test_strategy_choices_come_from_the_url(monkeypatch, sample_db):
    at = _page(monkeypatch, sample_db, {"period": "2026", "unit": ["product", "region"], "relative": "bookings"})
    assert at.selectbox(key="strategy.period").value == "2026"
    assert at.multiselect(key="strategy.unit").value == ["product", "region"]
    units = at.dataframe[0].value["unit"].tolist()
    assert all(" · " in u for u in units)
    at = _page(monkeypatch, sample_db, {"period": "1999", "unit": ["not a column"]})  # not options: defaults
    assert at.selectbox(key="strategy.period").value == "6m"
    assert set(at.dataframe[0].value["unit"]) == {"Core", "Analytics", "Enterprise", "Insights"}  # [strategy] unit


def test_strategy_page_in_chinese(monkeypatch, sample_db):
    at = _page(monkeypatch, sample_db, {"lang": "zh"})
    try:
        set_language("zh")
        assert at.title[0].value == t("strategy.title")
        assert "问题业务" in at.markdown[0].value
    finally:
        set_language("en")


def test_strategy_page_explains_short_history(monkeypatch, golden_db):
    at = _page(monkeypatch, golden_db)
    assert at.title[0].value == t("strategy.title")
