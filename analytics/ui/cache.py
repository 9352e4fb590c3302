"""The dashboard's one Streamlit seam: the store, cached results, the shared filters, and the two
ways pages draw (a chart with its rule, a table with its download).

- The store is a `st.cache_resource` keyed on the database path and file time, so a re-import is
  picked up; the default database is built from data/sample/ on first start. Nothing is opened at
  import time.
- Results are `st.cache_data` keyed on plain parameters plus the data version, and bounded.
- The sidebar (app.py) puts its Filters in session state; pages read them with `filters()`.
"""
from __future__ import annotations

import time
from dataclasses import replace
from datetime import date, timedelta

import pandas  # noqa: F401 - imported here, once, before concurrent sessions import it lazily (a race)
import polars as pl
import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from analytics.core.config import load_config
from analytics.core.filters import Filters
from analytics.core.filters import default_period as default_period_of
from analytics.core.schema import REQUIRED_TABLES, TABLES
from analytics.engine import health, metrics
from analytics.i18n import messages
from analytics.i18n.messages import column_label, fmt_change, fmt_date, fmt_datetime, fmt_days, fmt_int, stage_label, t
from analytics.importers.load import import_folder
from analytics.outputs.render import render
from analytics.store.db import DEFAULT_DB, SAMPLE_DIR, NotADatabase, Store, default_db_path, open_store
from analytics.store.sql import dimensions as lead_dimensions

DEFAULT_DAYS = 90
PRESET_DAYS = (7, 28, 90, 365)  # the sidebar's quick periods, each ending at the data's as-of
TREND_DAYS = 365
REP_COLUMNS = ("owner_id", "sdr_id")  # lead columns holding a rep_id
RESULTS = 128  # cached results kept per function
UPLOAD_MB = 200  # the largest zip the Data page accepts (also .streamlit/config.toml maxUploadSize)
TABLE_ROWS = 1_000  # rows a table shows on the page (its CSV download has all)
FILTERS_KEY = "closed_loop.filters"
PLOTLY_CONFIG = {"displaylogo": False, "modeBarButtonsToRemove": ["lasso2d", "select2d"]}


# --- the store ---------------------------------------------------------------------------------

@st.cache_resource(max_entries=2, show_spinner=False, on_release=lambda store: store.close())
def _open(path: str, stamp: int) -> Store:
    return open_store(path)


@st.cache_resource(show_spinner=t("store.importing"))
def _import_sample(path: str, replaced_stamp: int = 0) -> str:
    """Import the bundled sample (once per file state: replaced_stamp keys a rebuild)."""
    import_folder(SAMPLE_DIR, path, load_config(), say=lambda _message: None)
    return path


def get_store() -> Store:
    """The read-only store of CLOSED_LOOP_DB (else data/closed_loop.duckdb, imported from the
    bundled sample when it does not exist yet, or was imported by an older version). Raises
    NotADatabase when there is none. Called by every cached call, so it looks at the file at most
    once a second."""
    path = default_db_path()
    key = str(path)
    seen = _checked.get(key)
    if seen and time.monotonic() - seen[0] < 1.0 and seen[1] in _opened.values():
        return _open(key, seen[1])
    is_default = path.resolve() == DEFAULT_DB.resolve() and SAMPLE_DIR.is_dir()
    if is_default and not path.exists():
        _import_sample(key)
    try:
        store = _open_current(path)
    except NotADatabase as error:
        if not (is_default and "older version" in str(error)):
            raise
        _import_sample(key, path.stat().st_mtime_ns)
        store = _open_current(path)
    _checked[key] = (time.monotonic(), _opened[key])
    return store


_checked: dict[str, tuple[float, int]] = {}  # path -> (when it was last looked at, its stamp)


def _open_current(path) -> Store:
    stamp = path.stat().st_mtime_ns if path.exists() else 0
    if _opened.get(str(path), stamp) != stamp:
        # a new import replaced the file: close the old connection first, or DuckDB hands back the
        # instance it still holds for this path (the replaced file's contents)
        _open.clear()
    _opened[str(path)] = stamp
    return _open(str(path), stamp)


_opened: dict[str, int] = {}  # path -> the file stamp the cached store was opened at


# --- optional login --------------------------------------------------------------------------------

def _secrets_section(name: str) -> dict:
    try:
        return dict(st.secrets.get(name) or {})
    except Exception:  # noqa: BLE001 - no secrets.toml at all: the app runs open, as on a laptop
        return {}


def require_login() -> None:
    """With an [auth] section in .streamlit/secrets.toml, only signed-in users (st.login, OIDC) see
    the dashboard; an [access] section may limit them to e-mail domains or addresses. Without
    [auth] the app runs open."""
    if not _secrets_section("auth"):
        return
    user = st.user
    if not user.get("is_logged_in"):
        st.title(t("app.title"))
        st.info(t("auth.please_log_in"), icon=":material/lock:")
        st.button(t("auth.log_in"), on_click=st.login, type="primary", key="auth.log_in")
        st.stop()
    access = _secrets_section("access")
    email = str(user.get("email") or "").lower()
    domains = {d.lower().lstrip("@") for d in access.get("allowed_domains", [])}
    emails = {e.lower() for e in access.get("allowed_emails", [])}
    if (domains or emails) and email not in emails and email.rpartition("@")[2] not in domains:
        st.error(t("auth.not_allowed", email=email or "?"), icon=":material/block:")
        st.button(t("auth.log_out"), on_click=st.logout, key="auth.denied_log_out")
        st.stop()
    with st.sidebar:
        st.caption(t("auth.signed_in", name=user.get("name") or email))
        st.button(t("auth.log_out"), on_click=st.logout, key="auth.log_out", icon=":material/logout:")


def import_upload(data: bytes, fmt: str, say, on_progress=None, name: str = "upload.zip") -> object:
    """Import an uploaded zip into the database the dashboard shows (replaced only on success)."""
    from analytics.importers.upload import import_upload as run_import

    cfg = get_store().cfg
    result = run_import(data, default_db_path(), cfg, fmt=fmt, max_bytes=UPLOAD_MB * 1_000_000, say=say,
                        on_progress=on_progress, name=name)
    _checked.clear()  # the next run looks at the file now, not up to a second later
    return result


def data_confidence() -> dict:
    return call("health", "data_confidence")


def rejected_text(c: dict) -> str:
    """The rejects as the rejects table holds them: "190 rows rejected (210 reasons…)"."""
    rows, reasons = fmt_int(c["rows_rejected"] or 0), fmt_int(c["reject_reasons"] or 0)
    return t("data.rejected_rows" if rows == reasons else "data.rejected_rows_reasons", rows=rows, reasons=reasons)


def source_labels() -> pl.DataFrame:
    """Every lead source label: leads, the marketing label it matched, whether it is marketing-sourced."""
    return _import_table(_version(), "source_labels").with_columns(pl.col("source").fill_null("(none)"))


def caveats(topic: str) -> None:
    """What the importer knows about the figures of `topic` (amount) that the data cannot say."""
    for code, values in call("health", "caveats", topic):
        st.warning(t(f"note.{code}", **values), icon=":material/warning:")


def _version() -> str:
    return get_store().data_version


# --- cached results (plain parameters + data version) -------------------------------------------

# Results are shared, not copied (st.cache_resource): with cache_data every run of every session
# unpickled its own copy of each frame (the stalled list alone is ~600k rows at 1M leads). Polars
# frames are immutable, and nothing here changes a result in place.
@st.cache_resource(max_entries=RESULTS, show_spinner=False)
def _metric(version: str, name: str, filters: Filters, options: tuple[tuple[str, object], ...]):
    """metrics.<name>(store, filters=filters, **options), cached on plain values and the version."""
    return getattr(metrics, name)(get_store(), filters=filters, **dict(options))


def _cached(name: str, filters: Filters, **options):
    return _metric(_version(), name, filters, tuple(sorted(options.items())))


# Engine modules whose functions pages may call through `call` (an allow-list of modules).
ENGINE = ("metrics", "handoff", "winloss", "revenue", "weekly", "monthly", "content", "journey", "health")


@st.cache_resource(max_entries=RESULTS, show_spinner=False)
def _call(version: str, module: str, name: str, args: tuple, options: tuple[tuple[str, object], ...]):
    import importlib

    return getattr(importlib.import_module(f"analytics.engine.{module}"), name)(get_store(), *args, **dict(options))


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


_REP_NAMES: dict[str, dict[str, str]] = {}  # data version -> rep names (read-only once built)


def rep_names() -> dict[str, str]:
    """rep_id -> name from the reps table (empty when the export has none); built once per data
    version, as labels are asked for per option and per row."""
    version = _version()
    if version not in _REP_NAMES:
        reps = _import_table(version, "reps")
        _REP_NAMES[version] = (dict(reps.select("rep_id", "name").drop_nulls().iter_rows())
                               if "name" in reps.columns else {})
    return _REP_NAMES[version]


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
    return frame.select(*frame.columns[:at], owner.alias("owner_name"), *frame.columns[at:])


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


def default_period(store: Store) -> tuple[date, date]:
    """The period a session starts with: the last DEFAULT_DAYS days up to as-of or, when they hold no
    new lead, the DEFAULT_DAYS days up to the last lead created (filters.default_period)."""
    last_lead = call("health", "last_lead_at")
    return default_period_of(recent_period(store)[1], last_lead.date() if last_lead else None, DEFAULT_DAYS)


def default_moved_text(store: Store) -> str | None:
    """What the sidebar says when the default period is not the last days before as-of (else None)."""
    start, end = default_period(store)
    if end == recent_period(store)[1]:
        return None
    return t("filter.default_moved", days=DEFAULT_DAYS, as_of=fmt_date(store.default_as_of), start=fmt_date(start),
             end=fmt_date(end))


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
        start, end = default_period(get_store())
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


PERCENT_COLUMNS = {"ci_low", "ci_high", "share", "precision", "recall", "f1", "attainment", "pacing"}


def _column(name: str, dtype: pl.DataType, low_volume_n: int):
    label = column_label(name)
    cc = st.column_config
    if name == "rate" or name.endswith("_rate") or name == "compliance":
        return cc.ProgressColumn(label, format="percent", min_value=0.0, max_value=1.0)
    if name in PERCENT_COLUMNS or name.endswith(("_share", "_ci_low", "_ci_high")):
        return cc.NumberColumn(label, format="percent")
    if name in ("p_value", "q_value"):
        return cc.NumberColumn(label, format="%.3f")
    if name.endswith("_hours") or name == "hours_late":
        return cc.NumberColumn(label, format="%.1f")
    if name == "is_low_volume":
        return cc.CheckboxColumn(label, help=t("col.is_low_volume_help", n=low_volume_n))
    if name.startswith("is_"):
        return cc.CheckboxColumn(label)
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
    shown = frame.head(TABLE_ROWS)  # a meeting reads the top; the download holds every row
    if "stage" in frame.columns:
        shown = shown.with_columns(pl.Series("stage", [stage_label(v) for v in shown["stage"]], dtype=pl.String))
    config = {c: _column(c, d, low_volume_n) for c, d in frame.schema.items()}
    if height is None:  # short tables show whole, long ones scroll
        height = "content" if frame.height <= 15 else 420
    # Arrow straight from Polars: no detour through pandas on every run of every session
    st.dataframe(shown.to_arrow(), column_config=config, hide_index=True, height=height, placeholder="—")
    if frame.height > TABLE_ROWS:
        st.caption(t("table.first_rows", shown=f"{TABLE_ROWS:,}", total=f"{frame.height:,}"))
    # the CSV is made when the button is pressed, not on every run of every session
    st.download_button(t("download.csv"), data=lambda: render(frame, "csv"), file_name=f"{name}.csv",
                       mime="text/csv", key=f"download.{name}", on_click="ignore",
                       icon=":material/download:")


# --- the address bar and drill-down: shareable links, picked rows, the leads behind them ----------
#
# The sidebar filters, the language and a page's own choice (week, lead) live in st.query_params, so
# a link pasted in the meeting chat opens the same view. A value in the URL that the session has not
# taken in yet (a pasted link, a drill-down link) goes into its widget before the widget is drawn;
# after that the widgets are the truth and are written back to the URL.

URL_FILTERS = {"sources": "source", "regions": "region", "industries": "industry", "owners": "owner"}
URL_SHARED = (*URL_FILTERS.values(), "from", "to", "currency", "lang")  # what every link to another page carries
LANG_KEY = "ui.lang"
_URL_SEEN = "closed_loop.url_seen"


def _url_raw(name: str, multi: bool = False):
    return tuple(st.query_params.get_all(name)) if multi else st.query_params.get(name)


def from_url(name: str, key: str, parse=str, multi: bool = False) -> None:
    """Before widget `key` is drawn: take URL value `name` into it when the session has not seen that
    value yet (or the widget has no state); an unreadable value is ignored."""
    raw = _url_raw(name, multi)
    seen = st.session_state.setdefault(_URL_SEEN, {})
    if raw and (raw != seen.get(name) or key not in st.session_state):
        try:
            st.session_state[key] = parse(raw)
        except (ValueError, TypeError, KeyError):
            pass
    seen[name] = raw


def to_url(**values) -> None:
    """Write state to the URL: a text, a list of texts (a repeated parameter), or None/empty to drop it."""
    seen = st.session_state.setdefault(_URL_SEEN, {})
    for name, value in values.items():
        multi = isinstance(value, list | tuple)
        wanted = tuple(str(v) for v in value) if multi else (str(value) if value not in (None, "") else None)
        if not wanted:
            if name in st.query_params:
                del st.query_params[name]
            seen[name] = None
            continue
        if _url_raw(name, multi) != wanted:
            st.query_params[name] = list(wanted) if multi else wanted
        seen[name] = wanted


def use_language() -> str:
    """The session's language (the sidebar switch, else ?lang=, else CLOSED_LOOP_LANG), set for t()
    in this run; call first thing in app.py."""
    from_url("lang", LANG_KEY, parse=lambda code: code if code in messages.LANGUAGES else messages.DEFAULT_LANGUAGE)
    return messages.set_language(st.session_state.setdefault(LANG_KEY, messages.DEFAULT_LANGUAGE))


def filters_within_data(values: dict[str, list[str]], earliest: date, default: tuple[date, date],
                        last: date) -> None:
    """A session's filters that the data no longer has (another export was imported while it was
    open) are dropped, and its period is kept inside the data's dates, earliest to last (else the
    widgets refuse them); a period wholly outside them becomes the default."""
    for name in URL_FILTERS:
        key = f"filter.{name}"
        if st.session_state.get(key):
            st.session_state[key] = [v for v in st.session_state[key] if v in values[name]]
    period = tuple(st.session_state.get("filter.period") or ())
    if any(d < earliest or d > last for d in period):  # (a range being picked holds one date)
        start, end = max(period[0], earliest), min(period[-1], last)
        if start > end:
            start, end = default
            st.session_state["filter.preset"] = DEFAULT_DAYS if end == last else None
        st.session_state["filter.period"] = (start, end)


def filters_from_url(values: dict[str, list[str]], first: date, last: date) -> None:
    """Before the sidebar is drawn: the filters of a shared link (?source=Webinar&from=…&to=…); values
    the data does not have are dropped, dates are kept inside the data's range."""
    for name, param in URL_FILTERS.items():
        from_url(param, f"filter.{name}", lambda raw, known=values[name]: [v for v in raw if v in known], multi=True)
    start, end = st.query_params.get("from"), st.query_params.get("to")
    raw = (start, end) if start or end else None
    seen = st.session_state.setdefault(_URL_SEEN, {})
    if raw and raw != seen.get("period"):
        try:
            chosen = (max(date.fromisoformat(start) if start else first, first),
                      min(date.fromisoformat(end) if end else last, last))
        except ValueError:
            chosen = None
        if chosen and chosen[0] <= chosen[1]:
            st.session_state["filter.period"] = chosen
            st.session_state["filter.preset"] = None
    seen["period"] = raw


def filters_to_url(filters: Filters, language: str) -> None:
    """After the sidebar: the chosen filters and language into the URL."""
    to_url(**{param: list(getattr(filters, name)) for name, param in URL_FILTERS.items()},
           **{"from": filters.start.isoformat() if filters.start else None,
              "to": filters.end.isoformat() if filters.end else None},
           currency=filters.currency,
           lang=None if language == messages.DEFAULT_LANGUAGE else language)
    st.session_state[_URL_SEEN]["period"] = (st.query_params.get("from"), st.query_params.get("to"))


def link_params(**extra) -> dict[str, str | list[str]]:
    """The filters and language of the current URL plus `extra`: the query of a link to another page."""
    params = {name: st.query_params.get_all(name) for name in URL_SHARED if name in st.query_params}
    return {**{k: v[0] if len(v) == 1 else v for k, v in params.items()},
            **{k: str(v) for k, v in extra.items() if v not in (None, "")}}


def link_url(path: str, **extra) -> str:
    """A relative link to page `path` (its url path, e.g. "journey") with the current filters."""
    from urllib.parse import urlencode

    return f"{path}?{urlencode(link_params(**extra), doseq=True)}"


def lead_filters(filters: Filters) -> Filters:
    """Only the lead filters (source, region, industry, owner): for views the period does not apply to."""
    return filters.over()


def filters_text(filters: Filters) -> str:
    """The lead filters as one stable line ('source=Webinar; region=EMEA,NA'; '' = all leads): what a
    snapshot was frozen for."""
    return "; ".join(f"{param}={','.join(sorted(getattr(filters, name)))}"
                     for name, param in URL_FILTERS.items() if getattr(filters, name))


def pick(frame: pl.DataFrame, name: str, key: str, shown: pl.DataFrame | None = None,
         labels: dict[str, str] | None = None, height: int | str | None = None,
         percent: tuple[str, ...] = (), months: tuple[str, ...] = ()) -> dict | None:
    """A table like `table` whose rows can be picked, one at a time: returns the picked row of `frame`
    (None when none is). `shown` is what to display instead (same rows, e.g. translated values, a
    `journey` link column); `labels` overrides column headers; `percent` columns show shares as %,
    `months` dates as months; the CSV download has frame's columns."""
    low_volume_n = get_store().cfg.low_volume_n
    own = shown is None
    shown = (frame if own else shown).head(TABLE_ROWS)
    if "stage" in shown.columns and own:
        shown = shown.with_columns(pl.Series("stage", [stage_label(v) for v in shown["stage"]], dtype=pl.String))
    # a column shown as words (a translated or formatted figure) stays text, whatever its name
    config = {c: st.column_config.TextColumn(column_label(c)) if d == pl.String and _column(c, d, low_volume_n)
              else _column(c, d, low_volume_n) for c, d in shown.schema.items()}
    for column in percent:
        if column in config:
            config[column] = st.column_config.NumberColumn(column_label(column), format="percent")
    for column in months:
        if column in config:
            config[column] = st.column_config.DateColumn(column_label(column), format=t("monthly.fmt.month_column"))
    for column, setting in config.items():  # the review pages' own columns (reached_at, decision…)
        if setting is not None and not messages.has(f"col.{column}") and messages.has(f"journey.col.{column}"):
            setting["label"] = t(f"journey.col.{column}")
    if "journey" in config:
        config["journey"] = st.column_config.LinkColumn(t("journey.link"), display_text=t("journey.link_text"),
                                                        width="small")
    for column, label in (labels or {}).items():
        if config.get(column) is not None:
            config[column]["label"] = label
    if height is None:
        height = "content" if frame.height <= 15 else 420
    event = st.dataframe(shown.to_arrow(), column_config=config, hide_index=True, height=height, placeholder="—",
                         key=key, on_select="rerun", selection_mode="single-row")
    if frame.height > TABLE_ROWS:
        st.caption(t("table.first_rows", shown=f"{TABLE_ROWS:,}", total=f"{frame.height:,}"))
    st.download_button(t("download.csv"), data=lambda: render(frame, "csv"), file_name=f"{name}.csv",
                       mime="text/csv", key=f"download.{key}", on_click="ignore", icon=":material/download:")
    rows = event.selection.rows if event is not None else []
    return frame.row(rows[0], named=True) if rows and rows[0] < frame.height else None


@st.cache_data(max_entries=8, show_spinner=False)
def _drill_table(version: str, name: str) -> pl.DataFrame:
    cur = get_store().con.cursor()
    try:
        return cur.table(name).pl()
    finally:
        cur.close()


DRILL_TABLES = ("leads", "lead_stages", "touches")


def drill_table(name: str) -> pl.DataFrame:
    """A whole table the drill-down lists read (leads, lead_stages, touches), cached on the data version."""
    if name not in DRILL_TABLES:
        raise ValueError(f"not a drill-down table: {name}")
    return _drill_table(_version(), name)


def leads_table(frame: pl.DataFrame, key: str, caption: str | None = None) -> None:
    """The leads behind a picked row: one row per lead with a link to its journey (new tab, same
    filters), and a button to open a picked lead's journey here."""
    if frame.is_empty():
        info("journey.no_leads")
        return
    if caption:
        st.caption(caption)
    frame = with_owner_names(frame) if "owner_id" in frame.columns and "owner_name" not in frame.columns else frame
    links = pl.Series("journey", [link_url("journey", lead=lead) for lead in frame["lead_id"]], dtype=pl.String)
    shown = pl.concat([links.to_frame(), frame], how="horizontal")
    if "stage" in shown.columns:
        shown = shown.with_columns(pl.Series("stage", [stage_label(v) for v in shown["stage"]], dtype=pl.String))
    picked = pick(frame, f"leads_{key}", f"{key}.leads", shown=shown)
    if picked:
        st.page_link("pages/journey.py", label=t("journey.open", lead=picked["lead_id"]), icon=":material/timeline:",
                     query_params=link_params(lead=picked["lead_id"]))
