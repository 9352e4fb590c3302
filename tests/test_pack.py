"""The review pack: renders offline (plotly.js inlined, no http(s) script, link or image source), its
what-moved figures are the weekly page's engine figures, it speaks Chinese on request (CLI --lang,
CLOSED_LOOP_LANG), and prints to PDF where Chromium exists."""
from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest

from analytics.core.filters import Filters
from analytics.engine import weekly
from analytics.i18n.messages import MESSAGES
from analytics.outputs import pack
from analytics.store.db import open_store
from analytics.store.meetings import MeetingStore
from analytics.views import weekly as weekly_views
from tests.conftest import in_ci, run_cli

CHROMIUM = Path("/usr/bin/chromium")


class _Pack(HTMLParser):
    """The external sources a page would fetch, and the text of every table cell, table by table."""

    def __init__(self) -> None:
        super().__init__()
        self.sources: list[str] = []
        self.tables: list[list[list[str]]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in ("src", "href"):
            if tag in ("script", "link", "img", "iframe") and attrs.get(name):
                self.sources.append(attrs[name])
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.tables[-1][-1].append("".join(self._cell).strip())
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def _parsed(text: str) -> _Pack:
    parser = _Pack()
    parser.feed(text)
    return parser


@pytest.fixture
def meetings(tmp_path) -> MeetingStore:
    return MeetingStore(tmp_path / "meetings.duckdb")


def _number(cell: str) -> float | None:
    return float(cell.replace(",", "")) if cell else None


@pytest.mark.parametrize("filters", [Filters(), Filters(sources=("Webinar",))])
def test_the_weekly_pack_is_offline_and_has_the_pages_figures(golden_store, meetings, filters):
    week = weekly.last_complete_week(golden_store).shift(-2)
    meetings.add_action(week.label, "Ada", "Call the webinar leads", lead_id="L02")
    text = pack.build(golden_store, "weekly", week.label, filters, meetings)
    parsed = _parsed(text)
    assert not [s for s in parsed.sources if s.lower().startswith(("http:", "https:", "//"))], parsed.sources
    assert "Plotly.newPlot" in text and "<script type='text/javascript'>" in text  # plotly.js inlined

    summary = weekly.week_summary(golden_store, week, filters)  # what the weekly page calls
    # the pack is the page: its what-moved table is the page's (weekly_views.moved_shown), cell for cell
    moved = weekly_views.moved_table(summary, weekly_views.review_measures(golden_store.cfg.main_stages))
    head, *rows = parsed.tables[0]
    assert len(rows) == moved.height
    column = head.index(MESSAGES["en"]["weekly.col.value"])
    for row, (measure, value) in zip(rows, moved.select("measure", "value").iter_rows(), strict=True):
        assert row[column] == weekly_views.fmt_measure(measure, value), measure
        if measure not in weekly_views.MONEY:
            assert _number(row[column]) == pytest.approx(value), measure
    assert rows == [list(r) for r in weekly_views.moved_shown(moved).rows()]
    assert any("Call the webinar leads" in cell for table in parsed.tables for r in table for cell in r)


def test_the_monthly_pack_is_offline(golden_store):
    parsed = _parsed(pack.build(golden_store, "monthly"))
    assert not [s for s in parsed.sources if s.lower().startswith(("http:", "https:", "//"))]
    assert parsed.tables, "the monthly pack has its tables"


@pytest.mark.parametrize("how", ["--lang", "CLOSED_LOOP_LANG"])
def test_the_pack_in_chinese_from_the_cli(golden_db, tmp_path, how):
    out = tmp_path / "pack.html"
    args = ["pack", "weekly", "--week", "2026-W03", "--db", golden_db, "--out", out]
    env = {"CLOSED_LOOP_MEETINGS": str(tmp_path / "m.duckdb")}
    if how == "--lang":
        args += ["--lang", "zh"]
    else:
        env["CLOSED_LOOP_LANG"] = "zh"
    result = run_cli(*args, env=env)
    assert result.returncode == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    assert "<html lang='zh-CN'>" in text
    assert "每周复盘 2026-W03" in text and MESSAGES["zh"]["pack.what_moved"] in text
    head = _parsed(text).tables[0][0]
    assert head[0] == MESSAGES["zh"]["col.measure"]


def test_the_pack_prints_to_pdf(golden_store, tmp_path):
    if not CHROMIUM.exists():
        if in_ci():
            pytest.fail(f"{CHROMIUM} is needed in CI for the PDF pack")
        pytest.skip(f"{CHROMIUM} not found: the PDF pack needs Chromium")
    out = pack.write(pack.build(golden_store, "weekly", "2026-W03"), tmp_path / "pack.pdf")
    data = out.read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 10_000


def test_the_pack_reads_a_week_as_the_page_does(golden_db):
    store = open_store(golden_db)
    try:
        with pytest.raises(weekly.MetricError, match="not an ISO week"):
            pack.build(store, "weekly", "last week")
    finally:
        store.close()
