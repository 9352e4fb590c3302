"""In a real browser: how long does a pasted link take to draw its page?

Imports the bundled sample (or takes --db), starts the dashboard, and for every page, in English and
in Chinese, opens a link as a colleague pasted it in the meeting chat (the sidebar filters plus the
page's own choices) in a fresh browser context: a new session, as a new person in the room. Timed
from navigation to the script finished, nothing stale and every Plotly chart drawn at its size.

The first open of each page after the server starts is "first" (cold caches: each query runs once);
then --repeat fresh sessions open the same link ("again", the median: cached queries, a new session,
a browser that has never loaded the dashboard), and --repeat new tabs of a browser that has ("tab":
its static files cached, as for a colleague who used the dashboard before). Writes bench/pasted_link.md.

    .venv/bin/python bench/pasted_link.py [--db DB] [--repeat 3] [--pages funnel,sla]
"""
from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from load import ARGS, free_port, start_app

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
OUT = Path(__file__).with_name("pasted_link.md")
FILTERS = "from=2026-06-01&to=2026-11-30"
# page -> the link pasted (url path and the page's own choices)
LINKS = {
    "overview": "",
    "weekly": "weekly?week=2026-W46",
    "funnel": "funnel?from_stage=mql&to_stage=opportunity&by=region&window=28&grain=month",
    "velocity": "velocity",
    "monthly": "monthly?metric=win_rate",
    "content": "content",
    "journey": "journey?lead=L00042",
    "quality": "quality?by=industry",
    "sla": "sla?by=team&measure=decision",
    "recycling": "recycling?by=region",
    "winloss": "winloss",
    "revenue": "revenue?basis=pipeline&by=campaign&model=first_touch&sort=cost",
    "targets": "targets?metric=won_amount",
    "data": "data",
    "strategy": "strategy",
}
DRAWN = """() => {
    const app = document.querySelector('[data-testid="stApp"]');
    if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
    if (document.querySelector('[data-stale="true"]')) return false;
    if (!document.querySelector('[data-testid="stSidebar"] [data-testid="stDateInput"]')) return false;
    const main = document.querySelector('[data-testid="stMain"]');
    if (!main || !main.querySelector('h1')) return false;
    return [...document.querySelectorAll('.js-plotly-plot')].every(plot => {
        const svg = plot.querySelector('.main-svg');
        return svg && Math.abs(svg.getBoundingClientRect().width - plot.getBoundingClientRect().width) < 2;
    });
}"""


def link(base: str, name: str, lang: str) -> str:
    path = LINKS[name]
    query = "&".join(q for q in (path.partition("?")[2], FILTERS, "lang=zh" if lang == "zh" else "") if q)
    return f"{base}/{path.partition('?')[0]}?{query}"


def open_seconds(browser, url: str, context=None) -> float:
    """Seconds to draw `url` in a new page (of `context`, else of a new context closed after)."""
    own = context is None
    context = browser.new_context(viewport={"width": 1440, "height": 1000}) if own else context
    page = context.new_page()
    try:
        start = time.perf_counter()
        page.goto(url, wait_until="commit")
        page.wait_for_function(DRAWN, timeout=120_000, polling=20)
        seconds = time.perf_counter() - start
        if page.locator('[data-testid="stException"]').count():
            print(f"   exception on {url}", flush=True)
        return seconds
    finally:
        page.close()
        if own:
            context.close()


def measure(db: Path, pages: list[str], repeat: int) -> dict[tuple[str, str], tuple[float, float, float]]:
    from playwright.sync_api import sync_playwright

    port = free_port()
    app = start_app(db, port)
    base = f"http://127.0.0.1:{port}"
    out = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            start = time.perf_counter()
            open_seconds(browser, f"{base}/data")  # the server's first page: imports, connection
            print(f"   the server's first page (imports): {time.perf_counter() - start:.2f} s", flush=True)
            used = browser.new_context(viewport={"width": 1440, "height": 1000})
            open_seconds(browser, f"{base}/data", used)  # this browser has loaded the dashboard before
            for lang in ("en", "zh"):
                for name in pages:
                    url = link(base, name, lang)
                    first = open_seconds(browser, url)
                    again = statistics.median(open_seconds(browser, url) for _ in range(repeat))
                    tab = statistics.median(open_seconds(browser, url, used) for _ in range(repeat))
                    out[name, lang] = first, again, tab
                    print(f"   {lang} {name:<10} first {first:.2f} s, again {again:.2f} s, tab {tab:.2f} s", flush=True)
            used.close()
            browser.close()
    finally:
        app.kill()
    return out


def write(results: dict[tuple[str, str], tuple[float, float, float]], repeat: int, load: str) -> None:
    lines = ["# A pasted link: seconds to draw each page", "",
             f"Machine: {platform.machine()}, {platform.processor() or 'cpu'}, Python {platform.python_version()}; "
             f"run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; `bench/pasted_link.py` on the bundled sample.",
             "Headless Chromium, a fresh browser context (a new session) per open, from navigation to every "
             "chart drawn. *first*: the page's first open after the server started (its queries run); "
             f"*again*: median of {repeat} later opens of the same link in a browser new to the dashboard "
             f"(cached queries, new session); *tab*: median of {repeat} new tabs of a browser that has opened "
             f"the dashboard before (new session, static files cached). Load average at the start: {load}.", "",
             "| page | link | en first | en again | en tab | zh first | zh again | zh tab |",
             "|---|---|---:|---:|---:|---:|---:|---:|"]
    for name in dict.fromkeys(n for n, _ in results):
        en, zh = results.get((name, "en"), (0, 0, 0)), results.get((name, "zh"), (0, 0, 0))
        lines.append(f"| {name} | `/{LINKS[name]}` | " + " | ".join(f"{v:.2f}" for v in (*en, *zh)) + " |")
    worst = max(max(v) for v in results.values())
    lines += ["", f"Slowest: {worst:.2f} s."]
    OUT.write_text("\n".join(lines) + "\n")
    print(f"wrote {OUT}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", type=Path, help="a database to open (default: import the bundled sample)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--pages", help="comma-separated page names (default: all)")
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT))
    pages = args.pages.split(",") if args.pages else list(LINKS)
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db
        if db is None:
            from analytics.core.config import load_config
            from analytics.importers.load import import_folder

            db = Path(tmp) / "closed_loop.duckdb"
            import_folder(ROOT / "data" / "sample", db, load_config(), say=lambda _message: None)
        load = " ".join(Path("/proc/loadavg").read_text().split()[:3]) if Path("/proc/loadavg").exists() else "?"
        write(measure(db, pages, args.repeat), args.repeat, f"{load} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
