"""How long the review pack takes on the sample: build (the HTML) and build + PDF, weekly and monthly,
English and Chinese, median of --repeat runs; and, for comparison, the old print path (the interactive
HTML, plotly.js and all, printed once its charts were drawn). Appends a table to bench/pack_results.md.

    .venv/bin/python bench/pack_speed.py [--repeat 3] [--db DB]

Without --db the sample (data/sample) is imported into a temporary database first.
"""
from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from analytics.core.config import load_config  # noqa: E402
from analytics.i18n.messages import set_language  # noqa: E402
from analytics.importers.load import import_folder  # noqa: E402
from analytics.outputs import pack  # noqa: E402
from analytics.store.db import open_store  # noqa: E402
from analytics.store.meetings import MeetingStore  # noqa: E402

RESULTS = Path(__file__).with_name("pack_results.md")


def cpu_seconds() -> float:
    """CPU time (user + system) of this process and its finished children (Chromium): unlike the wall
    clock, it does not grow when other jobs share the cores."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime
DRAWN = "[...document.querySelectorAll('.js-plotly-plot')].every(p => p.querySelector('.main-svg'))"


def _old_print(text: str, out: Path) -> None:
    """The print path before: the interactive HTML, waiting for plotly.js to draw every chart."""
    from playwright.sync_api import sync_playwright

    page = out.with_suffix(".html")
    page.write_text(text, encoding="utf-8")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
        try:
            tab = browser.new_page()
            tab.goto(page.as_uri())
            tab.wait_for_function(DRAWN, timeout=60_000)
            tab.pdf(path=str(out), format="A4", print_background=True)
        finally:
            browser.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--db", type=Path)
    args = parser.parse_args()
    load = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        db = args.db
        if db is None:
            db = tmp / "sample.duckdb"
            import_folder(ROOT / "data" / "sample", db, load_config(), say=lambda _m: None)
        store = open_store(db)
        meetings = MeetingStore(tmp / "meetings.duckdb")
        rows = []
        for kind in ("weekly", "monthly"):
            for lang in ("en", "zh"):
                set_language(lang)
                builds, pdfs, cpus, olds = [], [], [], []
                for i in range(args.repeat):
                    start, cpu = time.perf_counter(), cpu_seconds()
                    text = pack.build(store, kind, meetings=meetings if kind == "weekly" else None,
                                      interactive=False)  # what the PDF download builds
                    built = time.perf_counter()
                    pack.write(text, tmp / f"{kind}-{lang}-{i}.pdf")
                    builds.append(built - start)
                    pdfs.append(time.perf_counter() - start)
                    cpus.append(cpu_seconds() - cpu)
                    if i == 0:
                        begin, cpu = time.perf_counter(), cpu_seconds()
                        live = pack.build(store, kind, meetings=meetings if kind == "weekly" else None)
                        _old_print(live, tmp / f"old-{kind}-{lang}.pdf")
                        olds.append(time.perf_counter() - begin)
                        old_cpu = cpu_seconds() - cpu
                rows.append((kind, lang, statistics.median(builds), statistics.median(pdfs),
                             statistics.median(cpus), olds[0], old_cpu))
                print(f"{kind} {lang}: build {rows[-1][2]:.2f} s, build + PDF {rows[-1][3]:.2f} s "
                      f"(CPU {rows[-1][4]:.2f} s; old print path {olds[0]:.2f} s, CPU {old_cpu:.2f} s)")
        store.close()
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [f"\n## Review pack on the sample — {stamp}\n",
             f"Machine: {platform.machine()}, {platform.processor() or 'cpu'}, Python {platform.python_version()}; "
             f"median of {args.repeat} runs (the old print path: one run). The machine's 2 cores were shared with "
             "other jobs, so read the ratio more than the absolute times.\n",
             f"Load average when it started: {load}.\n",
             "| pack | language | build (s) | build + PDF (s) | CPU of build + PDF (s) "
             "| old path: interactive build + Playwright print (s) | its CPU (s) |",
             "|---|---|---:|---:|---:|---:|---:|"]
    lines += [f"| {k} | {lang} | {b:.2f} | {p:.2f} | {c:.2f} | {o:.2f} | {oc:.2f} |"
              for k, lang, b, p, c, o, oc in rows]
    with RESULTS.open("a", encoding="utf-8") as f:
        if f.tell() == 0:
            f.write("# Review pack speed\n\nWritten by bench/pack_speed.py.\n")
        f.write("\n".join(lines) + "\n")
    print(f"appended to {RESULTS}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
