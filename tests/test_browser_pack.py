"""The review pack from the pages' download buttons, in a real browser (headless Chromium against
`streamlit run app.py` on the sample, the meeting database in a temporary folder): the weekly page's
PDF and HTML in English and Chinese, with the figures frozen at the meeting of that week, and the
monthly page's PDF. Skips without /usr/bin/chromium unless CI=true.

Buttons are found by their labels; each step waits for the download it starts."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from analytics.core.config import load_config
from analytics.engine.weekly import last_complete_week, week_summary
from analytics.i18n.messages import MESSAGES
from analytics.importers.load import import_folder
from analytics.store.db import open_store
from analytics.store.meetings import MeetingStore
from tests.browser_support import IDLE, running_app, sample_folder

pytestmark = pytest.mark.browser
BUTTONS = {"en": ("Download (HTML)", "Download (PDF)"), "zh": ("下载（HTML）", "下载（PDF）")}
TITLES = {"en": "Weekly review", "zh": "每周复盘"}


@pytest.fixture(scope="module")
def server(tmp_path_factory, chromium):
    """(url, the last complete week) of a running app on the sample, that week frozen at its meeting."""
    db = tmp_path_factory.mktemp("browser_pack") / "closed_loop.duckdb"
    import_folder(sample_folder(), db, load_config(), say=lambda _message: None)
    store = open_store(db)
    latest = last_complete_week(store)
    meetings = MeetingStore(tmp_path_factory.mktemp("meetings") / "meetings.duckdb")
    meetings.freeze("weekly", latest.label, week_summary(store, latest).select("measure", "value"),
                    store.data_version, store.default_as_of)
    meetings.add_action(latest.label, "Ada Lovelace", "Call back the webinar leads breached on follow-up")
    store.close()
    with running_app(db, tmp_path_factory.mktemp("streamlit_pack"), CLOSED_LOOP_MEETINGS=str(meetings.path)) as url:
        yield url, latest


def _download(page, name: str, path) -> bytes:
    button = page.get_by_role("button", name=name)
    expect(button).to_be_visible(timeout=45_000)
    with page.expect_download(timeout=60_000) as download:
        button.click()
    download.value.save_as(path)
    return path.read_bytes()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_weekly_page_downloads_its_pack(browser, server, tmp_path, lang):
    url, latest = server
    page = browser.new_page(viewport={"width": 1440, "height": 1000})
    try:
        page.goto(f"{url}/weekly?lang={lang}&week={latest.label}", wait_until="domcontentloaded")
        expect(page.locator(IDLE)).to_be_attached(timeout=60_000)
        html_name, pdf_name = BUTTONS[lang]
        text = _download(page, html_name, tmp_path / "pack.html").decode("utf-8")
        assert f"{TITLES[lang]} {latest.label}" in text
        assert "Call back the webinar leads breached on follow-up" in text and "Plotly.newPlot" in text
        assert MESSAGES[lang]["weekly.snapshot_same"] in text  # the figures frozen at that meeting
        assert text.count("<svg class='chart'") >= 2  # what moved, conversion: the print half
        pdf = _download(page, pdf_name, tmp_path / "pack.pdf")
        assert pdf.startswith(b"%PDF") and len(pdf) > 20_000
    finally:
        page.close()
