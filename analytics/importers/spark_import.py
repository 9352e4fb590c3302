"""`python -m analytics import SRC --engine spark --master URL --warehouse PATH` (docs/scale.md "Importing on
Spark"): the export read by Spark, validated by the same statements the DuckDB import runs, and written as
a warehouse build (the layout of analytics/store/warehouse.py), published only when complete.

What runs where:
- reading: each canonical CSV file by Spark, one row per physical line, numbered as the DuckDB import
  numbers them (header = line 1); a file in another encoding is transcoded to UTF-8 first (a local SRC);
  a Parquet file by Spark with its own column types, rows numbered from 1 in file order as DuckDB's
  file_row_number (its times given to the typing as ISO text: the same instant or wall clock DuckDB's
  typed path gives); an .xlsx sheet, or a CSV file whose quoted values span lines, by the DuckDB import's
  readers in this process, handed to Spark with their line numbers;
- typing, rejects, duplicates: load_table.TablePlan's statements, translated by spark_sql.to_spark;
- deal repairs (derived/deal_dates.sql, deal_money.sql: UPDATEs and a temporary macro, not in the portable
  subset): DuckDB on the driver, over the deal-sized tables only (opportunities, campaigns, exchange rates
  and the closing stage entries of closed deals), with the export's last recorded event computed by Spark;
- derived tables (store.db.DERIVED), meta and the stored answers (stalled_now, the forecast inputs): the
  queries/ files on Spark (spark_engine.SparkEngine);
- settings, stage_config, office_hours, import_files, import_notes, history_source: small tables written
  from Python as the DuckDB import writes them.

pyspark is imported only here, when the command asks for Spark.
"""
from __future__ import annotations

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
from analytics.core.config import Config
from analytics.core.filters import Filters
from analytics.core.forecast_model import BACKTEST_STORED
from analytics.core.forecast_periods import STORED as FORECAST_STORED
from analytics.core.forecast_periods import current_periods, mart_params
from analytics.core.schema import TABLES, Table
from analytics.core.stalled import stalled_params
from analytics.importers.deal_repairs import _date_caveats, _money_caveats
from analytics.importers.formats import SOURCE_FILE, SOURCE_LINE, Converted
from analytics.importers.load import (
    ImportFailed,
    ImportResult,
    _convert,
    _in_order,
    _prepare,
    _write_caveats,
    export_files,
)
from analytics.importers.load_table import TablePlan, TableResult, create_empty
from analytics.importers.readers import (
    UnreadableFile,
    _check_names,
    _csv_frame_exact,
    _csv_header,
    _delimiter,
    _xlsx_frame,
    detect_encoding,
    normalise_header,
    to_utf8,
)
from analytics.store import warehouse
from analytics.store.db import CURRENCIES_SQL, DERIVED, SCHEMA_VERSION
from analytics.store.identifiers import literal, quote
from analytics.store.spark_engine import kept
from analytics.store.spark_sql import java_pattern
from analytics.store.sql import run_script

MASTERS = ("local", "local[N]", "yarn", "spark://host:port", "sc://host:port")
REJECTS_SCHEMA = ("select cast(null as string) as table_name, cast(null as string) as file, "
                  "cast(null as bigint) as line, cast(null as string) as column_name, "
                  "cast(null as string) as value, cast(null as string) as reason where false")


@dataclass
class SparkImportResult(ImportResult):
    build: Path | None = None
    caveats: list = field(default_factory=list)


def check_available(master: str) -> None:
    """A sentence, not a traceback, when this machine cannot start Spark: pyspark missing, or (for
    any master but Spark Connect) no Java."""
    try:
        import pyspark  # noqa: F401
    except ImportError:
        raise ImportFailed("--engine spark needs pyspark (pip install -r requirements-dev.txt, or "
                           "pip install 'pyspark>=4'); import with DuckDB (the default) otherwise") from None
    if not master.startswith("sc://") and not (shutil.which("java") or os.environ.get("JAVA_HOME")):
        raise ImportFailed("--engine spark needs Java 17 or later on this machine (or JAVA_HOME set) to start "
                           f"Spark ({master}); a Spark Connect master (sc://…) needs none. Import with DuckDB "
                           "(the default) otherwise")
    if not (master.startswith(("local", "yarn", "spark://", "sc://", "k8s://", "mesos://"))):
        raise ImportFailed(f"--master {master!r}: give one of {', '.join(MASTERS)}")


def driver_memory_for(master: str) -> str:
    """Spark's driver memory when --driver-memory is not given. local[N] runs every task in the driver:
    half this machine's memory, 4g to 16g (a million leads ran out of heap with 4g and imported with 10g,
    docs/scale.md); on a cluster the driver only plans and collects: 4g."""
    if not master.startswith("local"):
        return "4g"
    total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") if hasattr(os, "sysconf") else 8 << 30
    return f"{max(4, min(16, total // 2 >> 30))}g"


BYTES_PER_PARTITION = 8 << 20  # of the export's files: a local import's shuffle partitions (4 at least)


def local_partitions(files: dict[str, Path]) -> int:
    """Shuffle partitions for a local[N] import, by the size of the export: 4 for a small one (each costs a
    task per stage), more as it grows, so no task holds more than a slice of the largest table."""
    size = sum(p.stat().st_size for p in files.values())
    return max(4, min(200, -(-size // BYTES_PER_PARTITION)))


def spark_session(master: str, driver_memory: str | None = None, partitions: int = 4):
    """The session for an import: classic (local[N], yarn, spark://) or Spark Connect (sc://)."""
    from analytics.store.spark_engine import SESSION_CONF, session

    if master.startswith("sc://"):
        from pyspark.sql import SparkSession

        spark = SparkSession.builder.remote(master).getOrCreate()
        for key, value in SESSION_CONF.items():
            if key != "spark.sql.parquet.inferTimestampNTZ.enabled":
                spark.conf.set(key, value)
        return spark
    # local: `partitions` (local_partitions); a cluster keeps Spark's 200, which adaptive execution
    # coalesces where the data is small
    shuffle = str(partitions) if master.startswith("local") else "200"
    spark = session(master, driver_memory or driver_memory_for(master), app="closed-loop-import",
                    **{"spark.ui.showConsoleProgress": "false", "spark.sql.shuffle.partitions": shuffle})
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def import_spark(src: str | Path, warehouse_path: str | Path, cfg: Config, master: str = "local[2]",
                 say: Callable[[str], None] = print, spark=None, fmt: str = "canonical",
                 mapping: str | Path | None = None, driver_memory: str | None = None) -> SparkImportResult:
    """Import the canonical CSV folder `src` (or an export in `fmt`, converted to canonical CSV files by
    the Python converters first) with Spark into a new build of the warehouse at
    `warehouse_path` (a local folder, or one every Spark executor sees), published only when complete.
    `spark`: a session to use (the tests share one); else one is started for `master`."""
    started = time.perf_counter()
    folder = Path(src)
    if "://" in str(src):
        raise ImportFailed(f"{src}: the Spark import of this version reads a local folder (or a mounted one); "
                           "copy or mount the export (docs/scale.md)")
    if warehouse.is_remote(warehouse_path):
        raise ImportFailed(f"{warehouse_path}: the Spark import of this version writes a local (or mounted) folder, "
                           "not an object-store path; write to a mount and copy the live build (docs/scale.md)")
    if not folder.is_dir():
        raise ImportFailed(f"{folder}: not a folder")
    for fmt_text in cfg.timestamp_formats:  # each must have a Spark pattern (spark_sql.rewrite_strptime)
        try:
            java_pattern(fmt_text)
        except ValueError as e:
            raise ImportFailed(f"timestamp_formats (closed_loop.toml): {e}; import with DuckDB") from None
    root = warehouse._local(warehouse_path)
    workdir = Path(tempfile.mkdtemp(prefix="closed_loop_spark_import_"))
    staging = root / f".staging-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    result = SparkImportResult(root)
    try:
        converted = _convert(folder, fmt, cfg, mapping, workdir, say, write=_write_csv)
        files = _files(workdir / "canonical" if converted else folder, str(folder.resolve()), say)
        if spark is None:
            check_available(master)
            spark = spark_session(master, driver_memory, local_partitions(files))
        root.mkdir(parents=True, exist_ok=True)
        warehouse._remove_abandoned(root)
        staging.mkdir()
        _run(spark, files, str(folder.resolve()), cfg, staging, workdir, result, say, converted)
        result.build = warehouse.publish(root, staging, result.settings["data_version"], written_by="spark")
    except UnreadableFile as e:
        raise ImportFailed(str(e)) from None
    except ImportFailed:
        raise
    except duckdb.Error as e:  # the driver's part (deal repairs, the small tables)
        raise ImportFailed(f"{folder}: the Spark import failed ({_first(e)}); the warehouse's live build "
                           "is as it was") from None
    except Exception as e:  # Spark's own errors (py4j, AnalysisException, Connect): one line, no traceback
        if type(e).__module__.startswith(("pyspark", "py4j")):
            raise ImportFailed(f"{folder}: the Spark import failed ({_first(e)}); the warehouse's live build "
                               "is as it was") from None
        raise
    finally:
        if staging.exists():  # a failure: nothing of it stays (a published build was renamed away)
            warehouse._remove(staging)
        shutil.rmtree(workdir, ignore_errors=True)
    result.settings = {}  # not DuckDB limits: the summary prints none
    result.seconds = time.perf_counter() - started
    return result


def _first(e: Exception) -> str:
    text = str(e).strip()
    return text.splitlines()[0][:300] if text else type(e).__name__


LINE_BREAK = "\ue000"  # a line break inside a converted value, while it crosses a CSV file (one row per line)


def _write_csv(frame: pl.DataFrame, folder: Path, name: str) -> None:
    """A converted table as a canonical CSV file for Spark (load._convert writes Parquet for DuckDB): times
    as ISO text (an instant with its offset, a naive time as it is, read in `timezone` as DuckDB reads a
    naive Parquet time), a line break inside a value replaced by LINE_BREAK and restored when read."""
    columns = []
    for column, dtype in frame.schema.items():
        c = pl.col(column)
        if isinstance(dtype, pl.Datetime) and dtype.time_zone:
            c = c.dt.convert_time_zone("UTC").dt.strftime("%Y-%m-%d %H:%M:%S%.f+00:00")
        elif isinstance(dtype, pl.Datetime):
            c = c.dt.strftime("%Y-%m-%d %H:%M:%S%.f")
        elif dtype == pl.String:
            c = c.str.replace_all("\r\n|\r|\n", LINE_BREAK)
        columns.append(c)
    frame.select(columns).write_csv(folder / f"{name}.csv")


def _files(folder: Path, origin: str, say) -> dict[str, Path]:
    return {n: p for n, p in export_files(folder, origin, say).items() if n in TABLES}


def _run(spark, files: dict[str, Path], origin: str, cfg: Config, staging: Path, workdir: Path,
         result: SparkImportResult, say, converted: Converted | None = None) -> None:
    from analytics.store.spark_engine import SparkEngine

    engine = SparkEngine(spark)  # sets the session to UTC; the typing below reads naive times in cfg.timezone
    driver = duckdb.connect(":memory:")  # the small tables, built by the same code as the DuckDB import's
    try:
        _prepare(driver, cfg, progress=False)
        for table in ("stage_config", "office_hours", "settings"):
            _copy(driver, table, staging)
            engine.register_parquet(table, staging / table)
        rejects = spark.sql(REJECTS_SCHEMA)
        spark.conf.set("spark.sql.session.timeZone", cfg.timezone)
        try:
            for table in _in_order(files):
                spec = TABLES[table]
                if table in files:
                    say(f"reading {files[table].name} on Spark")
                    rejects, loaded = _load_table(engine, spec, files[table], cfg, workdir, rejects, staging,
                                                  converted is not None)
                    result.tables.append(loaded)
                else:  # no file: the empty table, typed as the DuckDB import types it (create_empty)
                    create_empty(driver, spec)
                    _copy(driver, table, staging)
                    engine.register_parquet(table, staging / table)
        finally:
            spark.conf.set("spark.sql.session.timeZone", "UTC")
        if converted and converted.rejects:
            rejects = _conversion_rejects(spark, converted, rejects, result)
        _write(rejects, staging / "rejects")
        repaired = _repair_deals(engine, driver, cfg, staging)
        result.caveats = [*(converted.caveats if converted else []), *repaired]
        for caveat in repaired:
            say(caveat.note)
        exported = engine.spark.table("opportunity_history").limit(1).count() > 0
        driver.execute("create table history_source as select ?::varchar as kind, 0::integer as snapshots, "
                       "null::timestamp as first_at", ["export" if exported else "none"])
        if not exported:
            say("no deal history in this export: pipeline movement needs opportunity_history.csv with the Spark "
                "import (it keeps no snapshots of earlier imports)")
        say("deriving stage entries, status and hand-off facts on Spark")
        for name in DERIVED:
            if name.startswith("derived/"):
                for table in engine.run_script(name, cfg.source_params()):
                    _write(engine.spark.table(table), staging / table)
                    engine.register_parquet(table, staging / table)
        data_version = uuid.uuid4().hex
        engine.run_script("derived/meta", {"data_version": data_version, "folder": origin,
                                           "schema_version": SCHEMA_VERSION})
        _write(engine.spark.table("meta"), staging / "meta")
        driver.execute("create table import_files (table_name varchar, file varchar, rows_loaded bigint, "
                       "rows_rejected bigint)")
        driver.executemany("insert into import_files values (?, ?, ?, ?)",
                           [(t.table, t.file, t.loaded, t.rejected) for t in result.tables])
        _write_caveats(driver, result.caveats)
        for table in ("history_source", "import_files", "import_notes"):
            _copy(driver, table, staging)
        _store_answers(engine, cfg, staging)
        result.settings = {"data_version": data_version}
    finally:
        driver.close()


# ---- reading one file --------------------------------------------------------------------------------------

def _load_table(engine, spec: Table, path: Path, cfg: Config, workdir: Path, rejects, staging: Path,
                was_converted: bool = False):
    """One canonical table typed and checked on Spark by load_table.TablePlan's statements, written to the
    build and registered from there; returns the rejects so far (this table's added) and what was loaded."""
    spark = engine.spark
    raw, bad, types = _read(spark, path, cfg, workdir, was_converted)
    header = list(types)
    plan = TablePlan(spec, types, cfg, path.name)
    if message := plan.missing_required():
        raise UnreadableFile(message)
    raw.createOrReplaceTempView(f"raw_{spec.name}")
    before = rejects
    typed = kept(engine.frame(plan.typed_sql(f"raw_{spec.name}")))
    typed.createOrReplaceTempView("typed")
    from pyspark.sql import functions as F

    found = bad.select(F.lit(spec.name).alias("table_name"), F.lit(path.name).alias("file"),
                       F.col("line").cast("bigint").alias("line"), F.lit(None).cast("string").alias("column_name"),
                       F.lit(None).cast("string").alias("value"), F.col("reason"))
    for rule in plan.column_rejects():
        sql, params = plan.reject_sql(rule)
        found = found.unionByName(engine.frame(sql, params))
    rejects = kept(rejects.unionByName(found))
    rejects.createOrReplaceTempView("rejects")
    duplicates = plan.duplicates_sql()
    if duplicates and engine.frame(duplicates).collect()[0][0]:
        for rule in plan.duplicate_rejects():  # each sees the rejects of the one before
            sql, params = plan.reject_sql(rule)
            rejects = kept(rejects.unionByName(engine.frame(sql, params)))
            rejects.createOrReplaceTempView("rejects")
    # the anti join of kept_sql(True) keeps every row when the table has no rejects: no count needed first
    _write(engine.frame(plan.kept_sql(True)), staging / spec.name)
    engine.register_parquet(spec.name, staging / spec.name)
    shown = path.name
    if SOURCE_LINE in header:  # a converted export: point rejects at the original file and line (load_table)
        source_file = f"r.{quote(SOURCE_FILE)}" if SOURCE_FILE in header else "null"
        mine = engine.frame(f"""select x.table_name, coalesce({source_file}, x.file) as file,
                                    coalesce(try_cast(r.{quote(SOURCE_LINE)} as bigint), x.line) as line,
                                    x.column_name, x.value, x.reason
                                from rejects as x left join {quote(f"raw_{spec.name}")} as r on x.line = r._line
                                where x.table_name = $t""", {"t": spec.name})
        rejects = kept(before.unionByName(mine))
        rejects.createOrReplaceTempView("rejects")
    if SOURCE_FILE in header:  # name the export's own files, not the converted intermediate
        names = sorted({r[0] for r in raw.select(SOURCE_FILE).distinct().collect() if r[0] is not None})
        shown = ", ".join(names) or path.name
    rejected = spark.sql("select count(distinct file, line) from rejects where table_name = :t",
                         args={"t": spec.name}).collect()[0][0]
    return rejects, TableResult(spec.name, shown, spark.table(spec.name).count(), rejected)


def _conversion_rejects(spark, converted: Converted, rejects, result: SparkImportResult):
    """As load._conversion_rejects: the converter's rejects under the canonical table each row was meant
    for, and each table's count of rejected rows with them."""
    rows = [(converted.table_of(r), r.file, r.line, r.column, r.value, r.reason) for r in converted.rejects]
    added = spark.createDataFrame(rows, "table_name string, file string, line bigint, column_name string, "
                                        "value string, reason string")
    rejects = kept(rejects.unionByName(added))
    rejects.createOrReplaceTempView("rejects")
    by_table = {t.table: t for t in result.tables}
    for table in dict.fromkeys(converted.table_of(r) for r in converted.rejects):
        rejected = spark.sql("select count(distinct file, line) from rejects where table_name = :t",
                             args={"t": table}).collect()[0][0]
        if table not in by_table:
            files = sorted({r.file for r in converted.rejects if converted.table_of(r) == table})
            by_table[table] = TableResult(table, ", ".join(files), 0, 0)
            result.tables.append(by_table[table])
        by_table[table].rejected = rejected
    return rejects


def _read(spark, path: Path, cfg: Config, workdir: Path, was_converted: bool = False):
    """(raw frame: the file's columns plus _line, unreadable lines: (line, reason), {column: the type name
    load_table.TablePlan reads, as DuckDB names the raw column's type})."""
    from pyspark.sql import functions as F

    suffix = path.suffix.lower()
    if suffix == ".parquet":
        raw, types = _read_parquet(spark, path)
        return raw, _unreadable(spark, []), types
    if suffix == ".xlsx":  # the DuckDB import's reader, in this process (a workbook is never lake-sized)
        frame = _xlsx_frame(path)
        header = [c for c in frame.columns if c != "_line"]
        return _text_frame(spark, frame, header), _unreadable(spark, []), {h: "VARCHAR" for h in header}
    raw, bad, header = _read_csv(spark, path, cfg, workdir)
    if was_converted:  # a converted export: its line breaks back in their values
        raw = raw.select(*[F.regexp_replace(h, LINE_BREAK, "\n").alias(h) for h in header], "_line")
    return raw, bad, {h: "VARCHAR" for h in header}


def _text_frame(spark, frame: pl.DataFrame, header: list[str]):
    """A table read in this process (all text plus _line) as a Spark frame."""
    return spark.createDataFrame(frame.select(*header, "_line").rows(), f"{_text_schema(header)}, _line bigint")


def _unreadable(spark, rows: list[tuple[int, str]]):
    return spark.createDataFrame(rows, "line bigint, reason string")


# A Parquet column's Spark type -> DuckDB's name for it, where load_table.NATIVE converts it without parsing
# (numbers); times and dates are given as text (below) and anything else as Spark's text of it, which the
# typing parses as DuckDB parses its text of the same value.
SPARK_NUMBERS = {"DoubleType": "DOUBLE", "FloatType": "FLOAT", "LongType": "BIGINT", "IntegerType": "INTEGER",
                 "ShortType": "SMALLINT", "ByteType": "TINYINT"}


def _read_parquet(spark, path: Path):
    """A Parquet file as Spark reads it, columns named as the DuckDB import names them, rows numbered from 1
    in file order (DuckDB's file_row_number + 1). An instant (TIMESTAMP, UTC-adjusted) becomes ISO text with
    its offset and a wall-clock time (TIMESTAMP_NTZ) or a date ISO text without one, so the typing reads the
    same instant, or the same wall clock in `timezone`, as DuckDB's typed path (load_table.NATIVE)."""
    from pyspark.sql import functions as F

    frame = spark.read.parquet(str(path.resolve()))
    names = [normalise_header(c) for c in frame.columns]
    _check_names(names, path)
    columns, types = [], {}
    for field_, name in zip(frame.schema.fields, names):
        kind, c = type(field_.dataType).__name__, F.col(f"`{field_.name}`")
        if kind == "TimestampType":
            c = F.date_format(F.to_utc_timestamp(c, spark.conf.get("spark.sql.session.timeZone")),
                              "yyyy-MM-dd HH:mm:ss.SSSSSS+00:00")
        elif kind == "TimestampNTZType":
            c = F.date_format(c, "yyyy-MM-dd HH:mm:ss.SSSSSS")
        elif kind not in SPARK_NUMBERS:
            c = c.cast("string")
        columns.append(c.alias(name))
        types[name] = SPARK_NUMBERS.get(kind, "VARCHAR")
    return _numbered(frame.select(*columns), first=1), types


def _numbered(frame, first: int):
    """`frame` with _line: its rows numbered from `first` in order (a file's splits are its partitions,
    in file order). monotonically_increasing_id = partition << 33 | position: a row's number is the rows of
    earlier partitions plus its position within its own."""
    from pyspark.sql import functions as F

    spark = frame.sparkSession
    frame = kept(frame.select("*", F.spark_partition_id().alias("_pid"),
                              F.monotonically_increasing_id().alias("_mid")))
    counts = sorted((r[0], r[1]) for r in frame.groupBy("_pid").count().collect())
    offsets, seen = [], 0
    for pid, n in counts:
        offsets.append((pid, seen))
        seen += n
    offset = spark.createDataFrame(offsets, "_pid int, _offset bigint")
    line = F.col("_offset") + F.col("_mid") - F.shiftleft(F.col("_pid").cast("bigint"), 33) + first
    return frame.join(F.broadcast(offset), "_pid").withColumn("_line", line).drop("_pid", "_offset", "_mid")


def _read_csv(spark, path: Path, cfg: Config, workdir: Path):
    """(raw frame: the header's columns as text plus _line, unreadable lines: (line, reason), header).
    Every physical line is numbered as the DuckDB import numbers it (the header is line 1; an empty line
    is skipped but counted) and is one row — unless a quote opens on a line and closes on a later one (a
    value with a line break, or a quote never closed): then the file is read as the DuckDB import reads
    it, by its exact reader in this process (_read_exact)."""
    from pyspark.sql import functions as F

    encoding = cfg.encoding or detect_encoding(path)
    try:
        utf8 = to_utf8(path, encoding, workdir)  # Spark is given UTF-8, as DuckDB is
    except (UnicodeError, LookupError, OSError) as e:
        raise UnreadableFile(f"{path.name}: cannot be read as a table ({e})") from None
    header = _csv_header(utf8, path)  # "the file is empty", a repeated or empty name: as DuckDB's import says
    lines = _numbered(spark.read.option("wholetext", "false").text(str(utf8.resolve())), first=1)
    with open(utf8, encoding="utf-8-sig", newline="") as f:  # the header as the DuckDB import reads it
        sample = f.read(64 * 1024)
    delimiter = _delimiter(sample)
    body = lines.filter("_line > 1 and value <> ''")
    quotes = F.length(F.col("value")) - F.length(F.regexp_replace("value", '"', ""))
    unquoted = F.regexp_replace("value", '"[^"]*"', "")
    fields = F.size(F.split(unquoted, _regex(delimiter), -1))
    body = body.select("value", "_line", (quotes % 2 == 1).alias("_open"), fields.alias("_fields"))
    if body.filter("_open").limit(1).count():
        return (*_read_exact(spark, utf8, header), header)
    n = len(header)
    reason = F.format_string(f"expected {n} fields, found %d", F.col("_fields"))
    bad = body.filter(F.col("_fields") != n).select(F.col("_line").alias("line"), reason.alias("reason"))
    parsed = F.from_csv(F.col("value"), _text_schema(header),
                        {"sep": delimiter, "quote": '"', "escape": '"', "mode": "PERMISSIVE"})
    raw = (body.filter(F.col("_fields") == n)
           .select(parsed.alias("_r"), "_line").select(*[F.col("_r").getField(h).alias(h) for h in header], "_line"))
    return raw, bad, header


def _text_schema(header: list[str]) -> str:
    return ", ".join(f"`{h.replace('`', '``')}` STRING" for h in header)


def _read_exact(spark, utf8: Path, header: list[str]):
    """A CSV file whose quoted values span lines, read by the DuckDB import's exact reader (Python's csv
    module: a record at the line it starts on, the same reasons for a quote never closed or a ragged
    record) and handed to Spark. It runs in this process, over this file only: such files are CRM exports
    with notes, not lake-sized tables."""
    frame, unreadable = _csv_frame_exact(utf8, header)
    return _text_frame(spark, frame, header), _unreadable(spark, unreadable)


def _regex(delimiter: str) -> str:
    return "\\" + delimiter if delimiter in "|" else delimiter


# ---- deal repairs on the driver, stored answers, writing -------------------------------------------------

def _repair_deals(engine, driver, cfg: Config, staging: Path) -> list:
    """derived/deal_dates.sql and deal_money.sql (UPDATEs, a temporary macro: not portable) run by DuckDB
    on the driver over the deal-sized tables; the repaired opportunities and campaigns replace Spark's."""
    last = engine.frame("select last_recorded_event() as event_at").collect()[0][0]
    for table in ("opportunities", "campaigns", "exchange_rates"):
        driver.execute(f"create or replace table {table} as select * from read_parquet("
                       f"{literal(str(staging / table / '*.parquet'))})")
    closing = engine.frame(
        "select h.lead_id, h.stage, h.entered_at from stage_history as h where h.stage in ($won_stage, $lost_stage) "
        "and h.lead_id in (select lead_id from opportunities where status in ('won', 'lost'))",
        {"won_stage": cfg.won_stage, "lost_stage": cfg.lost_stage})
    driver.register("closing_arrow", closing.toArrow())
    driver.execute("create or replace table stage_history as select lead_id::varchar as lead_id, "
                   "stage::varchar as stage, entered_at::timestamp as entered_at from closing_arrow")
    driver.unregister("closing_arrow")
    at = f"timestamp {literal(last.isoformat(sep=' '))}" if last is not None else "null::timestamp"
    driver.execute(f"create macro last_recorded_event() as {at}")  # computed by Spark over every event table
    run_script(driver, "derived/deal_dates", {"won_stage": cfg.won_stage, "lost_stage": cfg.lost_stage})
    run_script(driver, "derived/deal_money", {"currency": cfg.currency})
    caveats = [*_date_caveats(driver), *_money_caveats(driver, cfg.currency)]
    for table in ("opportunities", "campaigns"):
        warehouse._remove(staging / table)
    for table in ("opportunities", "campaigns", "deal_repairs", "currencies"):
        _copy(driver, table, staging)
        engine.register_parquet(table, staging / table)
    return caveats


def _store_answers(engine, cfg: Config, staging: Path) -> None:
    """As load._store_answers: the stalled list, the forecast's inputs and its backtest at the data's as-of,
    by Spark."""
    as_of, first_lead_at = engine.spark.table("meta").select("default_as_of", "first_lead_at").collect()[0]
    answers = {"stalled_now": engine.run("marts/stalled", stalled_params(cfg, Filters(), as_of))}
    if as_of is not None:
        params = mart_params(as_of, current_periods(as_of), None)
        answers.update({table: engine.run(mart, params[mart]) for table, mart in FORECAST_STORED.items()})
        code = engine.spark.sql(CURRENCIES_SQL).collect()[0][0]
        backtest = forecast_model.backtest(lambda mart, bound: _naive_times(engine.run(mart, bound)), as_of,
                                           first_lead_at, code, code == cfg.currency)
        if not backtest.is_empty():
            answers[BACKTEST_STORED] = backtest
    for table, frame in answers.items():
        (staging / table).mkdir()
        _naive_times(frame).write_parquet(staging / table / "part-0.parquet", compression="zstd")


def _naive_times(frame: pl.DataFrame) -> pl.DataFrame:
    """A time of a bound parameter comes back from Spark with its zone: DuckDB's is naive UTC."""
    return frame.with_columns(
        [pl.col(c).dt.convert_time_zone("UTC").dt.replace_time_zone(None)
         for c, t in frame.schema.items() if isinstance(t, pl.Datetime) and t.time_zone])


def _write(frame, folder: Path) -> None:
    frame.write.option("compression", "zstd").parquet(str(folder.resolve()))
    for marker in folder.glob("*"):  # Spark's _SUCCESS and .crc files: not part of the layout
        if not marker.name.endswith(".parquet"):
            marker.unlink()


def _copy(driver, table: str, staging: Path) -> None:
    folder = staging / table
    folder.mkdir()
    driver.execute(f"copy (select * from {quote(table)}) to {literal(str(folder / 'part-0.parquet'))} "
                   "(format parquet, compression zstd)")
