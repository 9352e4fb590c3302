"""What the browser tests share: Debian's Chromium (skip without it, fail in CI), a running
`streamlit run app.py` on a free port, and a Playwright browser.

Pages are checked on a database imported from data/sample (the golden example when the sample is
absent); screenshots go to test-artifacts/.
"""
from __future__ import annotations

import contextlib
import os
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
