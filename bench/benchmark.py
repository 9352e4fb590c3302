"""Closed Loop benchmark: generate the sample company at several sizes (Parquet), import each, and
time in one process and one run: the import; every report of ../shared/spec/CLI.md cold and warm;
the queries behind each page for a typical filter change; and, as the baseline, the same
conversion, velocity, quality and SLA figures computed the way an analyst would in a pandas
notebook (read the exports, groupby). Prints a table and writes bench/results.md.

    .venv/bin/python bench/benchmark.py                 # 100k and 1M leads
    .venv/bin/python bench/benchmark.py --sizes 100k,1M,10M --repeat 5

Times are medians of --repeat runs; "ratio" is the pandas baseline time of the same figure divided
by ours (higher is better). Peak memory is this process's maximum resident set size after each size.
"""
from __future__ import annotations

import argparse
import gc
import platform
import resource
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pandas as pd  # noqa: E402

from analytics import handoff, metrics, revenue, winloss  # noqa: E402
from analytics.config import load_config  # noqa: E402
from analytics.db import open_store  # noqa: E402
from analytics.filters import Filters  # noqa: E402
from analytics.importer import import_folder  # noqa: E402
from analytics.sample import generate  # noqa: E402

SIZES = {"100k": 100_000, "1M": 1_000_000, "10M": 10_000_000}


def timed(fn, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- the reports of CLI.md, as the engine computes them ---------------------------------------------

def reports(store) -> dict:
    return {
        "conversion": lambda: metrics.conversion(store, "mql", "sql", by="source"),
        "velocity": lambda: metrics.velocity(store),
        "stalled": lambda: metrics.stalled(store),
        "quality": lambda: handoff.quality(store, by="source"),
        "sla": lambda: handoff.sla(store, by="owner_id"),
        "winloss": lambda: winloss.winloss(store, by="industry"),
        "attribution": lambda: revenue.attribution(store, "w_shaped", "won", "channel"),
    }


def page_queries(store, filters: Filters) -> dict:
    """What each page runs after a filter change (the sidebar's source filter set)."""
    return {
        "overview": lambda: (metrics.kpis(store, filters.start, filters.end, filters),
                             metrics.funnel(store, filters=filters), metrics.flow(store, filters=filters)),
        "funnel": lambda: (metrics.funnel(store, filters=filters),
                           metrics.conversion(store, "mql", "sql", by="source", filters=filters),
                           metrics.flow(store, filters=filters)),
        "velocity": lambda: (metrics.velocity(store, filters=filters), metrics.velocity_trend(store, filters=filters),
                             metrics.cycle(store, filters=filters), metrics.stalled(store, filters=filters)),
        "quality": lambda: (handoff.quality(store, by="source", filters=filters),
                            handoff.rejection_reasons(store, filters=filters), handoff.quality_trend(store, filters)),
        "sla": lambda: (handoff.sla(store, filters=filters), handoff.breaches(store, filters=filters)),
    }


# --- the pandas notebook baseline ---------------------------------------------------------------------

MAIN = ["lead", "mql", "sal", "sql", "opportunity", "won"]


def pandas_read(folder: Path) -> dict[str, pd.DataFrame]:
    return {name: pd.read_parquet(folder / f"{name}.parquet")
            for name in ("leads", "stage_history", "activities", "feedback")}


def pandas_stage_entries(t: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Entry time per lead and main stage with the skip rule, as a notebook would write it."""
    h = t["stage_history"].copy()
    h["entered_at"] = pd.to_datetime(h["entered_at"])
    order = {s: i for i, s in enumerate(MAIN)}
    h["order"] = h["stage"].map(order)
    h.loc[h["stage"] == "lost", "order"] = len(MAIN) - 1
    first = h.dropna(subset=["order"]).groupby(["lead_id", "stage", "order"], as_index=False)["entered_at"].min()
    rows = []
    for k, stage in enumerate(MAIN):
        later = first[(first["order"] > k) | ((first["order"] == k) & (first["stage"] == stage))]
        if stage == MAIN[-1]:
            later = later[later["stage"] != "lost"]
        pick = later.sort_values(["lead_id", "order"]).groupby("lead_id", as_index=False).first()
        pick["stage"], pick["recorded"] = stage, pick["order"] == k
        rows.append(pick[["lead_id", "stage", "entered_at", "recorded"]])
    return pd.concat(rows)


def pandas_conversion(t) -> pd.DataFrame:
    e = pandas_stage_entries(t)
    cohort = e[e["stage"] == "mql"][["lead_id"]]
    reached = e[e["stage"] == "sql"][["lead_id"]].assign(converted=1)
    df = cohort.merge(reached, on="lead_id", how="left").merge(t["leads"][["lead_id", "source"]], on="lead_id")
    return df.groupby("source").agg(cohort=("lead_id", "size"), converted=("converted", "sum"))


def pandas_velocity(t) -> pd.DataFrame:
    e = pandas_stage_entries(t).sort_values(["lead_id", "entered_at"])
    e["order"] = e["stage"].map({s: i for i, s in enumerate(MAIN)})
    e = e.sort_values(["lead_id", "order"])
    e["next"] = e.groupby("lead_id")["entered_at"].shift(-1)
    e["days"] = (e["next"] - e["entered_at"]).dt.total_seconds() / 86400
    stays = e[e["recorded"] & e["days"].notna()]
    return stays.groupby("stage")["days"].describe(percentiles=[0.25, 0.5, 0.75])


def pandas_quality(t) -> pd.DataFrame:
    e = pandas_stage_entries(t)
    handed = e[(e["stage"] == "mql") & e["recorded"]][["lead_id"]]
    accepted = set(e[e["stage"] == "sal"]["lead_id"]) | set(
        t["feedback"][t["feedback"]["verdict"] == "accepted"]["lead_id"])
    exits = t["stage_history"][t["stage_history"]["stage"].isin(["recycled", "disqualified"])]["lead_id"]
    rejected = set(exits) | set(t["feedback"][t["feedback"]["verdict"] == "rejected"]["lead_id"])
    df = handed.merge(t["leads"][["lead_id", "source"]], on="lead_id")
    df["accepted"] = df["lead_id"].isin(accepted)
    df["rejected"] = ~df["accepted"] & df["lead_id"].isin(rejected)
    return df.groupby("source").agg(handed_off=("lead_id", "size"), accepted=("accepted", "sum"),
                                    rejected=("rejected", "sum"))


def pandas_sla(t) -> pd.DataFrame:
    e = pandas_stage_entries(t)
    handed = e[(e["stage"] == "mql") & e["recorded"]][["lead_id", "entered_at"]]
    a = t["activities"][["lead_id", "occurred_at"]].copy()
    a["occurred_at"] = pd.to_datetime(a["occurred_at"])
    df = handed.merge(a, on="lead_id", how="left")
    df = df[df["occurred_at"].isna() | (df["occurred_at"] >= df["entered_at"])]
    first = df.groupby("lead_id", as_index=False).agg(handoff=("entered_at", "first"), first=("occurred_at", "min"))
    first["hours"] = (first["first"] - first["handoff"]).dt.total_seconds() / 3600
    first = first.merge(t["leads"][["lead_id", "owner_id"]], on="lead_id")
    first["met"] = first["hours"] <= 24
    return first.groupby("owner_id").agg(met=("met", "sum"), median=("hours", "median"))


BASELINES = {"conversion": pandas_conversion, "velocity": pandas_velocity, "quality": pandas_quality,
             "sla": pandas_sla}


# --- one size ---------------------------------------------------------------------------------------

def run_size(label: str, leads: int, workdir: Path, repeat: int) -> list[dict]:
    rows = []
    export = workdir / f"export_{label}"
    start = time.perf_counter()
    generate(export, leads=leads, file_format="parquet")
    rows.append({"size": label, "what": "generate sample (parquet)", "ours_s": time.perf_counter() - start})

    db = workdir / f"{label}.duckdb"
    seconds, _ = timed(lambda: import_folder(export, db, load_config(), say=lambda m: None), 1)
    rows.append({"size": label, "what": "import", "ours_s": seconds})

    tables = pandas_read(export)
    store = open_store(db)
    try:
        as_of = store.default_as_of
        for name, fn in reports(store).items():
            cold, _ = timed(fn, 1)
            warm, _ = timed(fn, repeat)
            row = {"size": label, "what": f"report {name}", "cold_s": cold, "ours_s": warm}
            if name in BASELINES:
                baseline = BASELINES[name]
                base, _ = timed(lambda b=baseline: b(tables), max(1, repeat // 2))
                read, _ = timed(lambda b=baseline: b(pandas_read(export)), 1)
                row.update(pandas_s=base, pandas_with_read_s=read, ratio=base / warm)
            rows.append(row)
        chosen = Filters(sources=("Webinar",), start=date(as_of.year - 1, as_of.month, 1), end=as_of.date())
        for page, fn in page_queries(store, chosen).items():
            seconds, _ = timed(fn, repeat)
            rows.append({"size": label, "what": f"page {page} after a filter change", "ours_s": seconds})
    finally:
        store.close()
    gc.collect()
    rows.append({"size": label, "what": "peak memory (MB)", "ours_s": None, "peak_mb": peak_mb()})
    return rows


def markdown(rows: list[dict]) -> str:
    def f(v, digits=3):
        return "" if v is None else f"{v:.{digits}f}"
    lines = [
        "# Benchmark results", "",
        f"Machine: {platform.machine()}, {platform.processor() or 'cpu'}, {os_cpus()} cores, "
        f"Python {platform.python_version()}, {platform.platform()}; "
        f"run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}.",
        "Times are medians in seconds; ratio = pandas (data in memory) ÷ ours.", "",
        "| size | what | ours (warm) | cold | pandas | pandas incl. read | ratio | peak MB |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(f"| {r['size']} | {r['what']} | {f(r.get('ours_s'))} | {f(r.get('cold_s'))} | "
                     f"{f(r.get('pandas_s'))} | {f(r.get('pandas_with_read_s'))} | {f(r.get('ratio'), 1)} | "
                     f"{f(r.get('peak_mb'), 0)} |")
    return "\n".join(lines) + "\n"


def os_cpus() -> int:
    import os

    return len(os.sched_getaffinity(0))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="100k,1M", help="comma-separated of " + ", ".join(SIZES))
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "results.md")
    ap.add_argument("--workdir", type=Path, default=None, help="keep the generated exports and databases here")
    args = ap.parse_args()
    rows: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="closed_loop_bench_") as tmp:
        workdir = args.workdir or Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        for label in args.sizes.split(","):
            print(f"== {label} leads", flush=True)
            for row in run_size(label, SIZES[label], workdir, args.repeat):
                rows.append(row)
                print("  ", {k: (round(v, 4) if isinstance(v, float) else v) for k, v in row.items()}, flush=True)
    text = markdown(rows)
    args.out.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
