"""Drill-down in a real browser (headless Chromium against `streamlit run app.py` on the sample): on every
page with a breakdown table, pick a row, the leads (or deals) behind it appear, pick one, follow its journey
link, and the journey page shows that lead. Screenshots of each page with its list open, in English and
Chinese, go to test-artifacts/. Widgets are found by key, label and role; every step waits for what it
changes — no pixel positions, no fixed sleeps."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser_support import (
    FILTERS,
    app_on_sample,
    full_page_screenshot,
    keyed_table,
    open_page,
    pick_row,
    settled,
)

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
    ("revenue", "Revenue contribution", "revenue.sourcing_rows"),
    ("winloss", "Win / loss", "winloss.reasons.lost"),
    ("winloss", "Win / loss", "winloss.icp_rows"),
    ("sla", "SLA scorecard", "sla.stalled_rows"),
    ("targets", "Targets & velocity", "targets.rows"),
    ("targets", "Targets & velocity", "targets.velocity_rows"),
]
# a period of its own where the sidebar's 90 days have too few deals (a profile segment needs 30 closed)
PERIOD = {"winloss.icp_rows": "from=2025-06-01&"}


@pytest.fixture(scope="module")
def server(tmp_path_factory, chromium):
    with app_on_sample(tmp_path_factory, "drill") as url:
        yield url


@pytest.mark.parametrize("path, heading, key", PAGES, ids=[f"{p[0]}:{p[2]}" for p in PAGES])
def test_a_breakdown_row_opens_its_leads_and_their_journey(page, server, path, heading, key):
    open_page(page, f"{server}/{path}?{PERIOD.get(key, '')}", heading)
    pick_row(page, keyed_table(page, key), 0)
    leads = keyed_table(page, f"{key}.leads")
    expect(leads).to_be_visible(timeout=45_000)  # the list behind the row
    settled(page)
    expect(leads.locator('[role="row"][aria-rowindex="2"]')).to_be_attached()  # it has leads
    pick_row(page, leads, 0)
    link = page.get_by_role("link", name=re.compile("Open the journey of"))
    expect(link.first).to_be_visible(timeout=45_000)
    settled(page)
    full_page_screenshot(page, f"drill_{path}_{key.replace('.', '_')}")
    lead = re.search(r"of (\S+)$", link.first.inner_text().strip()).group(1)
    link.first.click()
    page.wait_for_url(re.compile(rf"/journey\?.*lead={re.escape(lead)}"))
    expect(page.get_by_role("heading", name=re.compile(rf"^{re.escape(lead)} ·"))).to_be_visible(timeout=45_000)
    settled(page)


@pytest.mark.parametrize("path", dict.fromkeys(p for p, _h, _k in PAGES))
def test_the_pages_in_chinese(page, server, path):
    """Screenshots in Chinese with a row's list open (looked at by hand; the run fails on an exception):
    each page's last breakdown of PAGES."""
    key = {p: k for p, _h, k in PAGES}[path]
    page.goto(f"{server}/{path}?{PERIOD.get(key, '')}lang=zh", wait_until="domcontentloaded")
    expect(page.locator(FILTERS)).to_be_visible(timeout=45_000)
    settled(page)
    pick_row(page, keyed_table(page, key), 0)
    expect(keyed_table(page, f"{key}.leads")).to_be_visible(timeout=45_000)
    settled(page)
    full_page_screenshot(page, f"drill_{path}_zh")


def test_a_point_of_conversion_over_time_opens_its_leads(page, server):
    """Click the last point of the first line (the largest source's latest month): its cohort appears."""
    page.goto(f"{server}/funnel", wait_until="domcontentloaded")
    expect(page.get_by_role("heading", name="Conversion over time by segment")).to_be_visible(timeout=45_000)
    settled(page)
    chart = page.locator('[class~="st-key-funnel-trend_by"]')
    chart.scroll_into_view_if_needed()
    point = chart.locator(".scatterlayer .trace").first.locator("path.point").last
    expect(point).to_be_attached(timeout=30_000)
    point.click(force=True)  # Plotly's drag layer lies over the points and finds the nearest one
    expect(page.get_by_text(re.compile(r"^The \d+ leads from .* that entered MQL in "))).to_be_visible(
        timeout=45_000)
    expect(keyed_table(page, "conversion.trend.leads")).to_be_visible()
    settled(page)


def test_a_cell_of_the_stalled_heatmap_opens_its_leads(page, server):
    """Click the second filled cell of the owner × stage heatmap: that owner's stalled leads in that stage."""
    open_page(page, f"{server}/sla", "SLA scorecard")
    chart = page.locator('[class~="st-key-sla-stalled"]')
    chart.scroll_into_view_if_needed()
    cell = chart.locator(".scatterlayer .trace path.point").nth(1)  # each filled cell carries a clear marker
    expect(cell).to_be_attached(timeout=30_000)
    cell.click(force=True)
    expect(page.get_by_text(re.compile(r"^The \d+ leads of .* stalled in .* at "))).to_be_visible(timeout=45_000)
    expect(keyed_table(page, "sla.stalled_rows.leads")).to_be_visible()
    settled(page)
