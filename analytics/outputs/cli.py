"""python -m analytics import|report|sample (see docs/cli.md)."""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb

from analytics.core.config import ENGINES, ConfigError, EngineSettings, load_config, load_engine_settings
from analytics.core.schema import EARLIEST_YEAR, LATEST_YEAR
from analytics.engine.base import MetricError
from analytics.engine.health import data_confidence, import_table
from analytics.importers.formats import FORMATS
from analytics.importers.load import ImportFailed, ImportResult, import_folder
from analytics.outputs.render import render
from analytics.outputs.reports import REPORTS, Options
from analytics.store import warehouse
from analytics.store.db import NotADatabase, default_db_path, go_live, open_store, staged_path
from analytics.store.limits import spilled_words
from analytics.store.sql import UnknownColumn


def _as_of(text: str) -> datetime:
    """Stored times are naive UTC, so an --as-of with an offset is turned into naive UTC. Within the years
    the import accepts (`schema.EARLIEST_YEAR`–`LATEST_YEAR`): the forecast's periods run past it."""
    value = datetime.fromisoformat(text)
    value = value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value
    if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        raise argparse.ArgumentTypeError(f"{text!r} is outside the years {EARLIEST_YEAR}–{LATEST_YEAR}")
    return value


def _engine_options(parser: argparse.ArgumentParser, limits: bool = True) -> None:
    """--engine, and the DuckDB limits of [engine.duckdb] (closed_loop.toml) a command can override."""
    parser.add_argument("--engine", choices=ENGINES, help="duckdb (default: [engine] engine) or spark")
    if limits:
        parser.add_argument("--memory-limit", metavar="SIZE", help="DuckDB memory limit, e.g. 3GB (default: config)")
        parser.add_argument("--threads", type=int, metavar="N", help="DuckDB threads (default: config)")
        parser.add_argument("--temp-dir", type=Path, metavar="DIR",
                            help="where DuckDB spills beyond the memory limit (default: beside the database)")


def _settings(args) -> EngineSettings:
    """[engine] of the configuration (and CLOSED_LOOP_WAREHOUSE) with this command's options on top."""
    temp = getattr(args, "temp_dir", None)
    return load_engine_settings(getattr(args, "config", None)).with_options(
        engine=args.engine, warehouse=str(args.warehouse) if args.warehouse else None,
        memory_limit=getattr(args, "memory_limit", None), threads=getattr(args, "threads", None),
        temp_directory=str(temp) if temp else None)


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m analytics", description="Closed Loop funnel analytics")
    sub = p.add_subparsers(dest="command", required=True)

    imp = sub.add_parser("import", help="validate an export folder and write the database")
    imp.add_argument("dir", type=Path)
    imp.add_argument("--db", type=Path, default=None)
    imp.add_argument("--format", default="canonical", choices=["canonical", *FORMATS])
    imp.add_argument("--mapping", type=Path,
                     help="the mapping file (TOML or YAML): required with --format mapped; with salesforce or "
                          "hubspot it overrides the stage and status maps")
    imp.add_argument("--config", type=Path)
    imp.add_argument("--keep-previous", action="store_true",
                     help="keep the database it replaces (NAME.previous.duckdb) for the Data page to restore")
    imp.add_argument("--warehouse", metavar="PATH",
                     help="also write every table as Parquet to this warehouse folder (docs/scale.md); "
                          "without --db the database is only a temporary step")
    imp.add_argument("--master", metavar="URL", help="--engine spark: local[N], yarn, spark://…, sc://…")
    imp.add_argument("--driver-memory", metavar="SIZE", default=None,
                     help="--engine spark: the driver's memory (spark.driver.memory; default: local[N] half this "
                          "machine's memory, 4g-16g, as it runs every task; a cluster 4g)")
    _engine_options(imp)

    rep = sub.add_parser("report", help="print one report")
    rep.add_argument("report", choices=sorted(REPORTS))
    src = rep.add_mutually_exclusive_group()
    src.add_argument("--db", type=Path)
    src.add_argument("--data", type=Path, help="import this export folder into a temporary database first")
    src.add_argument("--warehouse", metavar="PATH", help="read this warehouse (docs/scale.md) instead of a database")
    _engine_options(rep)
    rep.add_argument("--config", type=Path)
    rep.add_argument("--by")
    rep.add_argument("--from", dest="start", type=date.fromisoformat, metavar="DATE")
    rep.add_argument("--to", dest="end", type=date.fromisoformat, metavar="DATE")
    rep.add_argument("--as-of", dest="as_of", type=_as_of, metavar="TIMESTAMP",
                     help="ISO timestamp; with an offset it is converted to UTC, without one it is UTC")
    rep.add_argument("--from-stage")
    rep.add_argument("--to-stage")
    rep.add_argument("--window", type=int, metavar="DAYS")
    rep.add_argument("--grain", choices=["week", "month", "lead", "account"], default="week",
                     help="flow: week or month; attribution: lead (default) or account (the buying committee)")
    rep.add_argument("--hours", type=float, help="sla: the follow-up SLA in hours (default: config)")
    rep.add_argument("--measure", choices=["follow_up", "decision", "recycle"], default="follow_up",
                     help="sla: which promise to score")
    rep.add_argument("--model", default="linear",
                     choices=["first_touch", "last_touch", "linear", "u_shaped", "w_shaped", "time_decay",
                              "markov", "shapley"])
    rep.add_argument("--basis", default="won", choices=["won", "pipeline"])
    rep.add_argument("--currency", type=str.upper, metavar="ISO",
                     help="money reports: only amounts in this currency (default: one block per currency)")
    rep.add_argument("--period", metavar="12m|6m|YEAR",
                     help="portfolio, growth_paths: trailing 12 or 6 months, or a calendar year (default: the "
                          "longest trailing window whose prior period the data covers)")
    rep.add_argument("--relative", choices=["bookings", "competitor"],
                     help="portfolio: relative share against the largest other unit, or head-to-head against the "
                          "strongest named competitor (default: competitor when most units have a deal naming one)")
    rep.add_argument("--format", default="csv", choices=["csv", "json", "table"])

    pack = sub.add_parser("pack", help="write the weekly or monthly review pack (HTML, or PDF by the name)")
    pack.add_argument("kind", choices=["weekly", "monthly"])
    pack.add_argument("--week", help="ISO week such as 2026-W07 (default: the last complete week)")
    pack.add_argument("--out", type=Path, required=True, help="FILE.html or FILE.pdf")
    where = pack.add_mutually_exclusive_group()
    where.add_argument("--db", type=Path)
    where.add_argument("--warehouse", metavar="PATH", help="read this warehouse (docs/scale.md)")
    _engine_options(pack, limits=False)
    pack.add_argument("--lang", choices=["en", "zh"], help="language of the pack (default: CLOSED_LOOP_LANG, else en)")

    sample = sub.add_parser("sample", help="write the sample company's export")
    sample.add_argument("out", type=Path)
    sample.add_argument("--leads", type=int, default=4000)
    sample.add_argument("--seed", type=int, default=7)
    sample.add_argument("--format", default="csv", choices=["csv", "parquet"])
    return p


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "import":
            return _import(args)
        if args.command == "report":
            return _report(args)
        if args.command == "pack":
            return _pack(args)
        from analytics.sample.generate import generate
        counts = generate(args.out, leads=args.leads, seed=args.seed, file_format=args.format)
        print(", ".join(f"{k}: {v}" for k, v in counts.items()))
        return 0
    except (ImportFailed, ConfigError, NotADatabase, MetricError, UnknownColumn) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # `... | head`: the reader left; not an error of ours
        sys.stderr.close()
        return 0


SOURCES_SHOWN = 30  # source labels listed after an import (most leads first); the Data page has them all


def _summary(result: ImportResult, written: str | None = None, store=None) -> str:
    """Per table the rows loaded and rejected; the rejects as the rejects table holds them (rows, and
    reasons when a row had several); what DuckDB was allowed and what it spilled; every lead source
    label and whether it counted as marketing. `written` says where the data went (default: the database)."""
    width = max(len(t.table) for t in result.tables)
    lines = [f"{t.table:<{width}}  {t.loaded:>10,} loaded  {t.rejected:>8,} rejected   ({t.file})"
             for t in result.tables]
    lines.append(written or f"database written: {result.db_path} in {result.seconds:.1f} s")
    if result.settings:
        lines.append(f"DuckDB: memory_limit {result.settings['memory_limit']}, threads {result.settings['threads']}; "
                     + spilled_words(result.spilled_bytes, result.spill_folder))
    store = store or open_store(result.db_path)
    try:
        confidence, sources = data_confidence(store), import_table(store, "source_labels")
    finally:
        store.close()
    rows, reasons = confidence["rows_rejected"], confidence["reject_reasons"]
    if rows:
        counted = f"{rows:,} {'row' if rows == 1 else 'rows'} rejected"
        if reasons != rows:
            counted += f" ({reasons:,} reasons: a row can be refused for several)"
        lines.append(f"{counted}: see the Data page or the rejects table")
    return "\n".join([*lines, *_source_lines(sources)])


def _source_lines(sources) -> list[str]:
    """source  leads  marketing / not marketing (the marketing label it matched, when spelt otherwise)."""
    if sources.is_empty():
        return []
    names = [s if s is not None else "(none)" for s in sources["source"]]
    width = max(len(n) for n in names)
    lines = ["lead sources (marketing-sourced: matches [sources] marketing in the config, ignoring case, "
             "spaces, _ and -):"]
    for name, (leads, label, is_marketing) in zip(
            names, sources.select("leads", "marketing_label", "is_marketing").iter_rows(), strict=True):
        verdict = "marketing" if is_marketing else "not marketing"
        if is_marketing and label != name:
            verdict += f" (as {label})"
        lines.append(f"  {name:<{width}}  {leads:>10,} leads  {verdict}")
    if len(lines) > SOURCES_SHOWN + 1:
        lines[SOURCES_SHOWN + 1:] = [f"  … and {len(lines) - SOURCES_SHOWN - 1:,} more labels: see the Data page"]
    return lines


def _import(args) -> int:
    cfg = load_config(args.config)
    settings = _settings(args)
    if settings.engine == "spark":
        return _import_spark(args, cfg)
    if args.warehouse and not args.db:
        # the warehouse is the output: the DuckDB file is built beside the spill folder and dropped after
        spill_base = settings.temp_directory if Path(settings.temp_directory or "-").is_dir() else None
        with tempfile.TemporaryDirectory(prefix="closed_loop_import_", dir=spill_base) as tmp:
            return _import_into(args, cfg, settings, Path(tmp) / "import.duckdb")
    return _import_into(args, cfg, settings, args.db or default_db_path())


def _import_into(args, cfg, settings: EngineSettings, db: Path) -> int:
    from analytics.store.meetings import MeetingStore

    started = time.perf_counter()
    watched = sys.stderr.isatty()
    target = staged_path(db) if args.keep_previous else db  # imported beside it, then swapped in
    result = import_folder(args.dir, target, cfg, progress=sys.stdout.isatty(), fmt=args.format,
                           mapping=args.mapping, on_progress=_draw_bar if watched else None, settings=settings,
                           pipeline_memory=MeetingStore())  # an export without deal history: snapshots
    if args.keep_previous:
        go_live(target, db)
        result.db_path = db
    written = None
    if args.warehouse:  # only where the command says: a configured warehouse is what readers read
        try:
            build = warehouse.write_from_database(db, args.warehouse, settings, say=lambda m: None)
        except (OSError, duckdb.Error) as e:
            raise ImportFailed(f"{args.warehouse}: could not write the warehouse ({str(e).splitlines()[0][:300]}); "
                               "its live build is as it was") from None
        what = f"database written: {db}; " if args.db else ""
        written = (f"{what}warehouse written: {args.warehouse} ({build.name}) in "
                   f"{time.perf_counter() - started:.1f} s")
    print(_summary(result, written))
    return 0


def _import_spark(args, cfg) -> int:
    """import --engine spark: the export read and checked by Spark, written as a warehouse build
    (analytics/importers/spark_import.py; docs/scale.md "Importing on Spark")."""
    from analytics.importers.spark_import import import_spark

    if not args.warehouse:
        raise ImportFailed("--engine spark writes a warehouse: give --warehouse PATH (a DuckDB file is written "
                           "by the DuckDB engine only)")
    if args.db or args.keep_previous:
        raise ImportFailed("--engine spark writes a warehouse only: leave out --db / --keep-previous")
    started = time.perf_counter()
    result = import_spark(args.dir, args.warehouse, cfg, master=args.master or "local[2]", fmt=args.format,
                          mapping=args.mapping, driver_memory=args.driver_memory)
    store = warehouse.open_warehouse(args.warehouse)
    written = (f"warehouse written by Spark ({args.master or 'local[2]'}): {args.warehouse} ({result.build.name}) "
               f"in {time.perf_counter() - started:.1f} s")
    print(_summary(result, written, store))
    return 0


def _draw_bar(done: float, step: str) -> None:
    """One line on the terminal, redrawn: [#########-----------]  45%  reading touches.csv"""
    filled = round(done * 30)
    sys.stderr.write(f"\r[{'#' * filled}{'-' * (30 - filled)}] {done:4.0%}  {step[:60]:<60}")
    if done >= 1:
        sys.stderr.write("\n")
    sys.stderr.flush()


def _report(args) -> int:
    options = Options(by=args.by, start=args.start, end=args.end, as_of=args.as_of,
                      from_stage=args.from_stage, to_stage=args.to_stage, window=args.window,
                      grain=args.grain, hours=args.hours, measure=args.measure,
                      model=args.model, basis=args.basis, currency=args.currency,
                      period=args.period, relative=args.relative)
    settings = _settings(args)
    if args.data:
        with tempfile.TemporaryDirectory(prefix="closed_loop_report_") as tmp:
            db = Path(tmp) / "report.duckdb"
            result = import_folder(args.data, db, load_config(args.config),
                                   say=lambda m: print(m, file=sys.stderr), settings=settings)
            print(_summary(result), file=sys.stderr)
            return _print_report(warehouse.open_data(settings, db), args.report, options, args.format)
    return _print_report(warehouse.open_data(settings, args.db), args.report, options, args.format)


def _pack(args) -> int:
    from analytics.i18n.messages import set_language
    from analytics.outputs import pack
    from analytics.store.meetings import MeetingStore

    if args.lang:
        set_language(args.lang, process=True)
    store = warehouse.open_data(_settings(args), args.db)
    try:
        text = pack.build(store, args.kind, args.week, meetings=MeetingStore(),
                          interactive=Path(args.out).suffix.lower() != ".pdf")
    finally:
        store.close()
    out = pack.write(text, args.out)
    print(f"review pack written: {out}")
    return 0


def _print_report(store, name: str, options: Options, fmt: str) -> int:
    try:
        frame = REPORTS[name](store, options)
    finally:
        store.close()
    sys.stdout.write(render(frame, fmt))
    return 0
