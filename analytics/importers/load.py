"""`python -m analytics import DIR`: read an export folder, validate it, build the database.

The database is written to a temporary file beside the target and moved into place only when
everything succeeded, so a failed import leaves the previous database as it was.
"""
from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import polars as pl

from analytics.core import forecast_model
from analytics.core.config import Config, EngineSettings, load_engine_settings
from analytics.core.filters import Filters
from analytics.core.forecast_model import BACKTEST_STORED
from analytics.core.forecast_periods import STORED as FORECAST_STORED
from analytics.core.forecast_periods import current_periods, mart_params
from analytics.core.schema import (
    REQUIRED_TABLES,
    TABLES,
)
from analytics.core.stalled import stalled_params
from analytics.importers.deal_repairs import repair_deals
from analytics.importers.formats import Caveat, ConversionFailed, Converted, convert
from analytics.importers.load_table import TableResult, create_empty, load_table
from analytics.importers.readers import (
    UnreadableFile,
    normalise_header,
    shadowed_files,
    table_files,
)
from analytics.store import limits
from analytics.store.db import DERIVED, SCHEMA_VERSION, describe
from analytics.store.identifiers import literal
from analytics.store.meetings import MeetingStore
from analytics.store.sql import materialise, run, run_script

LOAD_SHARE = 0.5  # of an import's time, reading the files (by their size); deriving tables is the rest


class ImportFailed(Exception):
    """The import stopped; the message names the file (and column) at fault."""

@dataclass
class ImportResult:
    db_path: Path
    tables: list[TableResult] = field(default_factory=list)
    seconds: float = 0.0
    settings: dict[str, str] = field(default_factory=dict)  # memory_limit, threads as the connection had them
    spilled_bytes: int = 0  # the largest size the spill folder reached
    spill_folder: str = ""

    @property
    def rejected(self) -> int:
        return sum(t.rejected for t in self.tables)


def import_folder(folder: str | Path, db_path: str | Path, cfg: Config,
                  say: Callable[[str], None] = print, progress: bool = False,
                  fmt: str = "canonical", mapping: str | Path | None = None,
                  on_progress: Callable[[float, str], None] | None = None,
                  source: str | None = None, pipeline_memory: MeetingStore | None = None,
                  settings: EngineSettings | None = None) -> ImportResult:
    """Import `folder` (canonical tables, or an export in `fmt` converted first) into db_path.
    `progress` lets DuckDB draw its own bar for long statements (a terminal); `on_progress` is told
    the fraction done and the step (a bar on a page or in the CLI); `source` is where the Data page
    says the data came from (default: the folder); `pipeline_memory` (the side database) keeps this import's
    open deals and gives an export without deal history the earlier imports' (docs/metrics.md "Pipeline
    movement"). `settings` bound every DuckDB connection the import opens (memory_limit, threads, the
    spill folder; default [engine.duckdb] of closed_loop.toml)."""
    folder, db_path = Path(folder), Path(db_path)
    started = time.perf_counter()
    if not folder.is_dir():
        raise ImportFailed(f"{folder}: not a folder")
    settings = settings or load_engine_settings()  # [engine.duckdb] of closed_loop.toml
    spill = limits.spill_folder(settings, db_path)
    try:
        spill.mkdir(parents=True)
    except OSError as e:
        raise ImportFailed(f"{spill}: cannot create the spill folder (--temp-dir, [engine.duckdb] temp_directory): "
                           f"{e.strerror}") from None
    workdir = Path(tempfile.mkdtemp(prefix="closed_loop_import_"))
    try:
        with limits.SpillMeter(spill) as meter, limits.active(settings, spill):
            converted = _convert(folder, fmt, cfg, mapping, workdir, say)
            result = _import(workdir / "canonical" if converted else folder, source or str(folder.resolve()),
                             db_path, cfg, say, progress,
                             workdir, converted, started, on_progress or (lambda done, step: None),
                             (pipeline_memory, fmt))
        result.spilled_bytes, result.spill_folder = meter.peak_bytes, str(spill)
        return result
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _convert(folder: Path, fmt: str, cfg: Config, mapping, workdir: Path, say,
             write: Callable[[pl.DataFrame, Path, str], None] | None = None) -> Converted | None:
    """A CRM or mapped export converted to canonical tables in `workdir`/canonical: Parquet for this
    import, or whatever `write(frame, folder, table)` writes (the Spark import: CSV files)."""
    if fmt == "canonical":
        return None
    say(f"converting the {fmt} export in {folder}")
    try:
        converted = convert(fmt, folder, cfg, Path(mapping) if mapping else None)
    except ConversionFailed as e:
        raise ImportFailed(str(e)) from None
    out = workdir / "canonical"
    out.mkdir()
    for name, frame in converted.tables.items():
        if write:
            write(frame, out, name)
        else:
            frame.write_parquet(out / f"{name}.parquet")
    for note in [*converted.notes, *(c.note for c in converted.caveats)]:
        say(note)
    return converted


def export_files(folder: Path, origin: str, say) -> dict[str, Path]:
    """The export's file per table (the required ones there, or ImportFailed), saying which files are
    skipped: not a table of the canonical model, or shadowed by another file of the same table."""
    files = table_files(folder)
    for name in REQUIRED_TABLES:
        if name not in files:
            raise ImportFailed(f"{origin}: no {name}.csv (or .parquet/.xlsx); it is required")
    for name, path in files.items():
        if name not in TABLES:
            say(f"skipped {path.name}: not a table of the canonical model")
    for path in shadowed_files(folder, files):
        say(f"skipped {path.name}: {files[normalise_header(path.stem)].name} already provides that table")
    return files


def _import(folder: Path, origin: str, db_path: Path, cfg: Config, say, progress: bool, workdir: Path,
            converted: Converted | None, started: float, on_progress,
            memory: tuple[MeetingStore | None, str] = (None, "canonical")) -> ImportResult:
    files = export_files(folder, origin, say)

    db_path.parent.mkdir(parents=True, exist_ok=True)
    _remove_abandoned(db_path)
    tmp = db_path.with_name(f".{db_path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")
    result = ImportResult(db_path)
    try:
        con = limits.connect(tmp)
        try:
            result.settings = limits.current(con)
            _prepare(con, cfg, progress)
            total = sum(files[t].stat().st_size for t in files if t in TABLES) or 1
            read = 0
            for table in _in_order(files):
                spec = TABLES[table]
                if table in files:
                    say(f"reading {files[table].name} ({_size(files[table])})")
                    on_progress(LOAD_SHARE * read / total, f"reading {files[table].name}")
                    result.tables.append(load_table(con, spec, files[table], cfg, workdir))
                    read += files[table].stat().st_size
                else:
                    create_empty(con, spec)
            if converted and converted.rejects:
                _conversion_rejects(con, converted, result)
            repaired = repair_deals(con, cfg)
            for caveat in repaired:
                say(caveat.note)
            pipeline_history(con, *memory, say)
            say("deriving stage entries, status and hand-off facts")
            for i, name in enumerate(DERIVED):
                on_progress(LOAD_SHARE + (0.95 - LOAD_SHARE) * i / len(DERIVED), f"deriving {name}")
                run_script(con, name, cfg.source_params())
            on_progress(0.95, "storing the stalled list, the forecast's track record and writing the database")
            _write_meta(con, origin, result)
            _write_caveats(con, [*(converted.caveats if converted else []), *repaired])
            _store_answers(con, cfg)
            con.execute("checkpoint")
        finally:
            con.close()
        os.replace(tmp, db_path)
        on_progress(1.0, "done")
    except UnreadableFile as e:
        raise ImportFailed(str(e)) from None
    except duckdb.OutOfMemoryException as e:
        raise ImportFailed(f"{origin}: import failed ({str(e).splitlines()[0][:300]}): give DuckDB fewer "
                           f"--threads or a larger --memory-limit (now {result.settings.get('memory_limit')}, "
                           f"{result.settings.get('threads')} threads; about 1 GB per thread for millions of leads: "
                           "[engine.duckdb] in closed_loop.toml, docs/scale.md)") from None
    except duckdb.Error as e:
        raise ImportFailed(f"{origin}: import failed ({str(e).splitlines()[0][:300]})") from None
    finally:
        for leftover in (tmp, Path(f"{tmp}.wal")):
            leftover.unlink(missing_ok=True)
    result.seconds = time.perf_counter() - started
    return result


def _remove_abandoned(db_path: Path) -> None:
    """Temporary databases left by an import that was killed (its process no longer exists)."""
    for leftover in db_path.parent.glob(f".{db_path.name}.*.tmp*"):
        try:
            pid = int(leftover.name[len(db_path.name) + 2:].split(".")[0])
            os.kill(pid, 0)
        except ProcessLookupError:
            leftover.unlink(missing_ok=True)
        except (ValueError, PermissionError):
            continue


def _size(path: Path) -> str:
    n = path.stat().st_size
    return f"{n / 1e6:.1f} MB" if n >= 1e5 else f"{n / 1e3:.1f} kB"


def _in_order(files: dict[str, Path]) -> list[str]:
    ordered: list[str] = []
    for name in TABLES:
        for dep in TABLES[name].depends_on:
            if dep not in ordered:
                ordered.append(dep)
        if name not in ordered:
            ordered.append(name)
    return ordered


def _prepare(con, cfg: Config, progress: bool) -> None:
    con.execute(f"set TimeZone = {literal(cfg.timezone)}")
    # DuckDB draws a progress bar on stdout for long statements: only where a person watches
    con.execute(f"set enable_progress_bar = {'true' if progress else 'false'}")
    con.execute("create table stage_config (stage varchar, stage_order integer, kind varchar, role varchar)")
    con.executemany("insert into stage_config values (?, ?, ?, ?)", cfg.stage_rows())
    con.execute("create table office_hours as select ?::boolean as enabled, ?::varchar as tz, "
                "?::double as start_hour, ?::double as end_hour",
                [cfg.business_hours, cfg.office_timezone, cfg.office_start_hour, cfg.office_end_hour])
    con.execute("create table settings (config_json varchar)")
    con.execute("insert into settings values (?)", [cfg.to_json()])
    con.execute("create table rejects (table_name varchar, file varchar, line bigint, "
                "column_name varchar, value varchar, reason varchar)")
    # parse_ts / parse_date are inlined by load_table.TablePlan (no macros: the Spark import runs the same SQL)


def _write_caveats(con, caveats: list[Caveat]) -> None:
    """import_notes: one row per caveat of the converter or the deal rules (topic, code, note, values as JSON)."""
    con.execute("create table import_notes (topic varchar, code varchar, note varchar, values_json varchar)")
    for c in caveats:
        con.execute("insert into import_notes values (?, ?, ?, ?)", [c.topic, c.code, c.note, json.dumps(c.values)])


def _conversion_rejects(con, converted: Converted, result: ImportResult) -> None:
    """The converter's rejects, under the canonical table each row was meant for (added after the
    tables load, whose own rejects count converted lines); a table's count includes them."""
    con.executemany("insert into rejects values (?, ?, ?, ?, ?, ?)",
                    [(converted.table_of(r), r.file, r.line, r.column, r.value, r.reason) for r in converted.rejects])
    rows = {t.table: t for t in result.tables}
    for table in dict.fromkeys(converted.table_of(r) for r in converted.rejects):
        rejected = con.execute("select count(distinct (file, line)) from rejects where table_name = ?",
                               [table]).fetchall()[0][0]
        if table not in rows:
            files = sorted({r.file for r in converted.rejects if converted.table_of(r) == table})
            rows[table] = TableResult(table, ", ".join(files), 0, 0)
            result.tables.append(rows[table])
        rows[table].rejected = rejected


def _store_answers(con, cfg) -> None:
    """Answers at the data's own as-of that a page asks for on every run and that cost too much to
    compute then (read by metrics.stalled; any other as-of is computed from the event tables)."""
    as_of = con.execute("select default_as_of from meta").fetchall()[0][0]
    materialise(con, "stalled_now", "marts/stalled", stalled_params(cfg, Filters(), as_of))
    if as_of is not None:  # the forecast's inputs at as-of, default currency (analytics/engine/forecast.py)
        params = mart_params(as_of, current_periods(as_of), None)
        for table, mart in FORECAST_STORED.items():
            materialise(con, table, mart, params[mart])
        _store_backtest(con)


def _store_backtest(con) -> None:
    """The forecast's backtest at the data's as-of in its default currency (the weekly review's track record
    on every open): thirteen forecasts, each learning from two years of Mondays — seconds at millions of
    deals. Nothing stored when no whole month has passed (the engine's answer is then empty at once)."""
    store = describe(con, "the database being imported")
    code = store.money_currency(None)
    frame = forecast_model.backtest(lambda mart, params: run(con, mart, params), store.default_as_of,
                                    store.first_lead_at, code, code == store.cfg.currency)
    if not frame.is_empty():
        con.register("_backtest", frame)
        con.execute(f"create table {BACKTEST_STORED} as select * from _backtest")
        con.unregister("_backtest")


def _write_meta(con, origin: str, result: ImportResult) -> None:
    con.execute("create table import_files (table_name varchar, file varchar, rows_loaded bigint, "
                "rows_rejected bigint)")
    con.executemany("insert into import_files values (?, ?, ?, ?)",
                    [(t.table, t.file, t.loaded, t.rejected) for t in result.tables])
    run_script(con, "derived/meta", {"data_version": uuid.uuid4().hex, "folder": origin,
                                     "schema_version": SCHEMA_VERSION})


def pipeline_history(con, memory: MeetingStore | None, source: str, say) -> None:
    """Where deal history comes from (table history_source: kind export | snapshots | none, snapshots,
    first_at). An export without opportunity_history gets the open deals every earlier import of the same
    format kept in the side database, each as a change at that import's as-of, then the deals as this
    export has them; this import's open deals are kept for the next one."""
    exported = con.execute("select count(*) from opportunity_history").fetchall()[0][0] > 0
    kind, count, first = ("export", 0, None) if exported else ("none", 0, None)
    if memory is not None and not exported:
        as_of = con.execute("select coalesce(greatest(last_recorded_event(), (select max(closed_at) "
                            "from opportunities)), timestamp '1970-01-01')").fetchall()[0][0]
        columns = {r[0] for r in con.execute("describe opportunities").fetchall()}
        stage = "crm_stage" if "crm_stage" in columns else "null::varchar"
        now = con.sql(f"select opportunity_id, {stage} as stage, original_amount as amount, expected_close_at, "
                          "null::double as probability from opportunities where status = 'open'").pl()
        earlier = memory.pipeline_before(source, as_of)
        if not earlier.is_empty():
            con.register("earlier_pipeline", earlier)
            con.execute("insert into opportunity_history (opportunity_id, changed_at, stage, amount, "
                        "expected_close_at, probability) select e.opportunity_id, e.as_of, e.stage, e.amount, "
                        "e.expected_close_at, e.probability from earlier_pipeline as e "
                        "join opportunities as o using (opportunity_id)")
            # then each of those deals as this export has it, from this import's as-of
            con.execute(f"insert into opportunity_history (opportunity_id, changed_at, stage, amount, "
                        f"expected_close_at, probability) select o.opportunity_id, least(?, coalesce(o.closed_at, ?)), "
                        f"{'o.crm_stage' if stage == 'crm_stage' else 'null'}, o.original_amount, o.expected_close_at, "
                        "null from opportunities as o where o.opportunity_id in (select opportunity_id "
                        "from earlier_pipeline)", [as_of, as_of])
            con.unregister("earlier_pipeline")
            kind, count, first = "snapshots", earlier["as_of"].n_unique(), earlier["as_of"].min()
            say(f"no deal history in this export: pipeline movement from {count} earlier import(s) kept since "
                f"{first:%Y-%m-%d}")
        else:
            say("no deal history in this export: pipeline movement shows stage, amount and close-date changes "
                "from the next import on (this import's open deals are kept for it)")
        memory.keep_pipeline(source, as_of, now)
    con.execute("create table history_source as select ?::varchar as kind, ?::integer as snapshots, "
                "?::timestamp as first_at", [kind, count, first])
