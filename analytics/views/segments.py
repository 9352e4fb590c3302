"""Figures of a rate or a reason per segment (source, region, owner…), shared by the funnel, lead
quality, recycling and win/loss pages: bars with their 95% interval, low-volume segments hatched grey;
the reason heatmap and the sentence calling out its worst cells."""
from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from analytics.i18n.messages import dimension_label, fmt_int, fmt_pct, t
from analytics.views.style import HEAT, INK, MUTED, PRIMARY, category_title, figure, interval

# --- rate per segment -----------------------------------------------------------------------------

def breakdown_chart(frame: pl.DataFrame, by: str, low_volume_n: int, overall: float | None = None,
                    max_bars: int = 20, label=str) -> go.Figure:
    """Conversion rate per segment with its Wilson interval; low-volume segments hatched grey.
    Only the max_bars largest segments are drawn; `label` turns a segment value into its name."""
    total = frame.height
    shown = frame.sort("cohort", descending=True).head(max_bars).sort("rate", descending=True, nulls_last=True)
    shown = shown.with_columns(pl.Series(by, [label(v) for v in shown[by]], dtype=pl.String))
    fig = figure(height=110 + 30 * shown.height)
    for is_low, color, name in ((False, PRIMARY, t("chart.enough_volume", n=low_volume_n)),
                                (True, MUTED, t("chart.low_volume", n=low_volume_n))):
        part = shown.filter(pl.col("is_low_volume") == is_low)
        if part.is_empty():
            continue
        fig.add_trace(go.Bar(
            x=part["rate"].to_list(), y=part[by].to_list(), orientation="h", name=name,
            marker=dict(color=color, pattern=dict(shape="/" if is_low else "", fgcolor="#8B939E", solidity=0.25)),
            error_x=interval(part),
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
                     showgrid=False)
    category_title(fig, dimension_label(by))
    fig.update_xaxes(tickformat=".0%", range=[0, 1.25], tickvals=[0, 0.2, 0.4, 0.6, 0.8, 1.0],
                     title_text=t("col.rate"))
    fig.update_layout(barmode="overlay", showlegend=True)
    if total > max_bars:
        fig.add_annotation(text=t("chart.more_rows", shown=max_bars, total=total), xref="paper", yref="paper",
                           x=0, y=0, yanchor="top", yshift=-36, showarrow=False, font_size=11,
                           font_color="#6B7280")
        fig.update_layout(margin_b=48)
    return fig


def rate_bars(frame: pl.DataFrame, by: str, low_volume_n: int, overall: float | None, label,
              rate: str, hits: str, total: str, axis: str) -> go.Figure:
    """breakdown_chart (rate with its interval per segment, low volume hatched) on any rate."""
    shaped = frame.rename({rate: "rate", hits: "converted", total: "cohort"}).with_columns(
        pl.col("ci_low").fill_null(pl.col("rate")), pl.col("ci_high").fill_null(pl.col("rate")))
    fig = breakdown_chart(shaped.filter(pl.col("cohort") > 0), by, low_volume_n, overall, label=label)
    fig.update_xaxes(title_text=axis)
    return fig


# --- reasons per segment --------------------------------------------------------------------------

def reason_heatmap(frame: pl.DataFrame, by: str, count: str, label=str, max_rows: int = 15) -> go.Figure:
    """Share of each reason within a segment's rejections (or losses): rows = segments with the most,
    columns = reasons, most frequent first; each cell shows its share and count."""
    rows = (frame.group_by(by).agg(pl.col(count).sum()).sort([count, by], descending=[True, False])
            .head(max_rows)[by].to_list())
    reasons = (frame.group_by("reason").agg(pl.col(count).sum()).sort([count, "reason"], descending=[True, False])
               ["reason"].to_list())
    grid = {(r[by], r["reason"]): r for r in frame.iter_rows(named=True)}
    z = [[grid[(row, reason)]["share"] if (row, reason) in grid else 0.0 for reason in reasons] for row in rows]
    text = [[f"{fmt_pct(grid[(row, reason)]['share'])}<br>{grid[(row, reason)][count]:,}" if (row, reason) in grid
             else "" for reason in reasons] for row in rows]
    names = [label(r) for r in rows]
    fig = figure(150 + 44 * len(rows))
    fig.add_trace(go.Heatmap(
        z=z, x=reasons, y=names, text=text, texttemplate="%{text}", textfont=dict(size=11),
        colorscale=HEAT, zmin=0, zmax=1, xgap=2, ygap=2, showscale=False,
        hovertemplate="%{y} · %{x}: %{z:.0%}<extra></extra>"))
    fig.update_yaxes(autorange="reversed", showgrid=False)
    category_title(fig, dimension_label(by))
    fig.update_xaxes(side="top", showgrid=False, tickangle=0 if len(reasons) <= 6 else -30)
    return fig


def worst_cells_text(frame: pl.DataFrame, by: str, count: str, key: str, cell: str, label=str,
                     top: int = 3) -> str:
    """The sentence (message `key`) that calls out the segment × reason cells (message `cell` each)
    with the most rejections (or losses)."""
    worst = frame.sort([count, "share"], descending=True).head(top)
    cells = [t(cell, segment=label(r[by]), reason=r["reason"], n=fmt_int(r[count]), share=fmt_pct(r["share"]))
             for r in worst.iter_rows(named=True)]
    return t(key, cells="; ".join(cells), total=fmt_int(frame[count].sum()))
