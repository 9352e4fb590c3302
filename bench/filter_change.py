"""In a real browser: how long after a filter change does a page show its charts again?

Starts the dashboard on a database, opens each main page in headless Chromium and, --repeat times,
toggles the sidebar's Source filter (adds Webinar, then removes it again), timing from the click
to the moment the script has finished, no element is stale and the page's Plotly charts are drawn.

    .venv/bin/python bench/filter_change.py DB [--repeat 5]

benchmark.py calls filter_change_seconds() for the sizes of its --browser-sizes.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

from load import ARGS, PAGES, free_port, start_app

CHROMIUM = "/usr/bin/chromium"
MEASURED = [p for p in PAGES if p != "weekly"]  # the weekly review has no period or source filter of its own
SHOWN = """() => {
    const app = document.querySelector('[data-testid="stApp"]');
    return app && app.getAttribute('data-test-script-state') === 'notRunning'
        && !document.querySelector('[data-stale="true"]')
        && document.querySelectorAll('.js-plotly-plot .main-svg').length > 0;
}"""
RUNNING = """() => document.querySelector('[data-testid="stApp"]')
    ?.getAttribute('data-test-script-state') === 'running'"""


def _toggle_source(page, add: bool) -> None:
    box = page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').filter(has_text="Source").first
    if add:
        for attempt in range(3):  # a dropdown opened while the page still settles can close again
            box.locator("input").click()
            try:
                page.get_by_role("option", name="Webinar", exact=True).click(timeout=3_000)
                break
            except Exception:  # noqa: BLE001
                if attempt == 2:
                    raise
    else:
        box.locator("input").click()
        page.keyboard.press("Backspace")
    page.keyboard.press("Escape")


def _time_change(page, add: bool) -> float:
    start = time.perf_counter()
    _toggle_source(page, add)
    try:
        page.wait_for_function(RUNNING, timeout=3_000, polling=10)
    except Exception:  # noqa: BLE001 - a run quicker than the poll is still timed below
        pass
    page.wait_for_function(SHOWN, timeout=60_000, polling=10)
    return time.perf_counter() - start


def filter_change_seconds(db: Path, repeat: int = 5) -> dict[str, float]:
    """page -> median seconds from a filter change to its charts shown again."""
    from playwright.sync_api import sync_playwright

    port = free_port()
    app = start_app(db, port)
    out = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            page = browser.new_page(viewport={"width": 1440, "height": 1000})
            for name in MEASURED:
                page.goto(f"http://127.0.0.1:{port}/{PAGES[name]}", wait_until="domcontentloaded")
                page.wait_for_function(SHOWN, timeout=120_000, polling=50)
                page.wait_for_timeout(1_000)  # the first visit settles (its address is written back)
                times = [_time_change(page, add=i % 2 == 0) for i in range(repeat * 2)]
                out[name] = statistics.median(times)
                print(f"   browser {name}: median {out[name]:.2f} s of {len(times)} filter changes", flush=True)
            browser.close()
    finally:
        app.kill()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("db", type=Path)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    for name, seconds in filter_change_seconds(args.db, args.repeat).items():
        print(f"{name:<10} {seconds:.2f} s")


if __name__ == "__main__":
    main()
