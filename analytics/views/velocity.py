"""Figures of the velocity page: time in stage (boxes drawn from the engine's quantiles, so no chart
ships one point per lead), its monthly trend, and the stalled leads per owner."""
from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from analytics.i18n.messages import column_label, stage_label, t
from analytics.views.style import figure, stage_color


def stage_box_chart(frame: pl.DataFrame) -> go.Figure:
    """Time in stage per stage as boxes drawn from the engine's quantiles (p10/p25/median/p75/p90)."""
    frame = frame.sort("stage_order")
    fig = figure(400)
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
    fig = figure(380)
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
    fig = figure(120 + 26 * owners.height)
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
