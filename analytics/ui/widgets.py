"""How pages draw: a chart with its one-line rule, a table with its CSV download, a table whose rows
can be picked, the leads behind a picked row, notes and warnings, and the review pack's downloads."""
from __future__ import annotations

import tempfile
from pathlib import Path

import polars as pl
import streamlit as st

from analytics.core.filters import Filters
from analytics.engine import health
from analytics.i18n import messages
from analytics.i18n.messages import column_label, fmt_int, stage_label, t
from analytics.outputs.render import render
from analytics.store.meetings import MeetingStore
from analytics.ui.calls import cached
from analytics.ui.lookups import with_owner_names
from analytics.ui.store import get_store
from analytics.ui.url import link_params, link_url
from analytics.views.tiles import column_format

TABLE_ROWS = 1_000  # rows a table shows on the page (its CSV download has all)
PLOTLY_CONFIG = {"displaylogo": False, "modeBarButtonsToRemove": ["lasso2d", "select2d"]}
CHROMIUM = Path("/usr/bin/chromium")


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


def caveats(topic: str) -> None:
    """What the importer knows about the figures of `topic` (amount) that the data cannot say."""
    for code, values in cached(health.caveats, topic):
        st.warning(t(f"note.{code}", **values), icon=":material/warning:")


def _column(name: str, dtype: pl.DataType, low_volume_n: int):
    label, cc = column_label(name), st.column_config
    kind = column_format(name, dtype)
    if kind is None:
        return None
    return {"rate": lambda: cc.ProgressColumn(label, format="percent", min_value=0.0, max_value=1.0),
            "percent": lambda: cc.NumberColumn(label, format="percent"),
            "p_value": lambda: cc.NumberColumn(label, format="%.3f"),
            "one_decimal": lambda: cc.NumberColumn(label, format="%.1f"),
            "low_volume": lambda: cc.CheckboxColumn(label, help=t("col.is_low_volume_help", n=low_volume_n)),
            "flag": lambda: cc.CheckboxColumn(label),
            "datetime": lambda: cc.DatetimeColumn(label, format="YYYY-MM-DD HH:mm"),
            "date": lambda: cc.DateColumn(label, format="YYYY-MM-DD"),
            "number": lambda: cc.NumberColumn(label, format="localized"),
            "text": lambda: cc.TextColumn(label)}[kind]()


def _stage_words(frame: pl.DataFrame) -> pl.DataFrame:
    if "stage" not in frame.columns:
        return frame
    return frame.with_columns(pl.Series("stage", [stage_label(v) for v in frame["stage"]], dtype=pl.String))


def _download(frame: pl.DataFrame, name: str, key: str) -> None:
    # the CSV is made when the button is pressed, not on every run of every session
    st.download_button(t("download.csv"), data=lambda: render(frame, "csv"), file_name=f"{name}.csv",
                       mime="text/csv", key=f"download.{key}", on_click="ignore", icon=":material/download:")


def table(frame: pl.DataFrame, name: str, height: int | str | None = None) -> None:
    """A table with readable labels (rates as percentages, low volume flagged) and its CSV download
    (the raw columns, as the CLI writes them)."""
    low_volume_n = get_store().cfg.low_volume_n
    shown = _stage_words(frame.head(TABLE_ROWS))  # a meeting reads the top; the download holds every row
    config = {c: _column(c, d, low_volume_n) for c, d in frame.schema.items()}
    if height is None:  # short tables show whole, long ones scroll
        height = "content" if frame.height <= 15 else 420
    # Arrow straight from Polars: no detour through pandas on every run of every session
    st.dataframe(shown.to_arrow(), column_config=config, hide_index=True, height=height, placeholder="—")
    if frame.height > TABLE_ROWS:
        st.caption(t("table.first_rows", shown=f"{TABLE_ROWS:,}", total=f"{frame.height:,}"))
    _download(frame, name, name)


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
    if own:
        shown = _stage_words(shown)
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
    _download(frame, name, key)
    rows = event.selection.rows if event is not None else []
    return frame.row(rows[0], named=True) if rows and rows[0] < frame.height else None


def journey_link(lead_id: str) -> None:
    """A link that opens a lead's journey here, with the current filters."""
    st.page_link("pages/journey.py", label=t("journey.open", lead=lead_id), icon=":material/timeline:",
                 query_params=link_params(lead=lead_id))


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
    shown = _stage_words(pl.concat([links.to_frame(), frame], how="horizontal"))
    picked = pick(frame, f"leads_{key}", f"{key}.leads", shown=shown)
    if picked:
        journey_link(picked["lead_id"])


def pack_downloads(kind: str, period: str | None, filters: Filters, name: str) -> None:
    """The review pack (kind 'weekly' for an ISO week, or 'monthly') as HTML and, with Chromium, PDF;
    built when a button is pressed, in the session's language."""
    from analytics.outputs import pack  # the pack (and the statistics it imports) only where a pack is offered

    store, lang = get_store(), messages.language()

    def build() -> str:
        messages.set_language(lang)  # the download runs outside this script run: use the session's language
        return pack.build(store, kind, period, filters, MeetingStore() if kind == "weekly" else None)

    def as_pdf() -> bytes:
        with tempfile.TemporaryDirectory() as tmp:
            return pack.write(build(), Path(tmp) / "pack.pdf").read_bytes()

    buttons = st.container(horizontal=True)
    buttons.download_button(t("weekly.pack_html"), data=build, file_name=f"{name}.html", mime="text/html",
                            on_click="ignore", icon=":material/download:", key=f"{kind}.pack_html")
    if CHROMIUM.exists():
        buttons.download_button(t("weekly.pack_pdf"), data=as_pdf, file_name=f"{name}.pdf", mime="application/pdf",
                                on_click="ignore", icon=":material/picture_as_pdf:", key=f"{kind}.pack_pdf")
