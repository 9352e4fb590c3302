"""Page-level choices in the URL (AppTest, from the entrypoint, on the golden example): a link's values
go into the widgets, a value that is not an option falls back to the default without an error, and
the shown choice is written back to the address bar."""
from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]


def _funnel(monkeypatch, db: Path, **params: str) -> AppTest:
    monkeypatch.setenv("CLOSED_LOOP_DB", str(db))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for name, value in params.items():
        at.query_params[name] = value
    at.run()
    at.switch_page("pages/funnel.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_a_links_choices_go_into_the_widgets_and_back_to_the_url(monkeypatch, golden_db):
    at = _funnel(monkeypatch, golden_db, from_stage="lead", to_stage="won", by="industry", window="28",
                 grain="month")
    assert at.selectbox(key="conversion.from").value == "lead"
    assert at.selectbox(key="conversion.to").value == "won"
    assert at.selectbox(key="conversion.by").value == "industry"
    assert at.number_input(key="conversion.window").value == 28
    assert at.button_group(key="flow.grain").value == "month"
    assert {k: at.query_params[k] for k in ("from_stage", "to_stage", "by", "window", "grain")} == {
        "from_stage": "lead", "to_stage": "won", "by": "industry", "window": "28", "grain": "month"}
    assert not at.warning or all("Session State" not in w.value for w in at.warning)


def test_values_that_are_not_options_fall_back_to_the_defaults(monkeypatch, golden_db):
    at = _funnel(monkeypatch, golden_db, from_stage="nope", to_stage="lead", by="lead_id; drop table leads",
                 window="-5", grain="year")
    assert at.selectbox(key="conversion.from").value == "mql"  # the hand-off stage
    assert at.selectbox(key="conversion.to").value == "sql"  # the qualified stage
    assert at.selectbox(key="conversion.by").value == "source"
    assert at.number_input(key="conversion.window").value == 0
    assert at.button_group(key="flow.grain").value == "week"
    assert at.query_params["by"] == "source" and at.query_params["window"] == "0"
