"""The dashboard in a real browser: what AppTest cannot see (Plotly charts drawn by the frontend).

Starts `streamlit run app.py` on a free port against a database imported from data/sample (the
golden example when the sample is absent), opens every page in headless Chromium, and checks that a
Plotly chart is drawn and no Streamlit exception is shown. Screenshots go to test-artifacts/.
"""
from __future__ import annotations

import pytest

from analytics.config import load_config
from analytics.importer import import_folder
from tests.browser_support import (
    EXCEPTION,
    FILTERS,
    IDLE,
    chromium_browser,
    full_page_screenshot,
    require_chromium,
    running_app,
    sample_folder,
)

# url path of each page (st.Page infers it from the file name; the default page is the root). The
# first one is a deep link on a fresh server, which must still get the frame (see cache.ensure_frame).
# page -> (url path, charts it draws at least on the sample)
PAGES = {"velocity": ("velocity", 1), "overview": ("", 1), "funnel": ("funnel", 1), "data": ("data", 1),
         "quality": ("quality", 3), "sla": ("sla", 4), "recycling": ("recycling", 3), "winloss": ("winloss", 4),
         "revenue": ("revenue", 3), "targets": ("targets", 3)}

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def chromium():
    return require_chromium()


@pytest.fixture(scope="module")
def app_url(tmp_path_factory, chromium):
    db = tmp_path_factory.mktemp("browser") / "closed_loop.duckdb"
    import_folder(sample_folder(), db, load_config(), say=lambda _message: None)
    with running_app(db, tmp_path_factory.mktemp("streamlit")) as url:
        yield url


@pytest.fixture(scope="module")
def browser(chromium):
    with chromium_browser(chromium) as browser:
        yield browser


@pytest.mark.parametrize("name", list(PAGES))
def test_page_draws_its_charts_and_no_exception(browser, app_url, name):
    path, charts = PAGES[name]
    page = browser.new_page(viewport={"width": 1440, "height": 1000})
    try:
        page.goto(f"{app_url}/{path}", wait_until="domcontentloaded")
        page.wait_for_selector(".js-plotly-plot .main-svg", timeout=45_000)
        page.wait_for_selector(IDLE, timeout=45_000)
        full_page_screenshot(page, name)
        exceptions = page.locator(EXCEPTION)
        assert exceptions.count() == 0, exceptions.first.inner_text()
        assert page.locator(".js-plotly-plot").count() >= charts
        assert page.locator(FILTERS).count() == 1, "the page ran without app.py's sidebar filters"
    finally:
        page.close()
