"""What the widgets offer and label, read once per data version: filter values, breakdown columns,
the tables present, the import's own tables, rep names, and the whole tables the drill-down lists read."""
from __future__ import annotations

from collections.abc import Callable

import polars as pl
import streamlit as st

from analytics.core.schema import REQUIRED_TABLES, TABLES
from analytics.engine import health, metrics
from analytics.i18n.messages import t
from analytics.store.sql import dimensions as lead_dimensions
from analytics.ui.store import data_version, get_store

REP_COLUMNS = ("owner_id", "sdr_id")  # lead columns holding a rep_id


@st.cache_data(max_entries=8, show_spinner=False)
def _lookups(version: str) -> dict:
    store = get_store()
    return {"values": metrics.filter_values(store), "dimensions": lead_dimensions(store.con),
            "present": store.tables_present()}


def filter_values() -> dict[str, list[str]]:
    return _lookups(data_version())["values"]


def dimensions() -> list[str]:
    """The allow-list of breakdown columns (the leads table's text columns)."""
    return _lookups(data_version())["dimensions"]


def tables_present() -> set[str]:
    return _lookups(data_version())["present"]


@st.cache_data(max_entries=16, show_spinner=False)
def _import_table(version: str, name: str) -> pl.DataFrame:
    if name in health.IMPORT_TABLES:
        return health.import_table(get_store(), name)
    cur = get_store().con.cursor()
    try:
        return cur.table(name).pl()
    finally:
        cur.close()


def import_files() -> pl.DataFrame:
    """One row per file read at import: table_name, file, rows_loaded, rows_rejected."""
    return _import_table(data_version(), "import_files")


def rejects(table_name: str | None = None) -> pl.DataFrame:
    """The rows the import refused (table_name, file, line, column_name, value, reason)."""
    frame = _import_table(data_version(), "rejects").sort("table_name", "line")
    return frame if table_name is None else frame.filter(pl.col("table_name") == table_name)


def import_meta() -> dict:
    """data_version, source_folder, imported_at, default_as_of, first_lead_at."""
    return _import_table(data_version(), "meta").row(0, named=True)


def source_labels() -> pl.DataFrame:
    """Every lead source label: leads, the marketing label it matched, whether it is marketing-sourced."""
    return _import_table(data_version(), "source_labels").with_columns(pl.col("source").fill_null("(none)"))


_REP_NAMES: dict[str, dict[str, str]] = {}  # data version -> rep names (read-only once built)


def rep_names() -> dict[str, str]:
    """rep_id -> name from the reps table (empty when the export has none); built once per data
    version, as labels are asked for per option and per row."""
    version = data_version()
    if version not in _REP_NAMES:
        reps = _import_table(version, "reps")
        _REP_NAMES[version] = (dict(reps.select("rep_id", "name").drop_nulls().iter_rows())
                               if "name" in reps.columns else {})
    return _REP_NAMES[version]


def rep_label(rep_id: str) -> str:
    name = rep_names().get(rep_id)
    return f"{name} ({rep_id})" if name else rep_id


def segment_label(by: str) -> Callable[[str], str]:
    """How the values of breakdown column `by` are shown: reps by name, anything else as it is."""
    return rep_label if by in REP_COLUMNS and rep_names() else str


def with_owner_names(frame: pl.DataFrame) -> pl.DataFrame:
    names = rep_names()
    if not names:
        return frame
    owner = pl.col("owner_id").replace_strict(names, default=pl.col("owner_id"), return_dtype=pl.String)
    at = frame.columns.index("owner_id")
    return frame.select(*frame.columns[:at], owner.alias("owner_name"), *frame.columns[at:])


def missing_tables() -> pl.DataFrame:
    """The optional tables this database lacks, the file that would add each, what it switches on."""
    present = tables_present()
    names = [n for n in TABLES if n not in REQUIRED_TABLES and n not in present]
    return pl.DataFrame({"table_name": names, "file": [f"{n}.csv" for n in names],
                         "enables": [t(f"enables.{n}") for n in names]}, schema=[
        ("table_name", pl.String), ("file", pl.String), ("enables", pl.String)])


def sales_stages(cfg) -> tuple[str, ...]:
    """The main stages from the hand-off on (before won): the leads sales works."""
    stages = cfg.main_stages
    return stages[stages.index(cfg.handoff_stage):-1]
