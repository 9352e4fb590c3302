"""How pages draw: a chart with its one-line rule, a table with its CSV download, a table whose rows
can be picked, the leads behind a picked row, notes and warnings, and the review pack's downloads."""
from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

import polars as pl
import streamlit as st

from analytics.core.filters import Filters
from analytics.engine import health
from analytics.i18n import messages
from analytics.i18n.messages import column_label, fmt_int, t
from analytics.outputs.render import render
from analytics.store.meetings import MeetingStore
from analytics.ui.calls import cached
from analytics.ui.lookups import namer, with_names
from analytics.ui.store import get_store
from analytics.ui.url import filters_text, journey_links, link_params
from analytics.views.labels import NAME_COLUMNS, in_words, method_columns
from analytics.views.tiles import column_format
from analytics.views.trend_by import worded

TABLE_ROWS = 1_000  # rows a table shows on the page (its CSV download has all)
PLOTLY_CONFIG = {"displaylogo": False, "modeBarButtonsToRemove": ["lasso2d", "select2d"]}
CHROMIUM = Path("/usr/bin/chromium")


def chart(figure, caption: str, key: str | None = None, method: str | None = None) -> None:
    """A Plotly figure in our own theme, with its one-line rule underneath in plain words; the
    statistics behind it (`method`) under "How this was tested"."""
    st.plotly_chart(figure, theme=None, config=PLOTLY_CONFIG, key=key)
    st.caption(caption)
    if method:
        with st.expander(t("stats.how_tested"), icon=":material/functions:"):
            st.caption(method)


def chart_pick(figure, caption: str, key: str) -> dict | None:
    """A chart like `chart` whose points can be clicked: returns the clicked point (Plotly's point: x, y,
    customdata…) or None."""
    event = st.plotly_chart(figure, theme=None, config=PLOTLY_CONFIG, key=key, on_select="rerun",
                            selection_mode="points")
    st.caption(caption)
    points = event.selection.points if event is not None else []
    return points[0] if points else None


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
    if dtype == pl.Boolean and name.endswith("_low_volume") and name != "is_low_volume":  # a rate's own flag
        label = f"{column_label(name.removesuffix('_low_volume'))} · {column_label('is_low_volume').lower()}"
        return cc.CheckboxColumn(label, help=t("col.is_low_volume_help", n=low_volume_n))
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
    """The shown copy: code values (stage, category, model, measure, metric) in words, money whole."""
    return in_words(frame)


def _download(frame: pl.DataFrame, name: str, key: str, prepare: Callable[[pl.DataFrame], pl.DataFrame] | None = None
              ) -> None:
    # the CSV (and `prepare`, e.g. the names beside the ids) is made when the button is pressed, not on
    # every run of every session: at a million leads a list is hundreds of thousands of rows
    st.download_button(t("download.csv"), data=lambda: render(prepare(frame) if prepare else frame, "csv"),
                       file_name=f"{name}.csv", mime="text/csv", key=f"download.{key}", on_click="ignore",
                       icon=":material/download:")


def table(frame: pl.DataFrame, name: str, height: int | str | None = None, key: str | None = None,
          method: str | None = None, hidden: tuple[str, ...] = ()) -> None:
    """A table with readable labels (names beside ids, codes in words, rates as percentages, money in
    whole units, low volume flagged) and its CSV download (the raw columns with the names beside the
    ids). The statistics behind a verdict (p, q, z) sit under "How this was tested"; `hidden` columns
    (codes shown by name elsewhere in the row) are in the data and the CSV, not on screen."""
    low_volume_n = get_store().cfg.low_volume_n
    method_text, method = method, method_columns(frame)
    shown = _stage_words(with_names(frame.head(TABLE_ROWS)))  # a meeting reads the top; the download holds all
    config = {c: None if c in method or c in hidden else _column(c, d, low_volume_n) for c, d in shown.schema.items()}
    _id_labels(config, shown.columns)
    if height is None:  # short tables show whole, long ones scroll
        height = "content" if frame.height <= 15 else 420
    # Arrow straight from Polars: no detour through pandas on every run of every session
    st.dataframe(shown.to_arrow(), column_config=config, hide_index=True, height=height, placeholder="—",
                 key=key)
    if frame.height > TABLE_ROWS:
        st.caption(t("table.first_rows", shown=f"{TABLE_ROWS:,}", total=f"{frame.height:,}"))
    if method:
        how_tested(with_names(frame.head(HOW_TESTED_ROWS)), method, low_volume_n, method_text, total=frame.height)
    _download(frame, name, key or name, prepare=namer())


def _id_labels(config: dict, columns: list[str]) -> None:
    """An id shown beside its name reads "… ID", so the two columns never carry one header."""
    for id_column, (name_column, _) in NAME_COLUMNS.items():
        named_here = name_column in columns or (id_column == "campaign_id" and "name" in columns)
        if id_column in columns and named_here and config.get(id_column) is not None:
            label = column_label(id_column)
            config[id_column]["label"] = label if label.endswith("ID") else f"{label} ID"


HOW_TESTED_ROWS = 20  # rows of statistics under "How this was tested" (the CSV download has every row)


def how_tested(frame: pl.DataFrame, method: list[str], low_volume_n: int, text: str | None = None,
               rows: int = HOW_TESTED_ROWS, total: int | None = None) -> None:
    """An expander with how a verdict was tested: a sentence and the statistics of the first rows
    (a static table: the CSV download holds every row)."""
    with st.expander(t("stats.how_tested"), icon=":material/functions:"):
        st.caption(text or t("stats.how_tested_text"))
        ids = [c for c, d in frame.schema.items() if d in (pl.String, pl.Date) or isinstance(d, pl.Datetime)][:2]
        head = _stage_words(frame.head(rows))
        part = pl.DataFrame([head[c].cast(pl.String) for c in ids] + [
            pl.Series(c, ["—" if v is None else f"{v:.1%}" if "ci_" in c else f"{v:.3g}" for v in head[c]],
                      dtype=pl.String) for c in method])
        st.table(part.rename({c: column_label(c) for c in part.columns}).to_arrow())
        total = frame.height if total is None else total
        if total > rows:
            st.caption(t("table.first_rows", shown=f"{rows:,}", total=f"{total:,}"))


def pick(frame: pl.DataFrame, name: str, key: str, shown: pl.DataFrame | None = None,
         labels: dict[str, str] | None = None, height: int | str | None = None,
         percent: tuple[str, ...] = (), months: tuple[str, ...] = (), hidden: tuple[str, ...] = ()) -> dict | None:
    """A table like `table` whose rows can be picked, one at a time: returns the picked row of `frame`
    (None when none is). `shown` is what to display instead (same rows, e.g. translated values, a
    `journey` link column); `labels` overrides column headers; `percent` columns show shares as %,
    `months` dates as months; `hidden` columns stay in the data, not on screen; the CSV download has
    frame's columns."""
    low_volume_n = get_store().cfg.low_volume_n
    own = shown is None
    shown = (with_names(frame) if own else shown).head(TABLE_ROWS)
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
    for column in hidden:
        config[column] = None
    if height is None:
        height = "content" if frame.height <= 15 else 420
    event = st.dataframe(shown.to_arrow(), column_config=config, hide_index=True, height=height, placeholder="—",
                         key=key, on_select="rerun", selection_mode="single-row")
    if frame.height > TABLE_ROWS:
        st.caption(t("table.first_rows", shown=f"{TABLE_ROWS:,}", total=f"{frame.height:,}"))
    _download(frame, name, key, prepare=namer())
    rows = event.selection.rows if event is not None else []
    return frame.row(rows[0], named=True) if rows and rows[0] < frame.height else None


def pick_breakdown(frame: pl.DataFrame, name: str, key: str, by: str | None = None, label=str,
                   hint: str = "drill.pick_hint", shown: pl.DataFrame | None = None, **options) -> dict | None:
    """A breakdown table (one row per value of `by`) whose rows open what is behind them: the values of
    `by` shown by name (`label`), a hint under it; returns the picked row of `frame` (its raw value).
    `shown`, if given, is what to display (the same rows, e.g. with names)."""
    shown = _stage_words((frame if shown is None else shown).head(TABLE_ROWS))
    if by and by in shown.columns:
        shown = shown.with_columns(pl.Series(by, [label(v) for v in shown[by]], dtype=pl.String))
    picked = pick(frame, name, key, shown=shown, **options)
    if picked is None:
        st.caption(t(hint))
    return picked


def journey_link(lead_id: str) -> None:
    """A link that opens a lead's journey here, with the current filters."""
    st.page_link("pages/journey.py", label=t("journey.open", lead=lead_id), icon=":material/timeline:",
                 query_params=link_params(lead=lead_id))


def leads_table(frame: pl.DataFrame, key: str, caption: str | None = None,
                labels: dict[str, str] | None = None) -> None:
    """The leads behind a picked row: one row per lead with a link to its journey (new tab, same
    filters), and a button to open a picked lead's journey here; `labels` overrides column headers."""
    if frame.is_empty():
        info("journey.no_leads")
        return
    if caption:
        st.caption(caption)
    frame = with_names(frame)
    top = frame.head(TABLE_ROWS)  # what the table shows: links and words for these rows only
    links = pl.Series("journey", journey_links(top["lead_id"]), dtype=pl.String)
    shown = worded(_stage_words(pl.concat([links.to_frame(), top], how="horizontal")))
    picked = pick(frame, f"leads_{key}", f"{key}.leads", shown=shown, labels=labels)
    if picked and picked["lead_id"] is not None:
        journey_link(picked["lead_id"])


def pack_downloads(kind: str, period: str | None, filters: Filters, name: str) -> None:
    """The review pack (kind 'weekly' for an ISO week, or 'monthly') as HTML and, with Chromium, PDF;
    built when a button is pressed, in the session's language."""
    from analytics.outputs import pack  # the pack (and the statistics it imports) only where a pack is offered

    store, lang = get_store(), messages.language()

    def build(interactive: bool = True) -> str:
        messages.set_language(lang)  # the download runs outside this script run: use the session's language
        # scope: the lead filters as the page keys the snapshots frozen at the meeting
        return pack.build(store, kind, period, filters, MeetingStore() if kind == "weekly" else None,
                          scope=filters_text(filters), interactive=interactive)

    def as_pdf() -> bytes:
        with tempfile.TemporaryDirectory() as tmp:  # the PDF prints the static charts: no Plotly to build
            return pack.write(build(interactive=False), Path(tmp) / "pack.pdf").read_bytes()

    buttons = st.container(horizontal=True)
    buttons.download_button(t("weekly.pack_html"), data=build, file_name=f"{name}.html", mime="text/html",
                            on_click="ignore", icon=":material/download:", key=f"{kind}.pack_html")
    if CHROMIUM.exists():
        buttons.download_button(t("weekly.pack_pdf"), data=as_pdf, file_name=f"{name}.pdf", mime="application/pdf",
                                on_click="ignore", icon=":material/picture_as_pdf:", key=f"{kind}.pack_pdf")
