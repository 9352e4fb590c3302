"""One machine at scale (issue 15): the DuckDB import of 10M and 30M leads with the default limits of
[engine.duckdb] (closed_loop.toml), its peak memory, time and spill; writing the warehouse; and every
report of docs/cli.md warm, from the database file and from the warehouse. Writes bench/scale_results.md.

    .venv/bin/python bench/scale.py --sizes 200k                 # proves the script (about a minute)
    .venv/bin/python bench/scale.py --sizes 10M,30M --workdir /data/scale   # alone on the machine: ~1 hour

Each step runs in a child process of its own, so its peak memory (maximum resident set size, read by the
child itself) is that step's alone: generating the sample company (Parquet; test data, not the product),
the import (`python -m analytics import EXPORT --db DB` with the defaults, as a user runs it), writing the
warehouse, and the reports. --memory-limit / --threads pass other limits to the import.

The import's floor is measured in the same run: every table of the database the import wrote, copied into a
new database file with the same limits (read, compressed and written; nothing typed, checked or computed).
No import of that data can take less on this machine; the import's row says how many times the floor it took.
Beside it, the export alone: each Parquet file read into a table of a new database file as it is (no typing,
checks or derived tables), the part of the floor that no import can avoid.

--spark MASTER adds the Spark import of the same Parquet export (`import EXPORT --engine spark --master MASTER
--warehouse PATH`) beside DuckDB's:

    .venv/bin/python bench/scale.py --sizes 100k --report-sizes none --spark 'local[2]'

Its peak MB is the Python process's only (Spark's JVM is a process of its own, not counted).
"""
from __future__ import annotations

import argparse
import json
import platform
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmark import generate_export  # noqa: E402  (the sample company as Parquet, by a child process)

SIZES = {"100k": 100_000, "200k": 200_000, "1M": 1_000_000, "2M": 2_000_000, "10M": 10_000_000, "30M": 30_000_000}
REPORT_OPTIONS = ({}, {"by": "source"})  # every report as the CLI prints it, and broken down by source
TARGETS = {"10M": {"import_s": 120, "import_mb": 4096, "report_s": 0.5}}

# A child: runs one step in this process and prints {"seconds", "peak_mb", …} as its last line.
CHILD = r"""
import json, resource, statistics, sys, time
sys.path.insert(0, {root!r})
step, args = sys.argv[1], sys.argv[2:]
start = time.perf_counter()
out = {{}}
if step == "import":
    from analytics.outputs import cli
    code = cli.main(["import", *args])
    out["code"] = code
elif step in ("floor", "raw"):  # the import's limits (its --memory-limit / --threads, else [engine.duckdb])
    import duckdb, os, tempfile
    from pathlib import Path
    from analytics.core.config import load_engine_settings
    from analytics.store import limits
    source, target, *given = args
    given = dict(zip(given[::2], given[1::2]))
    settings = load_engine_settings(environment=False).with_options(
        memory_limit=given.get("--memory-limit"), threads=int(given["--threads"]) if "--threads" in given else None)
    with tempfile.TemporaryDirectory(prefix="closed_loop_floor_") as spill:
        con = duckdb.connect()
        limits.apply(con, settings, spill)
        con.execute("attach ? as d", [target])
        start = time.perf_counter()
        if step == "floor":  # every table of the imported database
            con.execute("attach ? as s (read_only)", [source])
            for (table,) in con.sql("select table_name from duckdb_tables() where database_name = 's'").fetchall():
                con.execute(f'create table d."{{table}}" as select * from s."{{table}}"')
        else:  # every file of the export, as read
            for path in sorted(Path(source).glob("*.parquet")):
                con.execute(f'create table d."{{path.stem}}" as select * from read_parquet(?)', [str(path)])
        con.execute("checkpoint d")
        con.close()
    out["copy_mb"] = os.path.getsize(target) / 2**20
elif step == "warehouse":
    from analytics.store import warehouse
    warehouse.write_from_database(args[0], args[1], say=lambda m: None)
elif step == "reports":
    from analytics.core.config import EngineSettings
    from analytics.outputs.reports import REPORTS, Options
    from analytics.store import warehouse
    from analytics.store.db import open_store
    source, path, repeat = args[0], args[1], int(args[2])
    store = open_store(path) if source == "db" else warehouse.open_warehouse(path, EngineSettings())
    times = {{}}
    for options in {options!r}:
        for name, report in REPORTS.items():
            label = name + (" --by " + options["by"] if options else "")
            try:
                t = time.perf_counter(); report(store, Options(**options)); cold = time.perf_counter() - t
            except Exception as e:  # a report this data cannot answer (e.g. --by source for targets)
                times[label] = {{"error": str(e)[:80]}}
                continue
            warm = []
            for _ in range(repeat):
                t = time.perf_counter(); report(store, Options(**options)); warm.append(time.perf_counter() - t)
            times[label] = {{"cold": cold, "warm": statistics.median(warm)}}
    out["reports"] = times
out["seconds"] = time.perf_counter() - start
out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(out))
sys.exit(out.get("code", 0))
"""


def child(step: str, *args: str) -> tuple[dict, str]:
    code = CHILD.format(root=str(ROOT), options=REPORT_OPTIONS)
    done = subprocess.run([sys.executable, "-c", code, step, *map(str, args)], cwd=ROOT, capture_output=True,
                          text=True)
    if done.returncode != 0:
        raise SystemExit(f"{step} failed ({done.returncode}):\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    lines = done.stdout.strip().splitlines()
    return json.loads(lines[-1]), "\n".join(lines[:-1])


def spark_import(label: str, export: Path, workdir: Path, master: str) -> list[dict]:
    """The Spark import of the same Parquet export DuckDB imports, into a warehouse of its own (a child
    process, as a user runs it)."""
    wh = workdir / f"warehouse_{label}_spark"
    out, _ = child("import", export, "--engine", "spark", "--master", master, "--warehouse", wh)
    return [{"size": label, "what": f"import with Spark {master} (the same Parquet files, into a warehouse)",
             "seconds": out["seconds"], "peak_mb": out["peak_mb"],
             "note": "JVM start included; peak MB: the Python process only"}]


def run_size(label: str, workdir: Path, repeat: int, import_options: list[str], reports: bool,
             spark: str | None = None) -> list[dict]:
    export, db, wh = workdir / f"export_{label}", workdir / f"{label}.duckdb", workdir / f"warehouse_{label}"
    rows = [{"size": label, "what": "generate the sample (Parquet, child process)",
             "seconds": generate_export(export, SIZES[label])}]
    if spark:
        rows += spark_import(label, export, workdir, spark)
    out, printed = child("import", export, "--db", db, *import_options)
    settings = re.search(r"^DuckDB: (.*)$", printed, re.M)
    imported = {"size": label, "what": "import with " + (" ".join(import_options) or "the defaults"),
                "seconds": out["seconds"], "peak_mb": out["peak_mb"], "note": settings.group(1) if settings else ""}
    copied = workdir / f"{label}_copy.duckdb"  # each copy's file, deleted once timed
    copied.unlink(missing_ok=True)
    out, _ = child("floor", db, copied, *import_options)
    copied.unlink(missing_ok=True)
    raw, _ = child("raw", export, copied, *import_options)
    copied.unlink(missing_ok=True)
    imported["note"] += f"; {imported['seconds'] / out['seconds']:.1f} × the floor below"
    rows += [imported, {"size": label, "what": "the floor: the imported tables copied into a new database file",
                        "seconds": out["seconds"], "peak_mb": out["peak_mb"],
                        "note": f"{out['copy_mb']:,.0f} MB written; read, compressed, written: nothing computed"},
             {"size": label, "what": "the export alone: each file into a table of a new database file, as read",
              "seconds": raw["seconds"], "peak_mb": raw["peak_mb"],
              "note": f"{raw['copy_mb']:,.0f} MB written; no typing, checks or derived tables"}]
    out, _ = child("warehouse", db, wh)
    rows.append({"size": label, "what": "write the warehouse (Parquet) from the database", "seconds": out["seconds"],
                 "peak_mb": out["peak_mb"]})
    if reports:
        for source, path in (("db", db), ("warehouse", wh)):
            out, _ = child("reports", source, path, repeat)
            timed = {k: v for k, v in out["reports"].items() if "warm" in v}
            worst = max(timed, key=lambda k: timed[k]["warm"])
            rows.append({"size": label, "what": f"every report warm, from the {source} (worst: {worst})",
                         "seconds": timed[worst]["warm"], "peak_mb": out["peak_mb"],
                         "note": f"{len(timed)} reports; median of the warm medians "
                                 f"{sorted(v['warm'] for v in timed.values())[len(timed) // 2]:.3f} s",
                         "reports": out["reports"]})
    return rows


def markdown(rows: list[dict], command: str) -> str:
    def f(v, digits=3):
        return "" if v is None else f"{v:,.{digits}f}"
    lines = ["# Scale results (bench/scale.py)", "",
             f"Machine: {platform.machine()}, {len(__import__('os').sched_getaffinity(0))} cores, "
             f"Python {platform.python_version()}; run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}: "
             f"`{command}`.", "Each step in a child process of its own; peak MB is that process's maximum "
             "resident set size.", "",
             "| size | what | seconds | peak MB | note |", "|---|---|---:|---:|---|"]
    for r in rows:
        lines.append(f"| {r['size']} | {r['what']} | {f(r.get('seconds'))} | {f(r.get('peak_mb'), 0)} | "
                     f"{r.get('note', '')} |")
    lines += ["", "## Targets (issue 15)", "", "| size | target | this run | met |", "|---|---|---:|---|"]
    for size, target in TARGETS.items():
        found = {r["what"].split(" ")[0]: r for r in rows if r["size"] == size}
        if "import" in found:
            imp = found["import"]
            lines.append(f"| {size} | import ≤ {target['import_s']} s | {f(imp['seconds'], 1)} | "
                         f"{'yes' if imp['seconds'] <= target['import_s'] else '**no**'} |")
            lines.append(f"| {size} | import peak ≤ {target['import_mb']:,} MB | {f(imp['peak_mb'], 0)} | "
                         f"{'yes' if imp['peak_mb'] <= target['import_mb'] else '**no**'} |")
        for r in rows:
            if r["size"] == size and r["what"].startswith("every report"):
                lines.append(f"| {size} | {r['what'].split(' (')[0]} ≤ {target['report_s']} s | "
                             f"{f(r['seconds'])} | {'yes' if r['seconds'] <= target['report_s'] else '**no**'} |")
    if any(r["size"] == "30M" and r["what"].startswith("import") for r in rows):
        lines.append("| 30M | the import completes within the machine's memory | done | yes |")
    lines += ["", "## Every report (warm median, seconds)", ""]
    for r in rows:
        if "reports" in r:
            lines.append(f"- {r['size']}, {r['what'].split(' (')[0]}: " + ", ".join(
                f"{k} {v['warm']:.3f}" if "warm" in v else f"{k} (n/a)" for k, v in r["reports"].items()))
    return "\n".join(lines) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="10M,30M", help="comma-separated of " + ", ".join(SIZES))
    ap.add_argument("--report-sizes", default="200k,1M,10M", help="sizes whose reports are timed too")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--memory-limit", help="passed to the import (default: [engine.duckdb])")
    ap.add_argument("--threads", help="passed to the import (default: [engine.duckdb])")
    ap.add_argument("--workdir", type=Path, help="keep (and reuse) the exports, databases and warehouses here")
    ap.add_argument("--spark", metavar="MASTER", help="also time the Spark import (e.g. local[2]) of each size")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "scale_results.md")
    args = ap.parse_args()
    import_options = [*(["--memory-limit", args.memory_limit] if args.memory_limit else []),
                      *(["--threads", args.threads] if args.threads else [])]
    rows: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="closed_loop_scale_") as tmp:
        workdir = args.workdir or Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        for label in args.sizes.split(","):
            print(f"== {label} leads", flush=True)
            for row in run_size(label, workdir, args.repeat, import_options, label in args.report_sizes.split(","),
                                args.spark):
                rows.append(row)
                print("  ", {k: (round(v, 3) if isinstance(v, float) else v) for k, v in row.items()
                             if k != "reports"}, flush=True)
    text = markdown(rows, "bench/scale.py " + " ".join(sys.argv[1:]))
    args.out.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
