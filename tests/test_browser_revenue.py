"""The hand-off and revenue pages in a real browser: each draws its Plotly charts and no exception,
on a database imported from data/sample. Screenshots go to test-artifacts/.

The server, the browser and the Chromium check (skip without /usr/bin/chromium, fail in CI) are the
fixtures of tests/test_browser.py, so both files start the app the same way (tests/browser_support.py).
"""
from __future__ import annotations

import pytest

from tests.browser_support import EXCEPTION, FILTERS, IDLE, full_page_screenshot
from tests.test_browser import app_url, browser, chromium  # noqa: F401  (fixtures)

# url path of each page (st.Page infers it from the file name) -> charts it draws at least on the sample
PAGES = {"quality": 3, "sla": 4, "recycling": 3, "winloss": 4, "revenue": 3, "targets": 3}

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("name", list(PAGES))
def test_page_draws_its_charts_and_no_exception(browser, app_url, name):  # noqa: F811
    page = browser.new_page(viewport={"width": 1440, "height": 1000})
    try:
        page.goto(f"{app_url}/{name}", wait_until="domcontentloaded")
        page.wait_for_selector(".js-plotly-plot .main-svg", timeout=45_000)
        page.wait_for_selector(IDLE, timeout=45_000)
        full_page_screenshot(page, name)
        exceptions = page.locator(EXCEPTION)
        assert exceptions.count() == 0, exceptions.first.inner_text()
        # every chart of the page is in the document, the SLA tabs' hidden ones included
        assert page.locator(".js-plotly-plot").count() >= PAGES[name]
        assert page.locator(FILTERS).count() == 1, "the page ran without app.py's sidebar filters"
    finally:
        page.close()
