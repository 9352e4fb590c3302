"""The Spark engine (docs/engines.md): runs the files of queries/ on a Spark session, translated by
analytics/store/spark_sql.py, with the same header checks, the same `{by}` allow-list and the same
bound parameters as the DuckDB runner (analytics/store/sql.py), and returns Polars frames.

pyspark is imported only when a session is made: DuckDB (the default engine) never needs it.
"""
from __future__ import annotations

from pathlib import Path

import polars as pl
import sqlglot
from sqlglot import exp

from analytics.store.portable import statements
from analytics.store.spark_sql import spark_params, to_spark, used_params
from analytics.store.sql import (
    UnknownColumn,
    allowed_dimensions,
    checked_params,
    person_columns,
    query_text,
    script_text,
)

# What a session needs so that the SQL means what it means on DuckDB: times in UTC (the data's
# timestamps are UTC wall clocks, TIMESTAMP_NTZ), no ANSI mode (x / 0 is NULL, as on DuckDB).
SESSION_CONF = {
    "spark.sql.session.timeZone": "UTC",
    "spark.sql.ansi.enabled": "false",
    "spark.sql.parquet.inferTimestampNTZ.enabled": "true",
    "spark.sql.timestampType": "TIMESTAMP_NTZ",
}


class NotPortable(ValueError):
    """A statement the Spark engine does not run (an UPDATE, a temp macro: the import's repairs)."""


def session(master: str = "local[2]", driver_memory: str = "1g", app: str = "closed-loop", **conf):
    """A Spark session set up as the engine needs (SESSION_CONF), small for a laptop or CI."""
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.master(master).appName(app)
    settings = {"spark.driver.memory": driver_memory, "spark.ui.enabled": "false",
                "spark.sql.shuffle.partitions": "4", **SESSION_CONF, **conf}
    for key, value in settings.items():
        builder = builder.config(key, value)
    return builder.getOrCreate()


class SparkEngine:
    """queries/ on a Spark session whose catalog holds the canonical tables (temp views or tables)."""

    def __init__(self, spark):
        self.spark = spark
        for key, value in SESSION_CONF.items():
            if key != "spark.sql.parquet.inferTimestampNTZ.enabled":
                spark.conf.set(key, value)

    def register_parquet(self, table: str, path: str | Path) -> None:
        self.spark.read.parquet(str(path)).createOrReplaceTempView(table)

    def frame(self, duckdb_text: str, params: dict | None = None):
        """A Spark DataFrame of one portable DuckDB statement, its parameters bound."""
        text = to_spark(duckdb_text)
        bound = spark_params(params or {})
        wanted = used_params(text)
        missing = wanted - bound.keys()
        if missing:
            raise ValueError(f"parameters {sorted(missing)} are used but not given")
        return self.spark.sql(text, args={k: bound[k] for k in wanted} or None)

    def run(self, name: str, params: dict | None = None, by: str | None = None, by_table: str = "l",
            columns: list[str] | None = None, keys: dict[str, tuple[str, ...]] | None = None) -> pl.DataFrame:
        """What analytics.store.sql.run returns on DuckDB, computed by Spark."""
        bound = checked_params(name, params)
        text = query_text(name, by, by_table, columns, keys)
        if "{person_columns}" in text:
            text = text.replace("{person_columns}", person_columns(self.spark.table("leads").columns))
        return to_polars(self.frame(text, bound))

    def run_script(self, name: str, params: dict | None = None) -> list[str]:
        """Build the tables of a derived script (`create table X as ...`) as cached temp views; returns
        their names. Anything else (an update, a temp macro) is refused: NotPortable."""
        bound = checked_params(name, params, offered=frozenset((params or {}).keys()))
        built = []
        leads = self.spark.table("leads").columns if self.spark.catalog.tableExists("leads") else []
        for text in statements(script_text(name, leads)):
            tree = sqlglot.parse_one(text, read="duckdb")
            if not (isinstance(tree, exp.Create) and str(tree.args.get("kind", "")).upper() == "TABLE"
                    and isinstance(tree.expression, exp.Query)):
                raise NotPortable(f"queries/{name}.sql: only `create table ... as select` runs on Spark, not "
                                  f"{' '.join(text.split())[:60]}...")
            table = tree.this.name
            frame = self.frame(tree.expression.sql(dialect="duckdb"), bound)
            kept(frame).createOrReplaceTempView(table)
            built.append(table)
        return built

    def columns(self, table: str) -> list[tuple[str, bool]]:
        from pyspark.sql.types import StringType

        return [(f.name, isinstance(f.dataType, StringType)) for f in self.spark.table(table).schema.fields]

    def dimensions(self, table: str = "leads") -> list[str]:
        return allowed_dimensions(self.columns(table))

    def checked_dimension(self, by: str | None, table: str = "leads") -> str | None:
        if by is not None and by not in self.dimensions(table):
            raise UnknownColumn(f"--by {by!r} is not a column of {table}; choose one of: "
                                f"{', '.join(self.dimensions(table))}")
        return by


def kept(frame):
    """`frame` computed once and kept, its plan cut there (a local checkpoint), on the executors' local
    disk rather than as objects on their heap. A 10M-lead import on local[2]: 1,402 s this way, 1,511 s
    with Spark's default (memory, then disk); at 1M leads 244 s, about 200 s (bench/scale_results.md)."""
    from pyspark import StorageLevel

    return frame.localCheckpoint(storageLevel=StorageLevel.DISK_ONLY)


def to_polars(frame) -> pl.DataFrame:
    return pl.from_arrow(frame.toArrow())
