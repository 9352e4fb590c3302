"""The dashboard's one Streamlit seam: the store, cached results, the shared filters, and the two
ways pages draw (a chart with its rule, a table with its download).

- The store is a `st.cache_resource` keyed on the database path and file time, so a re-import is
  picked up; the default database is built from data/sample/ on first start. Nothing is opened at
  import time.
- Results are `st.cache_data` keyed on plain parameters plus the data version, and bounded.
- The sidebar (app.py) puts its Filters in session state; pages read them with `filters()`.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import polars as pl
import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from analytics import health, messages, metrics
from analytics.config import load_config
from analytics.db import DEFAULT_DB, SAMPLE_DIR, Store, default_db_path, open_store
from analytics.filters import Filters
from analytics.importer import import_folder
from analytics.messages import column_label, fmt_change, fmt_date, fmt_datetime, fmt_days, fmt_int, stage_label, t
from analytics.output import render
from analytics.queries import dimensions as lead_dimensions
from analytics.schema import REQUIRED_TABLES, TABLES

DEFAULT_DAYS = 90
PRESET_DAYS = (7, 28, 90, 365)  # the sidebar's quick periods, each ending at the data's as-of
TREND_DAYS = 365
REP_COLUMNS = ("owner_id", "sdr_id")  # lead columns holding a rep_id
RESULTS = 128  # cached results kept per function
FILTERS_KEY = "closed_loop.filters"
PLOTLY_CONFIG = {"displaylogo": False, "modeBarButtonsToRemove": ["lasso2d", "select2d"]}


# --- the store ---------------------------------------------------------------------------------

@st.cache_resource(max_entries=2, show_spinner=False, on_release=lambda store: store.close())
def _open(path: str, stamp: int) -> Store:
    return open_store(path)


@st.cache_resource(show_spinner=t("store.importing"))
def _import_sample(path: str) -> str:
    import_folder(SAMPLE_DIR, path, load_config(), say=lambda _message: None)
    return path


def get_store() -> Store:
    """The read-only store of CLOSED_LOOP_DB (else data/closed_loop.duckdb, imported from the
    bundled sample when it does not exist yet). Raises NotADatabase when there is none."""
    path = default_db_path()
    if not path.exists() and path.resolve() == DEFAULT_DB.resolve() and SAMPLE_DIR.is_dir():
        _import_sample(str(path))
    return _open(str(path), path.stat().st_mtime_ns if path.exists() else 0)


def _version() -> str:
    return get_store().data_version


# --- cached results (plain parameters + data version) -------------------------------------------

@st.cache_data(max_entries=RESULTS, show_spinner=False)
def _metric(version: str, name: str, filters: Filters, options: tuple[tuple[str, object], ...]):
    """metrics.<name>(store, filters=filters, **options), cached on plain values and the version."""
    return getattr(metrics, name)(get_store(), filters=filters, **dict(options))


def _cached(name: str, filters: Filters, **options):
    return _metric(_version(), name, filters, tuple(sorted(options.items())))


# Engine modules whose functions pages may call through `call` (an allow-list of modules).
ENGINE = ("metrics", "handoff", "winloss", "revenue", "weekly", "monthly", "content", "journey", "health")


@st.cache_data(max_entries=RESULTS, show_spinner=False)
def _call(version: str, module: str, name: str, args: tuple, options: tuple[tuple[str, object], ...]):
    import importlib

    return getattr(importlib.import_module(f"analytics.{module}"), name)(get_store(), *args, **dict(options))


def call(module: str, name: str, *args, **options):
    """analytics.<module>.<name>(store, *args, **options), cached on plain, hashable arguments plus the
    data version: e.g. call("handoff", "quality", by="source", filters=chosen)."""
    if module not in ENGINE:
        raise ValueError(f"not an engine module: {module}")
    return _call(_version(), module, name, tuple(args), tuple(sorted(options.items())))


def funnel(filters: Filters, by: str | None = None) -> pl.DataFrame:
    return _cached("funnel", filters, by=by)


def conversion(filters: Filters, from_stage: str, to_stage: str, by: str | None = None,
               window_days: int | None = None) -> pl.DataFrame:
    return _cached("conversion", filters, from_stage=from_stage, to_stage=to_stage, by=by,
                   window_days=window_days or None)


def flow(filters: Filters, grain: str = "week") -> pl.DataFrame:
    return _cached("flow", filters, grain=grain)


def velocity(filters: Filters) -> pl.DataFrame:
    return _cached("velocity", filters)


def velocity_trend(filters: Filters) -> pl.DataFrame:
    return _cached("velocity_trend", filters)


def cycle(filters: Filters) -> pl.DataFrame:
    return _cached("cycle", filters)


def kpis(filters: Filters, start: date, end: date) -> dict[str, float]:
    return _cached("kpis", filters, start=start, end=end)


def stalled(filters: Filters, stages: tuple[str, ...] | None = None) -> pl.DataFrame:
    """Stalled leads at the as-of (only the lead filters apply, so the dates leave the cache key),
    optionally only in some stages, owner's name first when the reps table has it."""
    frame = with_owner_names(_cached("stalled", replace(filters, start=None, end=None)))
    first = [c for c in ("owner_name", "owner_id", "stage", "days_in_stage", "threshold_days", "days_over", "lead_id")
             if c in frame.columns]
    frame = frame.select(*first, pl.exclude(first))
    return frame if stages is None else frame.filter(pl.col("stage").is_in(list(stages)))


@st.cache_data(max_entries=8, show_spinner=False)
def _lookups(version: str) -> dict:
    store = get_store()
    return {"values": metrics.filter_values(store), "dimensions": lead_dimensions(store.con),
            "present": store.tables_present()}


def filter_values() -> dict[str, list[str]]:
    return _lookups(_version())["values"]


def dimensions() -> list[str]:
    """The allow-list of breakdown columns (the leads table's text columns)."""
    return _lookups(_version())["dimensions"]


def tables_present() -> set[str]:
    return _lookups(_version())["present"]


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
    return _import_table(_version(), "import_files")


def rejects(table_name: str | None = None) -> pl.DataFrame:
    """The rows the import refused (table_name, file, line, column_name, value, reason)."""
    frame = _import_table(_version(), "rejects").sort("table_name", "line")
    return frame if table_name is None else frame.filter(pl.col("table_name") == table_name)


def import_meta() -> dict:
    """data_version, source_folder, imported_at, default_as_of, first_lead_at."""
    return _import_table(_version(), "meta").row(0, named=True)


def rep_names() -> dict[str, str]:
    """rep_id -> name from the reps table (empty when the export has none)."""
    reps = _import_table(_version(), "reps")
    return dict(reps.select("rep_id", "name").drop_nulls().iter_rows()) if "name" in reps.columns else {}


def rep_label(rep_id: str) -> str:
    name = rep_names().get(rep_id)
    return f"{name} ({rep_id})" if name else rep_id


def segment_label(by: str):
    """How the values of breakdown column `by` are shown: reps by name, anything else as it is."""
    return rep_label if by in REP_COLUMNS and rep_names() else str


def with_owner_names(frame: pl.DataFrame) -> pl.DataFrame:
    names = rep_names()
    if not names:
        return frame
    owner = pl.col("owner_id").replace_strict(names, default=pl.col("owner_id"), return_dtype=pl.String)
    at = frame.columns.index("owner_id")
    return frame.insert_column(at, frame.select(owner.alias("owner_name")).to_series())


def missing_tables() -> pl.DataFrame:
    """The optional tables this database lacks, the file that would add each, what it switches on."""
    present = tables_present()
    names = [n for n in TABLES if n not in REQUIRED_TABLES and n not in present]
    return pl.DataFrame({"table_name": names, "file": [f"{n}.csv" for n in names],
                         "enables": [t(f"enables.{n}") for n in names]}, schema=[
        ("table_name", pl.String), ("file", pl.String), ("enables", pl.String)])


# --- the frame ---------------------------------------------------------------------------------

def ensure_frame() -> None:
    """Make sure the page runs inside app.py. On a fresh server, when the first request is a deep
    link (/funnel, /velocity…), Streamlit sees the pages/ folder and runs that file alone in its
    legacy multipage mode, without the frame (no filters, no wide layout) until some run has called
    st.navigation. Switch the legacy mode off, as st.navigation does, and rerun through app.py."""
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


# --- the shared filters ------------------------------------------------------------------------

def recent_period(store: Store, days: int = DEFAULT_DAYS) -> tuple[date, date]:
    """The last `days` days up to the data's as-of (never the wall clock)."""
    end = store.default_as_of.date() if store.default_as_of else date.today()
    return end - timedelta(days=days - 1), end


def earliest_date(store: Store) -> date:
    """The first date the period picker offers: the first lead, or earlier for the longest preset."""
    first = recent_period(store, max(PRESET_DAYS))[0]
    return min(first, store.first_lead_at.date()) if store.first_lead_at else first


def set_filters(filters: Filters) -> None:
    st.session_state[FILTERS_KEY] = filters


def filters() -> Filters:
    """The Filters chosen in the sidebar (the default period when the sidebar has not run)."""
    chosen = st.session_state.get(FILTERS_KEY)
    if chosen is None:
        start, end = recent_period(get_store())
        chosen = Filters(start=start, end=end)
    return chosen


def trend_filters(filters: Filters) -> Filters:
    """The chosen filters over at least the last TREND_DAYS days up to the period's end."""
    return replace(filters, start=min(filters.start, filters.end - timedelta(days=TREND_DAYS - 1)))


def period_text(start: date, end: date) -> dict[str, str]:
    return {"start": fmt_date(start), "end": fmt_date(end), "as_of": fmt_datetime(get_store().default_as_of)}


def compare_text(filters: Filters) -> str:
    start, end = metrics.previous_period(filters.start, filters.end)
    return t("period.compare", days=(filters.end - filters.start).days + 1, start=fmt_date(start), end=fmt_date(end))


def overview_grain(filters: Filters) -> str:
    """Weeks for a quarter or less, months beyond (so the overview's flow stays readable)."""
    return "week" if (filters.end - filters.start).days < 120 else "month"


def headline(filters: Filters) -> list[dict]:
    """st.metric arguments for the overview tiles: the period's figures vs the period before."""
    cfg = get_store().cfg
    now = kpis(filters, filters.start, filters.end)
    before = kpis(filters, *metrics.previous_period(filters.start, filters.end))
    has_deals = "opportunities" in tables_present()
    tiles = [("new_leads", cfg.main_stages[0], "count"), ("mqls", cfg.handoff_stage, "count"),
             ("sqls", cfg.qualified_stage, "count"), ("opportunities", cfg.opportunity_stage, "count"),
             ("won_deals", "won_deals", "count"), ("won_amount", "won_amount", "money"),
             ("pipeline_amount", "pipeline_amount", "money"), ("win_rate", "win_rate", "rate")]
    out = []
    for key, measure, kind in tiles:
        value, previous = now.get(measure), before.get(measure)
        shown = {"count": messages.fmt_int, "money": messages.fmt_money, "rate": messages.fmt_pct}[kind](value)
        if key == "new_leads":
            help_text = t("kpi.help.new_leads", stage=stage_label(measure))
        elif measure in cfg.main_stages:
            help_text = t("kpi.help.stage", stage=stage_label(measure))
        elif key == "win_rate":
            help_text = t("kpi.help.win_rate", won=fmt_int(now.get("won_deals")),
                          closed=fmt_int(now.get("closed_deals")))
        else:
            help_text = t(f"kpi.help.{key}", value=fmt_int(value))
        if measure not in cfg.main_stages and not has_deals:
            shown, previous, help_text = None, None, t("kpi.needs", file="opportunities.csv")
        out.append({"label": t(f"kpi.{key}"), "value": shown, "help": help_text,
                    "delta": fmt_change(value, previous, kind)})
    return out


def sales_stages(cfg) -> tuple[str, ...]:
    """The main stages from the hand-off on (before won): the leads sales works."""
    stages = cfg.main_stages
    return stages[stages.index(cfg.handoff_stage):-1]


def cycle_tiles(frame: pl.DataFrame) -> list[dict]:
    """st.metric arguments for the end-to-end durations (lead to won, sales cycle)."""
    labels = {"lead_to_won": "velocity.lead_to_won", "sales_cycle": "velocity.sales_cycle"}
    return [{"label": t(labels[row["measure"]]), "value": t("velocity.cycle_value", days=fmt_days(row["median_days"])),
             "help": t("velocity.cycle_help", p25=fmt_days(row["p25_days"]), p75=fmt_days(row["p75_days"]),
                       mean=fmt_days(row["mean_days"]), n=fmt_int(row["n"]))}
            for row in frame.iter_rows(named=True) if row["measure"] in labels]


# --- drawing -----------------------------------------------------------------------------------

def chart(figure, caption: str, key: str | None = None) -> None:
    """A Plotly figure in our own theme, with its one-line rule underneath."""
    st.plotly_chart(figure, theme=None, config=PLOTLY_CONFIG, key=key)
    st.caption(caption)


def info(key: str, **values) -> None:
    st.info(t(key, **values), icon=":material/info:")


def low_volume_note(funnel_frame: pl.DataFrame) -> None:
    """A warning when the whole selection is below the low-volume line (e.g. a ten-lead export)."""
    low_volume_n = get_store().cfg.low_volume_n
    leads = funnel_frame.filter(pl.col("stage_order") == 1)["leads"].sum()
    if 0 < leads < low_volume_n:
        st.warning(t("empty.low_volume", n=fmt_int(leads), min_n=low_volume_n), icon=":material/warning:")


def _column(name: str, dtype: pl.DataType, low_volume_n: int):
    label = column_label(name)
    cc = st.column_config
    if name == "rate":
        return cc.ProgressColumn(label, format="percent", min_value=0.0, max_value=1.0)
    if name in ("ci_low", "ci_high"):
        return cc.NumberColumn(label, format="percent")
    if name == "is_low_volume":
        return cc.CheckboxColumn(label, help=t("col.is_low_volume_help", n=low_volume_n))
    if name in ("stage_order", "segment"):
        return None
    if name.endswith("_days") or name.startswith("days_"):
        return cc.NumberColumn(label, format="%.1f")
    if dtype == pl.Datetime:
        return cc.DatetimeColumn(label, format="YYYY-MM-DD HH:mm")
    if dtype == pl.Date:
        return cc.DateColumn(label, format="YYYY-MM-DD")
    if dtype.is_numeric():
        return cc.NumberColumn(label, format="localized")
    return cc.TextColumn(label)


def table(frame: pl.DataFrame, name: str, height: int | str | None = None) -> None:
    """A table with readable labels (rates as percentages, low volume flagged) and its CSV download
    (the raw columns, as the CLI writes them)."""
    low_volume_n = get_store().cfg.low_volume_n
    shown = frame
    if "stage" in frame.columns:
        shown = frame.with_columns(pl.Series("stage", [stage_label(v) for v in frame["stage"]], dtype=pl.String))
    config = {c: _column(c, d, low_volume_n) for c, d in frame.schema.items()}
    if height is None:  # short tables show whole, long ones scroll
        height = "content" if frame.height <= 15 else 420
    st.dataframe(shown, column_config=config, hide_index=True, height=height, placeholder="—")
    st.download_button(t("download.csv"), data=render(frame, "csv"), file_name=f"{name}.csv",
                       mime="text/csv", key=f"download.{name}", on_click="ignore",
                       icon=":material/download:")
