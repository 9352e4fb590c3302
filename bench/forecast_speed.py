"""Pipeline movement and forecast timings: generate the sample at --leads (Parquet), import it (deal_states
and deal_snapshots are built then), and time the reports pipeline_movement, forecast and forecast_backtest
cold and warm (median of --repeat) in one process. The budget of bench/ is ≤ 150 ms warm per report at 1M
leads (bench/benchmark.py); forecast is the one the page asks on every run.

    .venv/bin/python bench/forecast_speed.py --leads 100000
    .venv/bin/python bench/forecast_speed.py --leads 1000000     # an idle machine: minutes, ~4 GB
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from analytics.core.config import load_config  # noqa: E402
from analytics.importers.load import import_folder  # noqa: E402
from analytics.outputs.reports import REPORTS, Options  # noqa: E402
from analytics.store.db import open_store  # noqa: E402

REPORTED = ("pipeline_movement", "forecast", "forecast_backtest")


def timed(fn, repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leads", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--workdir", type=Path)
    args = parser.parse_args(argv)
    work = args.workdir or Path(tempfile.mkdtemp(prefix="closed_loop_forecast_bench_"))
    export, db = work / f"export_{args.leads}", work / f"{args.leads}.duckdb"
    if not export.exists():
        subprocess.run([sys.executable, "-m", "analytics.sample", str(export), "--leads", str(args.leads),
                        "--format", "parquet"], check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    started = time.perf_counter()
    import_folder(export, db, load_config(), say=lambda m: None)
    print(f"{args.leads:,} leads: import {time.perf_counter() - started:.1f} s")
    store = open_store(db)
    try:
        deals, snapshots = store.con.execute("select (select count(*) from opportunities), "
                                             "(select count(*) from deal_snapshots)").fetchall()[0]
        print(f"  {deals:,} deals, {snapshots:,} deal snapshots")
        for name in REPORTED:
            cold = timed(lambda n=name: REPORTS[n](store, Options()), 1)
            warm = timed(lambda n=name: REPORTS[n](store, Options()), args.repeat)
            print(f"  report {name:<18} cold {cold * 1000:7.0f} ms   warm {warm * 1000:7.0f} ms")
    finally:
        store.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
