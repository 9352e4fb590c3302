"""A larger export from a smaller one: N copies of a Parquet export (the generated company), each under ids
of its own, for the scale bench (bench/scale.py) where the generator holds the whole company in memory.

    .venv/bin/python bench/replicate_export.py /data/scale/export_10M /data/scale/export_30M --copies 3

Copy k prefixes every id of a lead, account, opportunity, touch and activity with `k-` (so the leads of
copy 2 are new leads with the same histories); campaigns, content, reps and targets are shared, as one
company's would be. DuckDB streams each table from Parquet to Parquet: the copy needs little memory.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import duckdb

# the columns that name a record of its copy, per table (every other column is copied as it is)
COPIED_IDS = {
    "leads": ("lead_id", "account_id"),
    "stage_history": ("lead_id",),
    "score_history": ("lead_id",),
    "touches": ("touch_id", "lead_id"),
    "activities": ("activity_id", "lead_id"),
    "feedback": ("lead_id",),
    "opportunities": ("opportunity_id", "lead_id", "account_id"),
    "opportunity_history": ("opportunity_id",),
}
SHARED = ("campaigns", "content", "reps", "targets")


def replicate(source: Path, target: Path, copies: int) -> None:
    target.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    for table, ids in COPIED_IDS.items():
        path = source / f"{table}.parquet"
        if not path.exists():
            continue
        replaced = ", ".join(f"$copy || '-' || {c} as {c}" for c in ids)
        one = f"select * replace ({replaced}) from read_parquet($path)"
        parts = " union all ".join(one.replace("$copy", f"'{k}'") for k in range(1, copies + 1))
        out = target / f"{table}.parquet"
        con.execute(f"copy ({parts}) to '{out}' (format parquet, compression zstd)", {"path": str(path)})
        print(f"{table}: {con.execute('select count(*) from read_parquet(?)', [str(out)]).fetchall()[0][0]:,} rows",
              flush=True)
    for table in SHARED:
        path = source / f"{table}.parquet"
        if path.exists():
            (target / path.name).write_bytes(path.read_bytes())


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("source", type=Path)
    ap.add_argument("target", type=Path)
    ap.add_argument("--copies", type=int, default=3)
    args = ap.parse_args()
    if not (args.source / "leads.parquet").exists():
        print(f"error: {args.source}: no leads.parquet (a Parquet export, e.g. from bench/scale.py)", file=sys.stderr)
        return 2
    start = time.perf_counter()
    replicate(args.source, args.target, args.copies)
    print(f"{args.copies} copies in {time.perf_counter() - start:.1f} s: {args.target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
