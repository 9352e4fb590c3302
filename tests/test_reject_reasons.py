"""The import's reject reasons in the UI's language: the importer stores each reason in English (the
`reject.*` messages name them); the Data page and the upload preview show them through a message with
the variable parts filled in, and keep the stored reason in the CSV. In Chinese no English reason shows."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from analytics.core.config import load_config
from analytics.core.schema import TABLES
from analytics.i18n import messages
from analytics.importers.load import import_folder
from analytics.views.data import reason_text, reasons_in_words
from tests.conftest import rejecting_export

ROOT = Path(__file__).resolve().parents[1]
HAN = re.compile(r"[\u4e00-\u9fff]")
# reasons with variable parts, as the importer writes them (load_table.py, formats/common.py, formats/dates.py)
VARIABLE = ["not a valid timestamp", "not a valid number", "duplicate lead_id with different content",
            "expected 11 fields, found 9", "unreadable date/time format (expected e.g. 2024-03-05 14:30)",
            "not a calendar date: there is no month 13", "not a calendar date: February 2026 has 28 days, no 30th",
            "not a time of day: 25:10", "not a date (value ignored)",
            "timestamp outside the years 1900–2199", "date outside the years 1900–2199"]


def _written_reasons() -> set[str]:
    """The fixed reasons the importer writes: every schema row rule's, and each text literal with a space
    handed to a reject (reject(), Reject(), the formats' own) in analytics/importers."""
    found = {reason for table in TABLES.values() for _column, _rule, reason in table.checks}
    for path in (ROOT / "analytics" / "importers").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            name = getattr(node, "func", None) and (getattr(node.func, "attr", None) or getattr(node.func, "id", None))
            if name in ("reject", "Reject", "_reject"):
                found |= {a.value for a in node.args[2:] if isinstance(a, ast.Constant) and isinstance(a.value, str)
                          and " " in a.value.strip()}
    return found


@pytest.fixture
def chinese():
    messages.set_language("zh")
    yield
    messages.set_language("en")


def test_every_reason_the_importer_writes_reads_in_chinese(chinese):
    written = _written_reasons()
    assert {"required value missing", "unknown stage", "exact duplicate of an earlier row"} <= written
    for reason in sorted(written | set(VARIABLE)):
        shown = reason_text(reason)
        assert shown != reason and HAN.search(shown), f"{reason!r} has no Chinese message"


def test_variable_parts_are_kept():
    messages.set_language("zh")
    try:
        assert reason_text("expected 11 fields, found 9") == "应有 11 个字段，实际 9 个"
        assert reason_text("not a calendar date: February 2026 has 28 days, no 30th") == (
            "不是有效日期：2026年2月只有 28 天，没有 30 日")
        assert reason_text("duplicate lead_id with different content") == "lead_id 重复且内容不同"
    finally:
        messages.set_language("en")
    # in English the shown reason is the stored one, word for word
    for reason in sorted(_written_reasons() | set(VARIABLE)):
        assert reason_text(reason) == reason


@pytest.fixture(scope="module")
def rejecting_db(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("rejecting") / "rejecting.duckdb"
    import_folder(rejecting_export(tmp_path_factory.mktemp("rejecting_export")), db, load_config(),
                  say=lambda _message: None)
    return db


def test_the_chinese_data_page_shows_no_english_reason(monkeypatch, rejecting_db):
    monkeypatch.setenv("CLOSED_LOOP_DB", str(rejecting_db))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params.update({"lang": "zh"})
    at = at.run()
    at.switch_page("pages/data.py").run()
    assert not at.exception, [e.value for e in at.exception]
    rejects = next(d.value for d in at.dataframe if "reason_text" in d.value.columns)
    assert len(rejects) >= 8 and rejects["reason"].nunique() >= 6  # the stored English, beside (hidden)
    for english, shown in zip(rejects["reason"], rejects["reason_text"], strict=True):
        assert shown != english and HAN.search(shown), f"{english!r} shows in English"
    assert "not a valid timestamp" in set(rejects["reason"])  # a reason with a variable part among them


def test_the_frame_keeps_the_stored_reason_beside():
    import polars as pl
    frame = pl.DataFrame({"line": [2], "reason": ["unknown stage"]})
    assert reasons_in_words(frame).columns == ["line", "reason_text", "reason"]
