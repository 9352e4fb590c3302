"""The pipeline sections of the weekly page and the Targets & velocity page: the movement waterfall of a
week or month with the deals behind each move, and the bookings forecast led by its own track record."""
from __future__ import annotations

from dataclasses import replace
from datetime import date

import polars as pl
import streamlit as st

from analytics.core.filters import Filters
from analytics.engine import forecast, pipeline
from analytics.i18n.messages import fmt_date, t
from analytics.ui import calls, lookups, url, widgets
from analytics.views import labels as labels_views
from analytics.views import pipeline as views


def _history_note() -> None:
    source = calls.cached(pipeline.history_source)
    if source["kind"] == "none":
        st.info(t("pipeline.no_history"), icon=":material/info:")
    elif source["kind"] == "snapshots":
        st.info(t("pipeline.from_snapshots", n=source["snapshots"], first=fmt_date(source["first_at"])),
                icon=":material/info:")


def movement(grain: str, start: date, end: date, filters: Filters, key: str, period_text: str) -> None:
    """The waterfall of the one period starting at `start` and the deals behind a picked movement."""
    scoped = replace(filters, start=start, end=end)
    deals = calls.cached(pipeline.movement_deals, grain, scoped)
    waterfall = calls.cached(pipeline.pipeline_movement, grain, scoped)
    period = waterfall.filter(pl.col("period_start") == waterfall["period_start"].max())
    if period.is_empty() or period["deals"].sum() == 0:
        widgets.info("pipeline.no_deals")
        return
    st.markdown(views.movement_text(period))
    widgets.chart(views.waterfall_chart(period), t("pipeline.movement_caption"), key=f"{key}.waterfall")
    moved = [m for m in pipeline.MOVEMENTS if period.filter(pl.col("movement") == m)["deals"].sum() > 0]
    picked = url.choice(st.segmented_control, "move", t("pipeline.pick_movement"), moved, key=f"{key}.move",
                        format_func=views.movement_label, default=next((m for m in moved if m not in
                                                                        ("opening", "closing")), moved[0]))
    if picked:
        chosen = deals.filter((pl.col("period_start") == period["period_start"][0]) & (pl.col("movement") == picked))
        widgets.leads_table(views.deals_shown(chosen), f"{key}.deals",
                            t("pipeline.deals_behind", movement=views.movement_label(picked), period=period_text))


def week_section(monday: date, sunday: date, week_label: str, filters: Filters) -> None:
    """The weekly page: what moved the quarter's pipeline this week, deal by deal."""
    st.subheader(t("pipeline.movement_title"))
    if labels_views.missing(lookups.tables_present(), "opportunities"):
        st.info(labels_views.missing(lookups.tables_present(), "opportunities"), icon=":material/info:")
        return
    _history_note()
    movement("week", monday, sunday, filters, "weekly.pipeline", week_label)
    forecast_brief(filters.currency)


def forecast_brief(currency: str | None) -> None:
    """The weekly page: the forecast's track record and this month's and quarter's forecast in one row
    (the detail is on Targets & velocity)."""
    st.subheader(t("pipeline.forecast_title"))
    line = views.headline(forecast.track_record(calls.cached(forecast.backtest, currency=currency)))
    now = calls.cached(forecast.forecast, currency=currency)
    if line:
        st.markdown(line)
    for column, tile in zip(st.columns(len(now)), views.forecast_tiles(now), strict=True):
        column.metric(**tile, border=True)
    st.caption(t("pipeline.forecast_more"))


def movement_section(filters: Filters, as_of: date) -> None:
    """Targets & velocity: the movement of a chosen month or week, and every period's waterfall."""
    st.subheader(t("pipeline.movement_title"))
    _history_note()
    grain = url.choice(st.segmented_control, "pgrain", t("pipeline.grain"), list(pipeline.GRAINS), default="month",
                       key="targets.pipeline_grain", format_func=lambda g: t(f"pipeline.period.{g}")) or "month"
    scoped = replace(filters, start=None, end=None)
    waterfall = calls.cached(pipeline.pipeline_movement, grain, scoped)
    starts = waterfall["period_start"].unique().sort(descending=True).to_list()
    if not starts:
        widgets.info("pipeline.no_deals")
        return
    start = url.choice(st.selectbox, "pperiod", t("pipeline.period_pick"), starts, key=f"targets.pipeline_{grain}",
                       format_func=lambda d: d.strftime(t("pipeline.month_format")) if grain == "month"
                       else fmt_date(d))
    end = min(pipeline.period_end(start, grain), as_of)
    movement(grain, start, end, filters, f"targets.pipeline.{grain}",
             start.strftime(t("pipeline.month_format")) if grain == "month" else fmt_date(start))
    with st.expander(t("pipeline.waterfall_table"), icon=":material/table:"):
        widgets.table(waterfall.sort("period_start", descending=True, maintain_order=True), "pipeline_movement",
                      key=f"targets.pipeline_table.{grain}")


def forecast_section(currency: str | None) -> None:
    """Targets & velocity: the track record first, then this month's and quarter's forecast."""
    st.subheader(t("pipeline.forecast_title"))
    backtested = calls.cached(forecast.backtest, currency=currency)
    line = views.headline(forecast.track_record(backtested))
    if line:
        st.markdown(line)
    else:
        widgets.info("pipeline.no_track_record")
    now = calls.cached(forecast.forecast, currency=currency)
    columns = st.columns(len(now))
    for column, tile in zip(columns, views.forecast_tiles(now), strict=True):
        column.metric(**tile, border=True)
    for row in now.filter(pl.col("is_learned")).iter_rows(named=True):
        st.markdown(views.forecast_text(row))
    if not now["is_learned"].all():
        widgets.info("pipeline.not_learned")
    st.caption(t("pipeline.forecast_caption"))
    with st.expander(t("stats.how_tested"), icon=":material/functions:"):
        st.caption(t("pipeline.forecast_how"))
        widgets.table(views.forecast_table(now), "forecast", key="targets.forecast_table")
    with st.expander(t("pipeline.deals_title"), icon=":material/list:"):
        deals = calls.cached(forecast.forecast_deals, currency=currency)
        widgets.leads_table(deals.filter(pl.col("period") == "quarter").drop("period")
                            .sort("expected_amount", descending=True), "targets.forecast_deals")
    if not backtested.is_empty():
        st.subheader(t("pipeline.backtest_title"))
        widgets.chart(views.backtest_chart(backtested), t("pipeline.backtest_caption"), key="targets.backtest")
        widgets.table(views.backtest_table(backtested), "forecast_backtest", key="targets.backtest_table")
