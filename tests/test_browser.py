"""The dashboard in a real browser: what AppTest cannot see (Plotly charts drawn by the frontend).

Starts `streamlit run app.py` on a free port against a database imported from data/sample (the
golden example when the sample is absent), opens every page in headless Chromium, and checks that a
Plotly chart is drawn and no Streamlit exception is shown. Screenshots go to test-artifacts/.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from analytics.config import load_config
from analytics.importer import import_folder

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "sample"
GOLDEN_INPUT = ROOT.parent / "shared" / "spec" / "golden" / "input"
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
# url path of each page (st.Page infers it from the file name; the default page is the root). The
# first one is a deep link on a fresh server, which must still get the frame (see cache.ensure_frame).
PAGES = {"velocity": "velocity", "overview": "", "funnel": "funnel", "data": "data"}
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
FILTERS = '[data-testid="stSidebar"] [data-testid="stDateInput"]'

pytestmark = pytest.mark.browser


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
            return response.read().decode().strip() == "ok"
    except OSError:
        return False


@pytest.fixture(scope="module")
def chromium() -> Path:
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} not found: install it with `apt-get install -y chromium fonts-noto-cjk`"
        if os.environ.get("CI") == "true":
            pytest.fail(f"browser tests must run in CI; {reason}")
        pytest.skip(reason)
    return CHROMIUM


@pytest.fixture(scope="module")
def app_url(tmp_path_factory, chromium) -> str:
    folder = SAMPLE if (SAMPLE / "leads.csv").exists() else GOLDEN_INPUT
    db = tmp_path_factory.mktemp("browser") / "closed_loop.duckdb"
    import_folder(folder, db, load_config(), say=lambda _message: None)
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log = open(tmp_path_factory.mktemp("streamlit") / "server.log", "w+")
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
         "--server.fileWatcherType", "none"],
        cwd=ROOT, env={**os.environ, "CLOSED_LOOP_DB": str(db), "PYTHONPATH": str(ROOT)},
        stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while not _healthy(url):
            if server.poll() is not None or time.monotonic() > deadline:
                log.seek(0)
                pytest.fail(f"streamlit did not become healthy:\n{log.read()[-3000:]}")
            time.sleep(0.3)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


@pytest.fixture(scope="module")
def browser(chromium):
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.mark.parametrize("name", list(PAGES))
def test_page_draws_a_chart_and_no_exception(browser, app_url, name):
    page = browser.new_page(viewport={"width": 1440, "height": 1000})
    try:
        page.goto(f"{app_url}/{PAGES[name]}", wait_until="domcontentloaded")
        page.wait_for_selector(".js-plotly-plot .main-svg", timeout=45_000)
        page.wait_for_selector(IDLE, timeout=45_000)
        # the main area scrolls inside the app, so grow the viewport to the content for a full shot
        height = page.evaluate("() => document.querySelector('[data-testid=stMain]').scrollHeight")
        page.set_viewport_size({"width": 1440, "height": min(max(height, 1000) + 40, 8000)})
        page.wait_for_timeout(800)  # let charts redraw at the new size
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
        exceptions = page.locator('[data-testid="stException"]')
        assert exceptions.count() == 0, exceptions.first.inner_text()
        assert page.locator(".js-plotly-plot .main-svg").count() >= 1
        assert page.locator(FILTERS).count() == 1, "the page ran without app.py's sidebar filters"
    finally:
        page.close()
