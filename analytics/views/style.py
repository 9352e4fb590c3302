"""The look every figure shares: the Okabe–Ito colours, the Plotly template, an empty figure of a
given height and the error bars of a rate from its Wilson interval."""
from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

# Okabe–Ito (colour-blind safe), in funnel order; won is green.
STAGE_COLORS = ["#0072B2", "#E69F00", "#56B4E9", "#CC79A7", "#D55E00", "#009E73", "#8C8C8C"]
PRIMARY = "#0072B2"
MUTED = "#B8BEC6"
INK = "#1F2937"
GRID = "#E8EBEF"
BAD = "#D55E00"  # vermillion: breaches, rejections, losses
GOOD = "#009E73"  # bluish green: wins, the suggestion
AMBER = "#E69F00"  # immature, not yet judged
HEAT = [[0.0, "#FFFFFF"], [0.15, "#FBE3D3"], [1.0, BAD]]

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


def category_title(fig: go.Figure, text: str) -> None:
    """The name of a horizontal chart's categories, written level above its labels (a rotated axis
    title can land over long tick labels)."""
    fig.add_annotation(text=f"<b>{text}</b>", xref="paper", yref="paper", x=0, y=1, xanchor="right",
                       yanchor="bottom", showarrow=False, font=dict(size=12, color="#4B5563"), yshift=4)


def stage_color(stage_order: int) -> str:
    return STAGE_COLORS[(stage_order - 1) % len(STAGE_COLORS)]


def figure(height: int) -> go.Figure:
    fig = go.Figure()
    fig.update_layout(template=TEMPLATE, height=height)
    return fig


def interval(frame: pl.DataFrame) -> dict:
    """Asymmetric error bars of a rate from its Wilson bounds."""
    rate, low, high = (frame[c].fill_null(0.0) for c in ("rate", "ci_low", "ci_high"))
    return dict(type="data", symmetric=False, array=(high - rate).to_list(),
                arrayminus=(rate - low).to_list(), color="#4B5563", thickness=1.2, width=4)
