"""Drill-down in a real browser (headless Chromium against `streamlit run app.py` on the sample): on every
page with a breakdown table, pick a row, the leads (or deals) behind it appear, pick one, follow its journey
link, and the journey page shows that lead. Screenshots of each page with its list open, in English and
Chinese, go to test-artifacts/. Widgets are found by key, label and role; every step waits for what it
changes — no pixel positions, no fixed sleeps."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from analytics.core.config import load_config
from analytics.importers.load import import_folder
from tests.browser_support import EXCEPTION, FILTERS, IDLE, full_page_screenshot, running_app, sample_folder

pytestmark = pytest.mark.browser

# page, its heading, the key of its breakdown table (the list behind a row has key + ".leads")
PAGES = [
    ("funnel", "Funnel & conversion", "conversion.segments"),
    ("funnel", "Funnel & conversion", "conversion.trend"),
    ("quality", "Lead quality", "quality.segments"),
    ("quality", "Lead quality", "quality.reason_rows"),
    ("sla", "SLA scorecard", "sla.rows.follow_up"),
    ("velocity", "Velocity & stalled leads", "velocity.stages"),
    ("winloss", "Win / loss", "winloss.factor_rows"),
    ("winloss", "Win / loss", "winloss.loss_rows"),
    ("recycling", "Recycling & sales-ready", "recycling.segments"),
    ("revenue", "Revenue contribution", "revenue.models_rows"),
]


@pytest.fixture(scope="module")
def server(tmp_path_factory, chromium):
    db = tmp_path_factory.mktemp("browser_drill") / "closed_loop.duckdb"
    import_folder(sample_folder(), db, load_config(), say=lambda _message: None)
    with running_app(db, tmp_path_factory.mktemp("streamlit_drill")) as url:
        yield url


@pytest.fixture
def page(browser):
    page = browser.new_page(viewport={"width": 1440, "height": 1000})
    yield page
    page.close()


def _settled(page, timeout: int = 45_000) -> None:
    expect(page.locator(IDLE)).to_be_attached(timeout=timeout)
    errors = page.locator(EXCEPTION)
    assert errors.count() == 0, errors.first.inner_text()


def _table(page, key: str):
    """The st.dataframe with this key (Streamlit marks a keyed element's container with st-key-<key>, each
    character other than a letter, digit, _ or - as -)."""
    return page.locator(f'[class~="st-key-{re.sub(r"[^a-zA-Z0-9_-]", "-", key)}"]').get_by_test_id("stDataFrame")


def _pick_row(page, table, row: int = 0) -> None:
    """Tick a row of an st.dataframe: put the grid's cursor on its first cell, then the select-row key."""
    cell = table.locator(f'[role="row"][aria-rowindex="{row + 2}"] [role="gridcell"]').first
    table.scroll_into_view_if_needed()
    table.get_by_test_id("data-grid-canvas").focus()
    cell.focus()
    expect(cell).to_have_attribute("aria-selected", "true")
    page.keyboard.press("Shift+Space")


@pytest.mark.parametrize("path, heading, key", PAGES, ids=[f"{p[0]}:{p[2]}" for p in PAGES])
def test_a_breakdown_row_opens_its_leads_and_their_journey(page, server, path, heading, key):
    page.goto(f"{server}/{path}", wait_until="domcontentloaded")
    expect(page.locator(FILTERS)).to_be_visible(timeout=45_000)
    expect(page.get_by_role("heading", name=heading).first).to_be_visible(timeout=45_000)
    _settled(page)
    _pick_row(page, _table(page, key), 0)
    leads = _table(page, f"{key}.leads")
    expect(leads).to_be_visible(timeout=45_000)  # the list behind the row
    _settled(page)
    expect(leads.locator('[role="row"][aria-rowindex="2"]')).to_be_attached()  # it has leads
    _pick_row(page, leads, 0)
    link = page.get_by_role("link", name=re.compile("Open the journey of"))
    expect(link.first).to_be_visible(timeout=45_000)
    _settled(page)
    full_page_screenshot(page, f"drill_{path}_{key.replace('.', '_')}")
    lead = re.search(r"of (\S+)$", link.first.inner_text().strip()).group(1)
    link.first.click()
    page.wait_for_url(re.compile(rf"/journey\?.*lead={re.escape(lead)}"))
    expect(page.get_by_role("heading", name=re.compile(rf"^{re.escape(lead)} ·"))).to_be_visible(timeout=45_000)
    _settled(page)


@pytest.mark.parametrize("path", ["funnel", "quality", "sla", "velocity", "winloss", "recycling", "revenue"])
def test_the_pages_in_chinese(page, server, path):
    """Screenshots in Chinese with a row's list open (looked at by hand; the run fails on an exception)."""
    key = {p: k for p, _h, k in reversed(PAGES)}[path]
    page.goto(f"{server}/{path}?lang=zh", wait_until="domcontentloaded")
    expect(page.locator(FILTERS)).to_be_visible(timeout=45_000)
    _settled(page)
    _pick_row(page, _table(page, key), 0)
    expect(_table(page, f"{key}.leads")).to_be_visible(timeout=45_000)
    _settled(page)
    full_page_screenshot(page, f"drill_{path}_zh")


def test_a_point_of_conversion_over_time_opens_its_leads(page, server):
    """Click the last point of the first line (the largest source's latest month): its cohort appears."""
    page.goto(f"{server}/funnel", wait_until="domcontentloaded")
    expect(page.get_by_role("heading", name="Conversion over time by segment")).to_be_visible(timeout=45_000)
    _settled(page)
    chart = page.locator('[class~="st-key-funnel-trend_by"]')
    chart.scroll_into_view_if_needed()
    point = chart.locator(".scatterlayer .trace").first.locator("path.point").last
    expect(point).to_be_attached(timeout=30_000)
    point.click(force=True)  # Plotly's drag layer lies over the points and finds the nearest one
    expect(page.get_by_text(re.compile(r"^The \d+ leads from .* that entered MQL in "))).to_be_visible(
        timeout=45_000)
    expect(_table(page, "conversion.trend.leads")).to_be_visible()
    _settled(page)
