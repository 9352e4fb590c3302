"""Plotly figures of the dashboard: plain functions, metric frame in, go.Figure out.

Figures only draw what the engine computed (analytics/engine/metrics.py); the few reshapes here are for
drawing (fill empty periods with 0, keep the largest segments). Every text comes from messages.
Quantiles are drawn from their values, so no chart ever ships one point per lead to the browser.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta

import plotly.graph_objects as go
import polars as pl
from plotly.subplots import make_subplots

from analytics.i18n.messages import column_label, dimension_label, fmt_int, fmt_pct, stage_label, t

# Okabe–Ito (colour-blind safe), in funnel order; won is green.
STAGE_COLORS = ["#0072B2", "#E69F00", "#56B4E9", "#CC79A7", "#D55E00", "#009E73", "#8C8C8C"]
PRIMARY = "#0072B2"
MUTED = "#B8BEC6"
INK = "#1F2937"
GRID = "#E8EBEF"

TEMPLATE = go.layout.Template(layout=go.Layout(
    font=dict(family="Source Sans Pro, Inter, Helvetica, Arial, sans-serif", size=13, color=INK),
    paper_bgcolor="white",
    plot_bgcolor="white",
    colorway=STAGE_COLORS,
    margin=dict(l=8, r=16, t=36, b=8),
    xaxis=dict(gridcolor=GRID, zeroline=False, linecolor="#C9CED6", ticks="", automargin=True),
    yaxis=dict(gridcolor=GRID, zeroline=False, linecolor="#C9CED6", ticks="", automargin=True),
    legend=dict(orientation="h", yanchor="bottom", y=1.0, xanchor="left", x=0, title_text=""),
    hoverlabel=dict(bgcolor="white", font_size=12),
    bargap=0.25,
))


def stage_color(stage_order: int) -> str:
    return STAGE_COLORS[(stage_order - 1) % len(STAGE_COLORS)]


def _figure(height: int) -> go.Figure:
    fig = go.Figure()
    fig.update_layout(template=TEMPLATE, height=height)
    return fig


def _interval(frame: pl.DataFrame) -> dict:
    """Asymmetric error bars of a rate from its Wilson bounds."""
    rate, low, high = (frame[c].fill_null(0.0) for c in ("rate", "ci_low", "ci_high"))
    return dict(type="data", symmetric=False, array=(high - rate).to_list(),
                arrayminus=(rate - low).to_list(), color="#4B5563", thickness=1.2, width=4)


# --- funnel ------------------------------------------------------------------------------------

def funnel_chart(frame: pl.DataFrame, low_volume_n: int, compact: bool = False) -> go.Figure:
    """Leads reaching each stage (bars) beside the stage-to-stage rate with its 95% interval."""
    frame = frame.sort("stage_order")
    labels = [stage_label(s) for s in frame["stage"]]
    fig = make_subplots(rows=1, cols=2, shared_yaxes=True, column_widths=[0.58, 0.42],
                        horizontal_spacing=0.04,
                        subplot_titles=(t("funnel.count_axis"), t("funnel.rate_axis")))
    fig.update_layout(template=TEMPLATE, height=280 if compact else 380, showlegend=False)
    fig.add_trace(go.Bar(
        x=frame["leads"].to_list(), y=labels, orientation="h",
        marker_color=[stage_color(o) for o in frame["stage_order"]],
        text=[fmt_int(v) for v in frame["leads"]], textposition="auto", cliponaxis=False,
        hovertemplate="%{y}: %{x:,}<extra></extra>"), row=1, col=1)
    rated = frame.filter(pl.col("rate").is_not_null())
    low = rated["is_low_volume"].fill_null(True).to_list()
    fig.add_trace(go.Scatter(
        x=rated["rate"].to_list(), y=[stage_label(s) for s in rated["stage"]], mode="markers+text",
        marker=dict(size=11, color=[MUTED if lv else PRIMARY for lv in low], line=dict(width=1, color=INK)),
        error_x=_interval(rated),
        text=[fmt_pct(r) for r in rated["rate"]], textposition="top center", cliponaxis=False,
        customdata=list(zip(rated["leads"].to_list(), rated["previous_leads"].to_list(),
                            [fmt_pct(v, 1) for v in rated["ci_low"]], [fmt_pct(v, 1) for v in rated["ci_high"]],
                            strict=True)),
        hovertemplate="%{y}: %{x:.1%} (%{customdata[0]:,} of %{customdata[1]:,})"
                      "<br>95% CI %{customdata[2]} – %{customdata[3]}<extra></extra>"), row=1, col=2)
    fig.update_yaxes(autorange="reversed", showgrid=False)
    fig.update_xaxes(showticklabels=False, showgrid=False, row=1, col=1)
    fig.update_xaxes(tickformat=".0%", range=[0, 1.08], row=1, col=2)
    fig.update_annotations(font_size=12, font_color="#4B5563")
    return fig


# --- conversion by segment ---------------------------------------------------------------------

def breakdown_chart(frame: pl.DataFrame, by: str, low_volume_n: int, overall: float | None = None,
                    max_bars: int = 20, label=str) -> go.Figure:
    """Conversion rate per segment with its Wilson interval; low-volume segments hatched grey.
    Only the max_bars largest segments are drawn; `label` turns a segment value into its name."""
    total = frame.height
    shown = frame.sort("cohort", descending=True).head(max_bars).sort("rate", descending=True, nulls_last=True)
    shown = shown.with_columns(pl.Series(by, [label(v) for v in shown[by]], dtype=pl.String))
    fig = _figure(height=110 + 30 * shown.height)
    for is_low, color, name in ((False, PRIMARY, t("chart.enough_volume", n=low_volume_n)),
                                (True, MUTED, t("chart.low_volume", n=low_volume_n))):
        part = shown.filter(pl.col("is_low_volume") == is_low)
        if part.is_empty():
            continue
        fig.add_trace(go.Bar(
            x=part["rate"].to_list(), y=part[by].to_list(), orientation="h", name=name,
            marker=dict(color=color, pattern=dict(shape="/" if is_low else "", fgcolor="#8B939E", solidity=0.25)),
            error_x=_interval(part),
            customdata=list(zip([fmt_pct(v, 1) for v in part["ci_low"]], [fmt_pct(v, 1) for v in part["ci_high"]],
                                part["converted"].to_list(), part["cohort"].to_list(), strict=True)),
            hovertemplate="%{y}: %{x:.1%} (%{customdata[2]:,} of %{customdata[3]:,})"
                          "<br>95% CI %{customdata[0]} – %{customdata[1]}<extra></extra>"))
    # the figures sit right of each interval, so the error bar never strikes through them
    fig.add_trace(go.Scatter(
        x=shown["ci_high"].fill_null(0).to_list(), y=shown[by].to_list(), mode="text", showlegend=False,
        text=[f"  {fmt_pct(r)} · {c:,} of {n:,}" for r, c, n in
              zip(shown["rate"].fill_null(0), shown["converted"], shown["cohort"], strict=True)],
        textposition="middle right", textfont=dict(size=11, color="#374151"), hoverinfo="skip", cliponaxis=False))
    if overall is not None:
        fig.add_vline(x=overall, line_dash="dash", line_color=INK, line_width=1,
                      annotation_text=t("chart.all_segments", rate=fmt_pct(overall)),
                      annotation_position="top", annotation_font_size=11)
    fig.update_yaxes(categoryorder="array", categoryarray=shown[by].to_list(), autorange="reversed",
                     showgrid=False, title_text=dimension_label(by))
    fig.update_xaxes(tickformat=".0%", range=[0, 1.25], tickvals=[0, 0.2, 0.4, 0.6, 0.8, 1.0],
                     title_text=t("col.rate"))
    fig.update_layout(barmode="overlay", showlegend=True)
    if total > max_bars:
        fig.add_annotation(text=t("chart.more_rows", shown=max_bars, total=total), xref="paper", yref="paper",
                           x=0, y=0, yanchor="top", yshift=-36, showarrow=False, font_size=11,
                           font_color="#6B7280")
        fig.update_layout(margin_b=48)
    return fig


# --- flow over time ----------------------------------------------------------------------------

def _period_starts(first: date, last: date, grain: str) -> list[date]:
    out, current = [], first
    while current <= last:
        out.append(current)
        current = _next_period(current, grain)
    return out


def _next_period(start: date, grain: str) -> date:
    if grain == "week":
        return start + timedelta(days=7)
    return date(start.year + start.month // 12, start.month % 12 + 1, 1)


def _period_of(day: date, grain: str) -> date:
    return day - timedelta(days=day.weekday()) if grain == "week" else day.replace(day=1)


def flow_chart(frame: pl.DataFrame, grain: str, start: date, end: date, as_of: datetime,
               height: int = 380) -> go.Figure:
    """Stage entries per week or month, one line per stage; periods with no entry drawn at 0 and
    periods that reach outside the chosen range (or past the as-of) shaded as partial."""
    last_day = min(end, as_of.date())
    periods = _period_starts(_period_of(start, grain), _period_of(last_day, grain), grain)
    fig = _figure(height)
    stages = frame.select("stage", "stage_order").unique().sort("stage_order")
    grid = pl.DataFrame({"period_start": periods}, schema={"period_start": pl.Date})
    for stage, order in stages.iter_rows():
        line = grid.join(frame.filter(pl.col("stage") == stage).select("period_start", "leads"),
                         on="period_start", how="left").with_columns(pl.col("leads").fill_null(0))
        fig.add_trace(go.Scatter(
            x=line["period_start"].to_list(), y=line["leads"].to_list(), name=stage_label(stage),
            mode="lines+markers", line=dict(color=stage_color(order), width=2), marker_size=5,
            hovertemplate=f"{stage_label(stage)}" + ": %{y:,}<br>%{x|%d %b %Y}<extra></extra>"))
    half = timedelta(days=3.5 if grain == "week" else 15)
    for p in periods:
        if p < start or _next_period(p, grain) - timedelta(days=1) > last_day:
            fig.add_vrect(x0=p - half, x1=p + half, fillcolor="#9CA3AF", opacity=0.12, line_width=0,
                          annotation_text=t("chart.partial"), annotation_position="top left",
                          annotation_font_size=10, annotation_font_color="#6B7280")
    fig.update_yaxes(rangemode="tozero", title_text=t("col.leads"))
    fig.update_xaxes(title_text=t("col.period_start"), tickformat="%d %b<br>%Y" if grain == "week" else "%b %Y")
    fig.update_layout(hovermode="x unified")
    return fig


# --- velocity ----------------------------------------------------------------------------------

def stage_box_chart(frame: pl.DataFrame) -> go.Figure:
    """Time in stage per stage as boxes drawn from the engine's quantiles (p10/p25/median/p75/p90)."""
    frame = frame.sort("stage_order")
    fig = _figure(400)
    for row in frame.iter_rows(named=True):
        label = f"{stage_label(row['stage'])}<br><sub>n = {row['n']:,}</sub>"
        fig.add_trace(go.Box(
            x=[label], q1=[row["p25_days"]], median=[row["median_days"]], q3=[row["p75_days"]],
            lowerfence=[row["p10_days"]], upperfence=[row["p90_days"]], mean=[row["mean_days"]],
            name=stage_label(row["stage"]), marker_color=stage_color(row["stage_order"]),
            boxmean=True, showlegend=False, hoverinfo="y"))
    fig.update_yaxes(rangemode="tozero", title_text=t("velocity.days_axis"))
    return fig


def trend_chart(frame: pl.DataFrame, low_volume_n: int) -> go.Figure:
    """Median days in stage by month entered, one line per stage; hollow points on few stays."""
    fig = _figure(380)
    stages = frame.select("stage", "stage_order").unique().sort("stage_order")
    for stage, order in stages.iter_rows():
        part = frame.filter(pl.col("stage") == stage).sort("month_start")
        color = stage_color(order)
        fig.add_trace(go.Scatter(
            x=part["month_start"].to_list(), y=part["median_days"].to_list(), name=stage_label(stage),
            mode="lines+markers", line=dict(color=color, width=2),
            marker=dict(size=8, color=["white" if n < low_volume_n else color for n in part["n"]],
                        line=dict(color=color, width=2)),
            customdata=part["n"].to_list(),
            hovertemplate=f"{stage_label(stage)}" + ": %{y:.1f} d (n = %{customdata:,})<extra></extra>"))
    fig.update_yaxes(rangemode="tozero", title_text=t("col.median_days"))
    fig.update_xaxes(title_text=t("velocity.month_axis"), tickformat="%b %Y", dtick="M1")
    fig.update_layout(hovermode="x unified")
    return fig


def stalled_by_owner_chart(frame: pl.DataFrame, stages: tuple[str, ...], max_bars: int = 15) -> go.Figure:
    """Stalled leads per owner, stacked by the stage they sit in: who has the most to chase."""
    who = "owner_name" if "owner_name" in frame.columns else "owner_id"
    frame = frame.with_columns(pl.col(who).fill_null("(none)").alias("owner_id"))
    owners = frame.group_by("owner_id").len().sort(["len", "owner_id"], descending=[True, False]).head(max_bars)
    counts = (frame.filter(pl.col("owner_id").is_in(owners["owner_id"].to_list()))
              .group_by("owner_id", "stage").len())
    orders = {s: i + 1 for i, s in enumerate(stages)}
    fig = _figure(120 + 26 * owners.height)
    for stage in sorted(counts["stage"].unique().to_list(), key=lambda s: orders.get(s, 0)):
        part = counts.filter(pl.col("stage") == stage)
        fig.add_trace(go.Bar(x=part["len"].to_list(), y=part["owner_id"].to_list(), orientation="h",
                             name=stage_label(stage), marker_color=stage_color(orders.get(stage, 0)),
                             hovertemplate=f"{stage_label(stage)}" + ": %{x}<extra>%{y}</extra>"))
    fig.update_yaxes(categoryorder="array", categoryarray=owners["owner_id"].to_list(), autorange="reversed",
                     showgrid=False, title_text=column_label("owner_name"))
    fig.update_xaxes(title_text=t("velocity.stalled_axis"), dtick=1 if owners["len"].max() <= 10 else None)
    fig.update_layout(barmode="stack", legend_traceorder="normal")
    return fig


# --- data health -------------------------------------------------------------------------------

def import_chart(frame: pl.DataFrame) -> go.Figure:
    """Rows loaded and rejected per table at import."""
    fig = _figure(90 + 34 * frame.height)
    for column, color in (("rows_loaded", PRIMARY), ("rows_rejected", "#D55E00")):
        fig.add_trace(go.Bar(x=frame[column].to_list(), y=frame["table_name"].to_list(), orientation="h",
                             name=column_label(column), marker_color=color,
                             text=[fmt_int(v) if v else "" for v in frame[column]], textposition="outside",
                             cliponaxis=False,
                             hovertemplate="%{y}: %{x:,}<extra></extra>"))
    fig.update_yaxes(autorange="reversed", showgrid=False)
    fig.update_xaxes(title_text=t("data.rows_axis"), rangemode="tozero")
    fig.update_layout(barmode="group")
    return fig


def flow_table(frame: pl.DataFrame) -> pl.DataFrame:
    """The flow as one row per period and one column per stage (in funnel order), 0 when none."""
    stages = frame.select("stage", "stage_order").unique().sort("stage_order")["stage"].to_list()
    wide = frame.pivot(on="stage", index="period_start", values="leads").sort("period_start")
    return wide.select("period_start", *[pl.col(s).fill_null(0) for s in stages if s in wide.columns])
