"""The strategy page in a real browser, on the sample company: the growth–share matrix draws one bubble
per product in all four quadrants with the uncertain ones marked "?", on log axes, and the waterfall of
the growth paths; in Chinese too."""
from __future__ import annotations

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
    db = tmp_path_factory.mktemp("strategy_browser") / "closed_loop.duckdb"
    import_folder(SAMPLE, db, load_config(), say=lambda _message: None)
    with running_app(db, tmp_path_factory.mktemp("strategy_streamlit")) as url:
        yield url


@pytest.mark.parametrize(("lang", "axis", "waterfall"), [("en", "log scale", "Market penetration"),
                                                         ("zh", "对数刻度", "市场渗透")])
def test_the_matrix_and_the_waterfall_draw(browser, app_url, lang, axis, waterfall):
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
