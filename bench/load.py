"""Many people at once: start the dashboard on the sample company and drive concurrent headless
Chromium sessions through the main pages for a bounded time on 127.0.0.1, then report p50/p95
page times and errors. A benchmark, not a test.

    .venv/bin/python bench/load.py --sessions 20 --seconds 60 [--leads 100000]

--leads N generates and imports a sample company of N leads first (default: the bundled sample).
A page counts as shown when a Plotly chart has rendered and no exception box is on it.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAGES = ["overview", "funnel", "velocity", "quality", "sla", "weekly"]
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_app(db: Path, port: int) -> subprocess.Popen:
    env = {**os.environ, "CLOSED_LOOP_DB": str(db)}
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.headless",
                             "true", "--server.port", str(port), "--server.address", "127.0.0.1"],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            if urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2).read() == b"ok":
                return proc
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise SystemExit("the app did not start")


async def session(browser, base: str, stop_at: float, times: list, errors: list) -> None:
    context = await browser.new_context(viewport={"width": 1400, "height": 900})
    page = await context.new_page()
    i = 0
    while time.time() < stop_at:
        name = PAGES[i % len(PAGES)]
        i += 1
        start = time.perf_counter()
        try:
            await page.goto(f"{base}/{name}", wait_until="domcontentloaded", timeout=30_000)
            await page.wait_for_selector(".js-plotly-plot .main-svg", timeout=30_000)
            if await page.locator('[data-testid="stException"]').count():
                errors.append(f"{name}: exception on the page")
            times.append((name, time.perf_counter() - start))
        except Exception as e:  # noqa: BLE001 - every failure is counted and reported
            errors.append(f"{name}: {type(e).__name__}")
    await context.close()


async def drive(base: str, sessions: int, seconds: float) -> tuple[list, list]:
    from playwright.async_api import async_playwright

    times, errors = [], []
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        stop_at = time.time() + seconds
        await asyncio.gather(*(session(browser, base, stop_at, times, errors) for _ in range(sessions)))
        await browser.close()
    return times, errors


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sessions", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--leads", type=int, default=0)
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT))
    from analytics.config import load_config
    from analytics.importer import import_folder
    from analytics.sample import generate

    with tempfile.TemporaryDirectory(prefix="closed_loop_load_") as tmp:
        db = Path(tmp) / "load.duckdb"
        folder = ROOT / "data" / "sample"
        if args.leads:
            folder = Path(tmp) / "export"
            generate(folder, leads=args.leads, file_format="parquet")
        import_folder(folder, db, load_config(), say=lambda m: None)
        port = free_port()
        app = start_app(db, port)
        try:
            times, errors = asyncio.run(drive(f"http://127.0.0.1:{port}", args.sessions, args.seconds))
        finally:
            app.kill()
    seconds = sorted(t for _, t in times)
    if not seconds:
        raise SystemExit(f"no page was shown; errors: {errors[:5]}")
    p95 = seconds[min(len(seconds) - 1, int(0.95 * len(seconds)))]
    print(f"{args.sessions} sessions for {args.seconds:.0f} s: {len(seconds)} pages shown, {len(errors)} errors")
    print(f"page time p50 {statistics.median(seconds):.2f} s, p95 {p95:.2f} s, max {seconds[-1]:.2f} s")
    for name in PAGES:
        mine = sorted(t for n, t in times if n == name)
        if mine:
            print(f"  {name:<10} n={len(mine):<4} p50 {statistics.median(mine):.2f} s")
    for e in sorted(set(errors))[:10]:
        print("  error:", e, f"(x{errors.count(e)})")


if __name__ == "__main__":
    main()
