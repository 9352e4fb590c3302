"""Names and plain words in a real browser, on the sample company: the journey names the lead and
finds it by name, the ROI chart draws immature campaigns (amber) on a log axis, win/loss opens
with its verdict in words, the statistics folded away, and the strategy page's growth–share matrix
draws the four products on log axes with the uncertain ones marked "?", beside the growth-path
waterfall, in English and Chinese."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from analytics.core.config import load_config
from analytics.importers.load import import_folder
from tests.browser_support import EXCEPTION, IDLE, SAMPLE, running_app

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def app_url(tmp_path_factory, chromium):
    if not (SAMPLE / "leads.csv").exists():
        pytest.skip("the sample company is not in data/sample")
    db = tmp_path_factory.mktemp("names_browser") / "closed_loop.duckdb"
    import_folder(SAMPLE, db, load_config(), say=lambda _message: None)
    with running_app(db, tmp_path_factory.mktemp("names_streamlit")) as url:
        yield url


def _open(browser, url: str):
    page = browser.new_page(viewport={"width": 1440, "height": 1400})
    page.goto(url, wait_until="domcontentloaded")
    page.wait_for_selector(IDLE, timeout=60_000)
    return page


def test_the_journey_names_the_lead_and_finds_it_by_name(browser, app_url):
    page = _open(browser, f"{app_url}/journey?lead=L00002")
    try:
        heading = page.get_by_role("heading", name=re.compile(r"^L00002 · Noah Fischer, Orbitgate Energy BV"))
        expect(heading).to_be_visible(timeout=30_000)
        page.get_by_label("Find a lead or account").fill("noah.fischer@orbitgateenergy")
        page.get_by_label("Find a lead or account").press("Enter")
        expect(page.get_by_test_id("stDataFrame").first).to_be_visible(timeout=30_000)
        page.wait_for_selector(IDLE, timeout=60_000)
        assert page.locator(EXCEPTION).count() == 0
        assert page.get_by_text("No lead's name, e-mail").count() == 0  # the e-mail was found
    finally:
        page.close()


def test_the_roi_chart_draws_immature_campaigns_on_a_log_axis(browser, app_url):
    page = _open(browser, f"{app_url}/revenue")
    try:
        roi = page.locator(".js-plotly-plot").filter(has_text="break-even")
        expect(roi).to_have_count(1, timeout=45_000)
        expect(roi).to_contain_text("Immature: pipeline open, no revenue yet")
        expect(roi).to_contain_text("log scale")
        expect(roi).to_contain_text("10×")  # a log axis reads in multiples
        assert page.locator(EXCEPTION).count() == 0
    finally:
        page.close()


def test_win_loss_opens_with_its_verdict_in_words(browser, app_url):
    page = _open(browser, f"{app_url}/winloss")
    try:
        main = page.get_by_test_id("stMain")
        expect(main).to_contain_text("chance", timeout=45_000)
        expect(main).not_to_contain_text("factor values separate wins from losses")  # the old opening
        expander = page.get_by_test_id("stExpander").filter(has_text="How this was tested").first
        expect(expander).to_be_visible()
        assert "Benjamini" not in main.inner_text().split("How this was tested")[0]  # jargon folded away
        assert page.locator(EXCEPTION).count() == 0
    finally:
        page.close()


@pytest.mark.parametrize(("lang", "axis", "waterfall"), [("en", "log scale", "Market penetration"),
                                                         ("zh", "对数刻度", "市场渗透")])
def test_the_strategy_matrix_and_waterfall_draw(browser, app_url, lang, axis, waterfall):
    page = browser.new_page(viewport={"width": 1440, "height": 1400})
    try:
        page.goto(f"{app_url}/strategy?lang={lang}", wait_until="domcontentloaded")
        page.wait_for_selector(IDLE, timeout=60_000)
        charts = page.locator(".js-plotly-plot")
        expect(charts).to_have_count(2, timeout=45_000)
        matrix = charts.nth(0)
        expect(matrix).to_contain_text(axis)
        for unit in ("Enterprise", "Analytics", "Insights ?", "Core ?"):  # uncertain placements marked
            expect(matrix).to_contain_text(unit)
        expect(charts.nth(1)).to_contain_text(waterfall)
        assert page.locator(EXCEPTION).count() == 0
    finally:
        page.close()
