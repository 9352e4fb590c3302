"""Figures of the funnel and overview pages: leads reaching each stage with the stage-to-stage rate,
and stage entries per week or month (the flow) as a chart and as a table.

Figures only draw what the engine computed (analytics/engine/metrics.py); the reshapes here are for
drawing (fill empty periods with 0). Every text comes from analytics/i18n."""
from __future__ import annotations

from datetime import date, datetime, timedelta

import plotly.graph_objects as go
import polars as pl
from plotly.subplots import make_subplots

from analytics.i18n.messages import fmt_int, fmt_pct, stage_label, t
from analytics.views.style import INK, MUTED, PRIMARY, TEMPLATE, figure, interval, stage_color


def funnel_chart(frame: pl.DataFrame, low_volume_n: int, compact: bool = False) -> go.Figure:
    """Leads reaching each stage (bars) beside the stage-to-stage rate with its 95% interval."""
    frame = frame.sort("stage_order")
    labels = [stage_label(s) for s in frame["stage"]]
    fig = make_subplots(rows=1, cols=2, shared_yaxes=True, column_widths=[0.58, 0.42],
                        horizontal_spacing=0.04,
                        subplot_titles=(t("funnel.count_short" if compact else "funnel.count_axis"),
                                        t("funnel.rate_short" if compact else "funnel.rate_axis")))
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
        error_x=interval(rated),
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


# --- flow over time -------------------------------------------------------------------------------

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
    fig = figure(height)
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


def flow_table(frame: pl.DataFrame) -> pl.DataFrame:
    """The flow as one row per period and one column per stage (in funnel order), 0 when none."""
    stages = frame.select("stage", "stage_order").unique().sort("stage_order")["stage"].to_list()
    wide = frame.pivot(on="stage", index="period_start", values="leads").sort("period_start")
    return wide.select("period_start", *[pl.col(s).fill_null(0) for s in stages if s in wide.columns])


def which_to_quote(kpis: dict, funnel: pl.DataFrame, stage: str) -> str:
    """The sentence telling the tiles' count (stage entries in the period: flow) from the funnel's
    (the period's new leads that reached the stage: cohort), and which to quote for what."""
    cohort = funnel.filter(pl.col("stage") == stage)["leads"]
    return t("overview.which_to_quote", stage=stage_label(stage), flow=fmt_int(kpis.get(stage) or 0),
             cohort=fmt_int(cohort[0] if cohort.len() else 0))
