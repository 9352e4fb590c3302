"""Many people at once: start the dashboard on the sample company and drive concurrent sessions
through the main pages for a bounded time on 127.0.0.1, then report p50/p95 page times and errors.
A benchmark, not a test.

    .venv/bin/python bench/load.py --sessions 20 --seconds 60 [--leads 100000] [--think 5] [--mode websocket|browser]

--leads N generates and imports a sample company of N leads first (default: the bundled sample).
--apps N starts N app processes on one read-only database and pins each session to one of them (as a
  proxy with sticky sessions does); --warehouse serves them from a warehouse written from the import
  (CLOSED_LOOP_WAREHOUSE) instead of the database file (docs/scale.md).
websocket (default): each session is a Streamlit client over the app's own websocket, as the browser
  speaks it (protobuf BackMsg/ForwardMsg): a page counts from the rerun request to script_finished,
  an exception element is an error. This measures the server, which is what the people share.
browser: each session is a headless Chromium tab; a page counts when a Plotly chart has rendered.
  On 2 cores, 20 Chromium tabs mostly measure Chromium drawing charts, not the dashboard.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# page name -> its url path (the default page, Overview, is the root)
PAGES = {"overview": "", "funnel": "funnel", "velocity": "velocity", "quality": "quality", "sla": "sla",
         "weekly": "weekly"}
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_app(db: Path, port: int, warehouse: Path | None = None, script: Path = ROOT / "app.py") -> subprocess.Popen:
    env = {**os.environ, "CLOSED_LOOP_DB": str(db)}
    if warehouse is not None:
        env["CLOSED_LOOP_WAREHOUSE"] = str(warehouse)
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(script), "--server.headless",
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


async def session(browser, base: str, stop_at: float, times: list, errors: list, delay: float,
                  think: float) -> None:
    await asyncio.sleep(delay)  # people join the meeting over a few seconds, not all in one instant
    context = await browser.new_context(viewport={"width": 1400, "height": 900})
    page = await context.new_page()
    names = list(PAGES)
    i = 0
    while time.time() < stop_at:
        name = names[i % len(names)]
        i += 1
        start = time.perf_counter()
        try:
            await page.goto(f"{base}/{PAGES[name]}", wait_until="domcontentloaded", timeout=30_000)
            await page.wait_for_selector(".js-plotly-plot .main-svg", timeout=30_000)
            if await page.locator('[data-testid="stException"]').count():
                errors.append(f"{name}: exception on the page")
            times.append((name, time.perf_counter() - start))
        except Exception as e:  # noqa: BLE001 - every failure is counted and reported
            errors.append(f"{name}: {type(e).__name__}")
        await asyncio.sleep(reading(think))
    await context.close()


_READING = random.Random(7)  # seeded: runs differ by the machine, not by the draws


def reading(think: float) -> float:
    """How long a person reads a page before the next click: uniform between half and one and a half
    times the mean. People do not click in step; with one fixed pause every session fell into step
    with the others and 20 requests arrived in the same instant, wave after wave, which measures a
    lock-step artefact of the load script rather than a meeting."""
    return _READING.uniform(0.5 * think, 1.5 * think)


async def ws_session(base: str, stop_at: float, times: list, errors: list, delay: float, think: float) -> None:
    import websockets
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    await asyncio.sleep(delay)
    url = base.replace("http://", "ws://") + "/_stcore/stream"
    async with websockets.connect(url, subprotocols=["streamlit"], max_size=None) as ws:
        names = list(PAGES)
        i = 0
        while time.time() < stop_at:
            name = names[i % len(names)]
            i += 1
            request = BackMsg()
            request.rerun_script.query_string = ""
            request.rerun_script.page_name = PAGES[name]
            start = time.perf_counter()
            await ws.send(request.SerializeToString())
            failed = False
            while True:
                try:
                    raw = await asyncio.wait_for(ws.recv(), timeout=60)
                except TimeoutError:
                    errors.append(f"{name}: no answer in 60 s")
                    failed = True
                    break
                msg = ForwardMsg()
                msg.ParseFromString(raw)
                kind = msg.WhichOneof("type")
                if kind == "delta" and msg.delta.WhichOneof("type") == "new_element" \
                        and msg.delta.new_element.WhichOneof("type") == "exception":
                    errors.append(f"{name}: exception on the page: {msg.delta.new_element.exception.message[:120]}")
                    failed = True
                if kind == "script_finished":
                    break
            if not failed:
                times.append((name, time.perf_counter() - start))
            await asyncio.sleep(reading(think))


async def drive_ws(bases: list[str], sessions: int, seconds: float, think: float) -> tuple[list, list]:
    """Session i talks to app bases[i % len(bases)] throughout (a sticky proxy's assignment)."""
    times, errors = [], []
    stop_at = time.time() + seconds
    await asyncio.gather(*(ws_session(bases[i % len(bases)], stop_at, times, errors, delay=i * 0.25, think=think)
                           for i in range(sessions)))
    return times, errors


async def drive(bases: list[str], sessions: int, seconds: float, think: float = 0.0) -> tuple[list, list]:
    from playwright.async_api import async_playwright

    times, errors = [], []
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        stop_at = time.time() + seconds
        await asyncio.gather(*(session(browser, bases[i % len(bases)], stop_at, times, errors, delay=i * 0.5,
                                       think=think)
                               for i in range(sessions)))
        await browser.close()
    return times, errors


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sessions", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--leads", type=int, default=0)
    ap.add_argument("--mode", choices=["websocket", "browser"], default="websocket")
    ap.add_argument("--think", type=float, default=5.0,
                    help="mean seconds a person reads a page before the next click (uniform 0.5x-1.5x; "
                         "0 = click on at once)")
    ap.add_argument("--apps", type=int, default=1, help="app processes, each session pinned to one")
    ap.add_argument("--warehouse", action="store_true", help="serve from a warehouse written from the import")
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT))
    from analytics.core.config import load_config
    from analytics.importers.load import import_folder
    from analytics.sample.generate import generate

    with tempfile.TemporaryDirectory(prefix="closed_loop_load_") as tmp:
        db = Path(tmp) / "load.duckdb"
        folder = ROOT / "data" / "sample"
        if args.leads:
            folder = Path(tmp) / "export"
            generate(folder, leads=args.leads, file_format="parquet")
        import_folder(folder, db, load_config(), say=lambda m: None)
        warehouse = None
        if args.warehouse:
            from analytics.store import warehouse as wh
            warehouse = Path(tmp) / "warehouse"
            wh.write_from_database(db, warehouse, say=lambda m: None)
        ports = [free_port() for _ in range(args.apps)]
        apps = [start_app(db, port, warehouse) for port in ports]
        try:
            driver = drive_ws if args.mode == "websocket" else drive
            times, errors = asyncio.run(driver([f"http://127.0.0.1:{port}" for port in ports], args.sessions,
                                               args.seconds, args.think))
        finally:
            for app in apps:
                app.kill()
    seconds = sorted(t for _, t in times)
    if not seconds:
        raise SystemExit(f"no page was shown; errors: {errors[:5]}")
    p95 = seconds[min(len(seconds) - 1, int(0.95 * len(seconds)))]
    print(f"{args.sessions} {args.mode} sessions for {args.seconds:.0f} s (think time {args.think:g} s): "
          f"{len(seconds)} pages shown, {len(errors)} errors")
    print(f"page time p50 {statistics.median(seconds):.2f} s, p95 {p95:.2f} s, max {seconds[-1]:.2f} s")
    for name in PAGES:
        mine = sorted(t for n, t in times if n == name)
        if mine:
            print(f"  {name:<10} n={len(mine):<4} p50 {statistics.median(mine):.2f} s")
    for e in sorted(set(errors))[:10]:
        print("  error:", e, f"(x{errors.count(e)})")
    record(args, times, errors, p95)


def record(args, times: list[tuple[str, float]], errors: list[str], p95: float) -> None:
    """Append this run to bench/load_results.md (the table keeps every run: they vary on 2 cores)."""
    out = ROOT / "bench" / "load_results.md"
    if not out.exists():
        out.write_text(LOAD_HEADER, encoding="utf-8")
    seconds = [t for _, t in times]
    per_page = ", ".join(f"{n} {statistics.median([t for m, t in times if m == n]):.2f}"
                         for n in PAGES if any(m == n for m, _ in times))
    with out.open("a", encoding="utf-8") as f:
        f.write(f"| {time.strftime('%Y-%m-%d %H:%M', time.gmtime())} | {len(os.sched_getaffinity(0))} | "
                f"{args.leads or 'bundled sample'} | {args.sessions} {args.mode}{served(args)} | "
                f"{args.seconds:.0f} s | "
                f"{args.think:g} s (0.5-1.5x) | {len(seconds)} | {len(errors)} | {statistics.median(seconds):.2f} | "
                f"{p95:.2f} | {per_page} |\n")


def served(args) -> str:
    """', 2 apps, warehouse' when the run was not the default one app on the database file."""
    return (f", {args.apps} apps" if args.apps > 1 else "") + (", warehouse" if args.warehouse else "")


LOAD_HEADER = """# Many people at once (bench/load.py)

Each row is one run: sessions drive Overview, Funnel, Velocity, Quality, SLA and Weekly review in turn
for the stated time, on 127.0.0.1; a page's time runs from the request to the page shown. Target:
no errors, p95 ≤ 3 s at 100k leads on 2 cores.

| run (UTC) | cores | leads | sessions | time | think | pages shown | errors | p50 s | p95 s | p50 per page (s) |
|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---|
"""


if __name__ == "__main__":
    main()
