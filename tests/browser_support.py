"""What the browser tests share: Debian's Chromium (skip without it, fail in CI), a running
`streamlit run app.py` on a free port, and a Playwright browser.

Pages are checked on a database imported from data/sample (the golden example when the sample is
absent); screenshots go to test-artifacts/.
"""
from __future__ import annotations

import contextlib
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import GOLDEN_INPUT, in_ci

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "sample"
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
EXCEPTION = '[data-testid="stException"]'
FILTERS = '[data-testid="stSidebar"] [data-testid="stDateInput"]'


def require_chromium() -> Path:
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} not found: install it with `apt-get install -y chromium fonts-noto-cjk`"
        if in_ci():
            pytest.fail(f"browser tests must run in CI; {reason}")
        pytest.skip(reason)
    return CHROMIUM


def sample_folder() -> Path:
    return SAMPLE if (SAMPLE / "leads.csv").exists() else GOLDEN_INPUT


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


@contextlib.contextmanager
def running_app(db: Path, log_dir: Path, **env: str) -> Iterator[str]:
    """Start the app on db (plus extra environment), wait for /_stcore/health, yield its URL."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    environment = {**os.environ, "CLOSED_LOOP_DB": str(db), "PYTHONPATH": str(ROOT), **env}
    environment.pop("CLOSED_LOOP_LANG", None)
    log = open(log_dir / "server.log", "w+")
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
        cwd=ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT)
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


@contextlib.contextmanager
def app_on_sample(tmp_path_factory, name: str, **env: str) -> Iterator[str]:
    """The app on a database imported from the sample (a folder of its own per test module `name`)."""
    from analytics.core.config import load_config
    from analytics.importers.load import import_folder

    db = tmp_path_factory.mktemp(f"browser_{name}") / "closed_loop.duckdb"
    import_folder(sample_folder(), db, load_config(), say=lambda _message: None)
    with running_app(db, tmp_path_factory.mktemp(f"streamlit_{name}"), **env) as url:
        yield url


@contextlib.contextmanager
def chromium_browser(chromium: Path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


CHARTS_DRAWN = """() => [...document.querySelectorAll('.js-plotly-plot')].every(plot => {
    const svg = plot.querySelector('.main-svg');
    return svg && Math.abs(svg.getBoundingClientRect().width - plot.getBoundingClientRect().width) < 2;
})"""  # every Plotly chart drawn at its container's size


def full_page_screenshot(page, name: str) -> None:
    """The main area scrolls inside the app: grow the viewport to the content, wait until every chart
    is drawn at the new size, shoot, and give the page its size back."""
    size = page.viewport_size
    height = page.evaluate("() => document.querySelector('[data-testid=stMain]').scrollHeight")
    page.set_viewport_size({"width": 1440, "height": min(max(height, 1000) + 40, 9000)})
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
    page.wait_for_function(CHARTS_DRAWN, timeout=30_000)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    page.set_viewport_size(size)


# --- driving a page: open it, wait for its run to end, find a table by key, pick a row

def settled(page, timeout: int = 45_000) -> None:
    """The script run has finished and shows no exception. Call it after waiting for what an action
    changes (a text, the URL): a click starts its run a moment later, so idle alone proves nothing."""
    from playwright.sync_api import expect

    expect(page.locator(IDLE)).to_be_attached(timeout=timeout)
    errors = page.locator(EXCEPTION)
    assert errors.count() == 0, errors.first.inner_text()


def open_page(page, url: str, heading: str | re.Pattern) -> None:
    """Open a page and wait until its sidebar filters and its heading show and its run has finished."""
    from playwright.sync_api import expect

    page.goto(url, wait_until="domcontentloaded")
    expect(page.locator(FILTERS)).to_be_visible(timeout=45_000)
    expect(page.get_by_role("heading", name=heading).first).to_be_visible(timeout=45_000)
    settled(page)


def keyed(page, key: str):
    """The element with this widget key (Streamlit marks a keyed element's container with st-key-<key>,
    each character other than a letter, digit, _ or - as -)."""
    return page.locator(f'[class~="st-key-{re.sub(r"[^a-zA-Z0-9_-]", "-", key)}"]')


def keyed_table(page, key: str):
    """The st.dataframe with this key."""
    return keyed(page, key).get_by_test_id("stDataFrame")


def grid_cell(table, row: int = 0, editable: bool = False):
    """The first cell (or first editable cell) of a row of an st.dataframe or st.data_editor: the grid
    draws on a canvas and keeps an accessible table of its cells beside it."""
    return table.locator(f'[role="row"][aria-rowindex="{row + 2}"] [role="gridcell"]'
                         + ('[aria-readonly="false"]' if editable else "")).first


def select_cell(table, cell, attempts: int = 3) -> None:
    """Put the grid's cursor on a cell, as a click would, and wait until the grid has it — again when the
    first focus was lost: the browser draws a page's tables after its script has finished (a first load
    showed none of the weekly page's 5 tables when the app went idle, all 5 half a second later)."""
    from playwright.sync_api import expect

    for attempt in range(attempts):
        table.scroll_into_view_if_needed()
        table.get_by_test_id("data-grid-canvas").focus()  # the grid takes the keyboard
        cell.focus()  # and selects the cell that gets the focus
        try:
            expect(cell).to_have_attribute("aria-selected", "true")
            return
        except AssertionError:
            if attempt == attempts - 1:
                raise


def pick_row(page, table, row: int = 0) -> None:
    """Tick a row of an st.dataframe (single-row selection): its cell, then the grid's select-row key."""
    select_cell(table, grid_cell(table, row))
    page.keyboard.press("Shift+Space")
