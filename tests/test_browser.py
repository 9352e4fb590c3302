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
    full_page_screenshot,
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
def app_url(tmp_path_factory, chromium):
    db = tmp_path_factory.mktemp("browser") / "closed_loop.duckdb"
    import_folder(sample_folder(), db, load_config(), say=lambda _message: None)
    with running_app(db, tmp_path_factory.mktemp("streamlit")) as url:
        yield url


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


def test_upload_on_the_data_page_imports_with_a_progress_bar(tmp_path, browser):
    """A zip of the golden export uploaded on the Data page replaces the database the app shows."""
    import zipfile

    from tests.browser_support import GOLDEN_INPUT

    db = tmp_path / "closed_loop.duckdb"
    import_folder(sample_folder(), db, load_config(), say=lambda _message: None)
    upload = tmp_path / "golden.zip"
    with zipfile.ZipFile(upload, "w") as archive:
        for path in sorted(GOLDEN_INPUT.iterdir()):
            archive.write(path, path.name)
    def version(page) -> str:  # the Data page's second tile: the version of the data it shows
        return page.locator('[data-testid="stMetricValue"]').nth(1).inner_text()

    with running_app(db, tmp_path) as url:
        page = browser.new_page(viewport={"width": 1440, "height": 1000})
        try:
            page.goto(f"{url}/data", wait_until="domcontentloaded")
            page.wait_for_selector(IDLE, timeout=45_000)
            before = version(page)
            page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(upload))
            # the bar shows only while the import runs (a fraction of a second here): note its arrival
            page.evaluate("""() => { window.sawProgress = false;
                new MutationObserver(() => { window.sawProgress ||= !!document.querySelector(
                    '[data-testid="stProgress"]'); }).observe(document.body, {subtree: true, childList: true}); }""")
            page.get_by_test_id("stBaseButton-secondaryFormSubmit").click()  # enabled once the file is up
            try:
                page.get_by_text("The dashboard now shows this data").wait_for(timeout=60_000)
            except Exception:
                full_page_screenshot(page, "data_upload_fail")
                raise
            page.wait_for_selector(IDLE, timeout=45_000)
            full_page_screenshot(page, "data_upload")
            assert version(page) != before, "the page still shows the replaced data"
            assert page.evaluate("window.sawProgress"), "no progress bar while importing"
            origin = page.locator('[data-testid="stCaptionContainer"]').filter(has_text="Imported from").first
            assert "golden.zip" in origin.inner_text()  # where the data came from, not a temporary folder
            assert page.locator(EXCEPTION).count() == 0
        finally:
            page.close()
    from analytics.db import open_store

    store = open_store(db)
    try:
        assert store.con.execute("select count(*) from leads").fetchall()[0][0] == 10  # the golden ten
    finally:
        store.close()
