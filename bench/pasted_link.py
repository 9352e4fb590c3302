"""In a real browser: how long does a pasted link take to draw its page?

Imports the bundled sample (or takes --db), starts the dashboard, and for every page, in English and
in Chinese, opens a link as a colleague pasted it in the meeting chat (the sidebar filters plus the
page's own choices) in a fresh browser context: a new session, as a new person in the room. Timed
from navigation to the script finished, nothing stale and every chart and table drawn (whole page and
first screen), beside two floors in the same run (bench/floor_app.py): Streamlit and one Plotly chart,
and the same chart inside our frame (the dashboard's sidebar, as every page draws it).

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
# In the page, from its first frame: `drawn` is when everything the script sent is on screen — the
# script finished, nothing stale, the title and the sidebar's filters there, and every chart or table
# frame on show filled (a Plotly chart drawn at its full width, a table's grid painted — or, below the
# first screen, where the browser paints it only when scrolled to, its element there); `screen` is when the
# first screen (the viewport) is final — the script finished or what comes below it has arrived — and
# its frames are filled. Each is the start of the last stretch
# in which it stayed true, so a chart that arrives later resets it. Times are the page's own clock
# (milliseconds since navigation started).
RECORDER = """(() => {
  const state = {drawn: null, screen: null};
  window.__pasted = state;
  const filled = f => {
    const plot = f.querySelector('.js-plotly-plot');
    if (plot) {
      const svg = plot.querySelector('.main-svg');
      return !!svg && Math.abs(svg.getBoundingClientRect().width - plot.getBoundingClientRect().width) < 2;
    }
    // a table's grid is painted when it is scrolled into view: below the first screen, its element is enough
    const grid = f.getBoundingClientRect().top < window.innerHeight ? ' canvas' : '';
    return !!f.querySelector(`[data-testid="stDataFrame"]${grid}, [data-testid="stTable"]`);
  };
  const tick = () => {
    const app = document.querySelector('[data-testid="stApp"]');
    const main = document.querySelector('[data-testid="stMain"]');
    const shell = !!main && !!main.querySelector('h1')
      && !!document.querySelector('[data-testid="stSidebar"] [data-testid="stDateInput"]');
    const finished = shell && app.getAttribute('data-test-script-state') === 'notRunning'
      && !document.querySelector('[data-stale="true"]');
    const below = el => el.getBoundingClientRect().top >= window.innerHeight;
    const blocks = shell ? [...main.querySelectorAll('[data-testid="stElementContainer"]')] : [];
    // the first screen is final once the script finished or what comes after it has arrived
    const screenFinal = finished || (blocks.some(below)
      && !blocks.some(b => !below(b) && b.closest('[data-stale="true"]')));
    const frames = shell ? [...main.querySelectorAll('[data-testid="stFullScreenFrame"]')]
      .filter(f => f.getClientRects().length > 0) : [];  // not inside a closed expander
    // an element whose code is still loading (a chart's first appearance) shows a skeleton, not itself
    const skeletons = shell ? [...main.querySelectorAll('[data-testid="stSkeleton"]')]
      .filter(s => s.getClientRects().length > 0) : [];
    const now = performance.now();
    const all = finished && frames.every(filled) && !skeletons.length;
    const inView = screenFinal && frames.filter(f => !below(f)).every(filled) && !skeletons.some(s => !below(s));
    state.drawn = all ? (state.drawn ?? now) : null;
    state.screen = inView ? (state.screen ?? now) : null;
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})();"""
SETTLED = "(ms) => { const s = window.__pasted; return !!s && s.drawn !== null && performance.now() - s.drawn > ms; }"
STILL_MS = 1500  # a page counts as drawn once nothing has changed for this long


def link(base: str, name: str, lang: str) -> str:
    path = LINKS[name]
    query = "&".join(q for q in (path.partition("?")[2], FILTERS, "lang=zh" if lang == "zh" else "") if q)
    return f"{base}/{path.partition('?')[0]}?{query}"


def open_seconds(browser, url: str, context=None) -> tuple[float, float]:
    """(first screen, whole page) seconds to draw `url` in a new page (of `context`, else of a new
    context closed after)."""
    own = context is None
    context = browser.new_context(viewport={"width": 1440, "height": 1000}) if own else context
    page = context.new_page()
    try:
        page.add_init_script(RECORDER)
        page.goto(url, wait_until="commit")
        page.wait_for_function(SETTLED, arg=STILL_MS, timeout=120_000, polling=50)
        if page.locator('[data-testid="stException"]').count():
            print(f"   exception on {url}", flush=True)
        times = page.evaluate("window.__pasted")
        return times["screen"] / 1000, times["drawn"] / 1000
    finally:
        page.close()
        if own:
            context.close()


Times = tuple[float, float]  # (first screen, whole page) seconds
Row = dict[str, Times]  # "first" | "again" | "tab" -> times


def _median(opens: list[Times]) -> Times:
    return statistics.median(o[0] for o in opens), statistics.median(o[1] for o in opens)


def _open_three_ways(browser, used, url: str, repeat: int) -> Row:
    first = open_seconds(browser, url)
    again = _median([open_seconds(browser, url) for _ in range(repeat)])
    tab = _median([open_seconds(browser, url, used) for _ in range(repeat)])
    return {"first": first, "again": again, "tab": tab}


def _say(label: str, row: Row) -> None:
    print(f"   {label:<14} " + ", ".join(f"{k} {v[0]:.2f}/{v[1]:.2f} s" for k, v in row.items()), flush=True)


FLOORS = {"floor": ("", "Streamlit + one Plotly chart"),
          "frame": ("?frame=ours", "the same chart in our sidebar's frame")}


def measure(db: Path, pages: list[str], repeat: int) -> tuple[dict[tuple[str, str], Row], dict[str, Row]]:
    """Each page in each language, and the floors (FLOORS) in the same browser."""
    from playwright.sync_api import sync_playwright

    port, floor_port = free_port(), free_port()
    app = start_app(db, port)
    floor = start_app(db, floor_port, script=Path(__file__).with_name("floor_app.py"))
    base, floor_url = f"http://127.0.0.1:{port}", f"http://127.0.0.1:{floor_port}/"
    out = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            start = time.perf_counter()
            open_seconds(browser, f"{base}/data")  # the server's first page: imports, connection
            print(f"   the server's first page (imports): {time.perf_counter() - start:.2f} s", flush=True)
            used = browser.new_context(viewport={"width": 1440, "height": 1000})
            open_seconds(browser, f"{base}/data", used)  # this browser has loaded the dashboard before
            open_seconds(browser, floor_url, used)  # … and the floor app
            floor_rows = {}
            for name, (query, _what) in FLOORS.items():
                floor_rows[name] = _open_three_ways(browser, used, floor_url + query, repeat)
                _say(name, floor_rows[name])
            for lang in ("en", "zh"):
                for name in pages:
                    out[name, lang] = _open_three_ways(browser, used, link(base, name, lang), repeat)
                    _say(f"{lang} {name}", out[name, lang])
            used.close()
            browser.close()
    finally:
        app.kill()
        floor.kill()
    return out, floor_rows


def _table(results: dict[tuple[str, str], Row], floors: dict[str, Row], which: int) -> list[str]:
    ways = ("first", "again", "tab")
    lines = ["| page | link | " + " | ".join(f"{lang} {w}" for lang in ("en", "zh") for w in ways) + " |",
             "|---|---|" + "---:|" * 6]
    lines += [f"| *{name}* | {what} | " + " | ".join(f"{floors[name][w][which]:.2f}" for w in ways) + " | | | |"
              for name, (_query, what) in FLOORS.items()]
    for name in dict.fromkeys(n for n, _ in results):
        cells = [f"{results[name, lang][w][which]:.2f}" if (name, lang) in results else "" for lang in ("en", "zh")
                 for w in ways]
        lines.append(f"| {name} | `/{LINKS[name]}` | " + " | ".join(cells) + " |")
    return lines


def write(results: dict[tuple[str, str], Row], floors: dict[str, Row], repeat: int, load: str) -> None:
    worst = {which: max(max(r[w][which] for w in r) for r in results.values()) for which in (0, 1)}
    over = {which: sorted({n for (n, _), r in results.items() if max(r[w][which] for w in r) > 2.0})
            for which in (0, 1)}
    lines = ["# A pasted link: seconds to draw each page", "",
             f"Machine: {platform.machine()}, {platform.processor() or 'cpu'}, {os.cpu_count()} cores, Python "
             f"{platform.python_version()}; run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; `bench/pasted_link.py` on "
             f"the bundled sample. Load average at the start: {load}.", "",
             "Headless Chromium (software rendering), a fresh browser context (a new session) per open, timed "
             "on the page's own clock from navigation. *whole page*: the script finished and every chart and "
             f"table frame it sent is drawn, and stays so for {STILL_MS / 1000:.1f} s; *first screen*: the same "
             "for the frames in the first 1440×1000 screen. *first*: the page's first open after the server "
             f"started (its queries run); *again*: median of {repeat} later opens in a browser new to the "
             f"dashboard (cached queries, new session); *tab*: median of {repeat} new tabs of a browser that has "
             "opened the dashboard before (static files cached). A chart or table still showing its loading "
             "skeleton (its code not yet loaded) is not drawn. *floor*: `bench/floor_app.py` — a Streamlit "
             "page with a title, one date input and one small Plotly chart, nothing of ours — in the same "
             "browser and run: what any Streamlit + Plotly page costs on this machine; *frame*: the same chart "
             "inside the dashboard's own sidebar (language, period presets, period, lead filters, as-of).", "",
             "## Whole page", "", *_table(results, floors, 1), "",
             "## First screen", "", *_table(results, floors, 0), "",
             f"Slowest whole page: {worst[1]:.2f} s (floor {max(v[1] for v in floors['floor'].values()):.2f} s, "
             f"frame {max(v[1] for v in floors['frame'].values()):.2f} s); "
             f"pages over 2 s somewhere: {', '.join(over[1]) or 'none'}.",
             f"Slowest first screen: {worst[0]:.2f} s; pages over 2 s somewhere: {', '.join(over[0]) or 'none'}."]
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
        results, floors = measure(db, pages, args.repeat)
        write(results, floors, args.repeat, load)


if __name__ == "__main__":
    main()
