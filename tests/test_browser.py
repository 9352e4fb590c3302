"""The dashboard in a real browser: what AppTest cannot see (Plotly charts drawn by the frontend).

Starts `streamlit run app.py` on a free port against a database imported from data/sample (the
golden example when the sample is absent), opens every page in headless Chromium, and checks that a
Plotly chart is drawn and no Streamlit exception is shown. Screenshots go to test-artifacts/.
"""
from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from analytics.core.config import load_config
from analytics.importers.load import import_folder
from analytics.store.db import open_store
from tests.browser_support import (
    EXCEPTION,
    FILTERS,
    GOLDEN_INPUT,
    IDLE,
    app_on_sample,
    full_page_screenshot,
    running_app,
    sample_folder,
)

# url path of each page (st.Page infers it from the file name; the default page is the root). The
# first one is a deep link on a fresh server, which must still get the frame (see state.ensure_frame).
# page -> (url path, charts it draws at least on the sample)
PAGES = {"velocity": ("velocity", 1), "overview": ("", 1), "funnel": ("funnel", 1), "data": ("data", 1),
         "quality": ("quality", 3), "sla": ("sla", 4), "recycling": ("recycling", 3), "winloss": ("winloss", 4),
         "revenue": ("revenue", 4), "targets": ("targets", 3)}

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def app_url(tmp_path_factory, chromium):
    with app_on_sample(tmp_path_factory, "app") as url:
        yield url


@pytest.mark.parametrize("name", list(PAGES))
def test_page_draws_its_charts_and_no_exception(browser, app_url, name):
    path, charts = PAGES[name]
    page = browser.new_page(viewport={"width": 1440, "height": 1000})
    try:
        page.goto(f"{app_url}/{path}", wait_until="domcontentloaded")
        page.wait_for_selector(".js-plotly-plot .main-svg", timeout=45_000)
        page.wait_for_selector(IDLE, timeout=45_000)
        # the browser draws a page's charts after its run has finished, some a second later: wait for
        # the last one it must draw rather than count them once (a CI run counted 1 of targets' 3)
        page.locator(".js-plotly-plot").nth(charts - 1).wait_for(state="attached", timeout=30_000)
        full_page_screenshot(page, name)
        exceptions = page.locator(EXCEPTION)
        assert exceptions.count() == 0, exceptions.first.inner_text()
        assert page.locator(FILTERS).count() == 1, "the page ran without app.py's sidebar filters"
    finally:
        page.close()


def _zip(path: Path, files: list[Path]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for file in files:
            archive.write(file, file.name)
    return path


def test_upload_on_the_data_page_imports_with_a_progress_bar(tmp_path, browser):
    """A zip without leads.csv is refused and changes nothing; a zip of the golden export then replaces
    the database the app shows once confirmed, with a progress bar while it imports."""
    db = tmp_path / "closed_loop.duckdb"
    import_folder(sample_folder(), db, load_config(), say=lambda _message: None)
    golden = sorted(GOLDEN_INPUT.iterdir())
    broken = _zip(tmp_path / "no_leads.zip", [p for p in golden if p.name != "leads.csv"])
    good = _zip(tmp_path / "golden.zip", golden)

    def version(page) -> str:  # the version of the data the page shows (its "Data version" tile)
        tile = page.locator('[data-testid="stMetric"]').filter(has_text="Data version")
        return tile.locator('[data-testid="stMetricValue"]').inner_text(timeout=45_000)

    def upload(page, zip_file: Path) -> None:
        page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(zip_file))
        # the file listed in the uploader first: a click before its upload starts submits no file (a busy
        # machine's race); once it is listed the button is enabled only when the file is up
        page.locator('[data-testid="stFileUploader"]').get_by_text(zip_file.name).wait_for(timeout=45_000)
        page.get_by_test_id("stBaseButton-secondaryFormSubmit").click()

    with running_app(db, tmp_path) as url:
        page = browser.new_page(viewport={"width": 1440, "height": 1000})
        try:
            page.goto(f"{url}/data", wait_until="domcontentloaded")
            page.wait_for_selector(IDLE, timeout=45_000)
            before = version(page)
            upload(page, broken)
            page.get_by_text("Import stopped, the current data is unchanged").wait_for(timeout=60_000)
            refusal = page.locator('[data-testid="stAlert"]').filter(has_text="Import stopped").inner_text()
            assert "no_leads.zip: no leads.csv" in refusal  # named by the upload, not a temporary folder
            full_page_screenshot(page, "data_upload_refused")
            assert version(page) == before

            # the bar shows only while the import runs (a fraction of a second here): note its arrival
            page.evaluate("""() => { window.sawProgress = false;
                new MutationObserver(() => { window.sawProgress ||= !!document.querySelector(
                    '[data-testid="stProgress"]'); }).observe(document.body, {subtree: true, childList: true}); }""")
            upload(page, good)
            page.get_by_role("button", name="Put live for everyone").click(timeout=60_000)  # previewed first
            page.get_by_text("The dashboard now shows this data").wait_for(timeout=60_000)
            page.wait_for_selector(IDLE, timeout=45_000)
            full_page_screenshot(page, "data_upload")
            assert version(page) != before, "the page still shows the replaced data"
            assert page.evaluate("window.sawProgress"), "no progress bar while importing"
            origin = page.locator('[data-testid="stCaptionContainer"]').filter(has_text="Imported from").first
            assert "golden.zip" in origin.inner_text()  # where the data came from, not a temporary folder
            assert page.locator(EXCEPTION).count() == 0
        finally:
            page.close()
    store = open_store(db)
    try:
        assert store.con.execute("select count(*) from leads").fetchall()[0][0] == 10  # the golden ten
    finally:
        store.close()
