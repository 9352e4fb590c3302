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
from analytics.views.labels import named

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


@st.cache_resource(max_entries=16, show_spinner=False)  # shared, not copied per call: frames are immutable
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


# the table and the column each kind of name is read from
NAME_SOURCES = {"reps": ("rep_id", "name"), "campaigns": ("campaign_id", "name"), "content": ("content_id", "title")}
_NAMES: dict[tuple[str, str], dict[str, str]] = {}  # (data version, table) -> id -> name (read-only once built)


def names_of(table: str) -> dict[str, str]:
    """id -> display name from `table` (reps, campaigns or content); empty when the export has none.
    Built once per data version, as labels are asked for per option and per row."""
    version = data_version()
    if (version, table) not in _NAMES:
        key, name = NAME_SOURCES[table]
        rows = _import_table(version, table) if table in tables_present() else pl.DataFrame()
        _NAMES[version, table] = (dict(rows.select(key, name).drop_nulls().iter_rows())
                                  if {key, name} <= set(rows.columns) else {})
    return _NAMES[version, table]


def rep_names() -> dict[str, str]:
    """rep_id -> name from the reps table (empty when the export has none)."""
    return names_of("reps")


def rep_label(rep_id: str) -> str:
    name = rep_names().get(rep_id)
    return f"{name} ({rep_id})" if name else rep_id


def campaign_label(campaign_id: str) -> str:
    name = names_of("campaigns").get(campaign_id)
    return f"{name} ({campaign_id})" if name else campaign_id


def segment_label(by: str) -> Callable[[str], str]:
    """How the values of breakdown column `by` are shown: reps and campaigns by name, anything else
    as it is."""
    if by in REP_COLUMNS and rep_names():
        return rep_label
    if by == "campaign_id" and names_of("campaigns"):
        return campaign_label
    return str


@st.cache_resource(max_entries=4, show_spinner=False)  # shared: a copy per call was a million rows per table
def _people(version: str) -> pl.DataFrame:
    """lead_id, lead_name, company_name of every lead (empty when the export names nobody)."""
    cur = get_store().con.cursor()
    try:
        columns = {r[0] for r in cur.execute("select column_name from information_schema.columns "
                                             "where table_name = 'leads'").fetchall()}
        if "lead_name" not in columns:
            return pl.DataFrame(schema={"lead_id": pl.String, "lead_name": pl.String, "company_name": pl.String})
        company = "company_name" if "company_name" in columns else "null::varchar as company_name"
        return cur.sql(f"select lead_id, lead_name, {company} from leads").pl()
    finally:
        cur.close()


def with_names(frame: pl.DataFrame) -> pl.DataFrame:
    """frame with names beside its ids (views/labels.named): reps, campaigns, content, leads."""
    return namer()(frame)


def namer() -> Callable[[pl.DataFrame], pl.DataFrame]:
    """`with_names` with this run's names captured: for work done later, outside the script run (a CSV
    made when its download button is pressed)."""
    names, people = {table: names_of(table) for table in NAME_SOURCES}, _people(data_version())
    return lambda frame: named(frame, names, people)


def with_owner_names(frame: pl.DataFrame) -> pl.DataFrame:
    return with_names(frame)


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


def unit_label(columns: tuple[str, ...]) -> Callable[[str], str]:
    """How a business unit (values of `columns` joined by " · ") is shown: each part as segment_label shows it."""
    labels = [segment_label(c) for c in columns]
    if all(label is str for label in labels):
        return str

    def label(unit: str) -> str:
        parts = unit.split(" · ")
        if len(parts) != len(labels):
            return unit
        return " · ".join(f(p) for f, p in zip(labels, parts, strict=True))
    return label
