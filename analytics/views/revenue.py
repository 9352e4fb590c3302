"""Figures of the revenue page: marketing-sourced vs sales-sourced revenue, the six attribution models
side by side with whether they tie out to the booked amount, and campaign ROI (analytics/engine/revenue.py)."""
from __future__ import annotations

import math

import plotly.graph_objects as go
import polars as pl
from plotly.subplots import make_subplots

from analytics.i18n.messages import dimension_label, fmt_int, fmt_money, fmt_pct, t
from analytics.views.style import AMBER, INK, PRIMARY, TEMPLATE, category_title, figure

MODEL_COLORS = dict(zip(("first_touch", "last_touch", "linear", "u_shaped", "w_shaped", "time_decay", "markov",
                         "shapley"),
                        ["#0072B2", "#D55E00", "#8C8C8C", "#CC79A7", "#009E73", "#E69F00", "#1F2937", "#56B4E9"],
                        strict=True))


def sourcing_chart(frame: pl.DataFrame) -> go.Figure:
    """Won revenue and pipeline of marketing-sourced, sales-sourced and marketing-influenced deals."""
    labels = [t(f"revenue.category.{c}") for c in frame["category"]]
    colors = [PRIMARY, "#8C8C8C", "#56B4E9"]
    fig = make_subplots(rows=1, cols=2, shared_yaxes=True, horizontal_spacing=0.06,
                        subplot_titles=(t("revenue.won_axis"), t("revenue.pipeline_axis")))
    fig.update_layout(template=TEMPLATE, height=260, showlegend=False)
    for col, (amount, share, deals) in enumerate((("won_amount", "won_share", "won_deals"),
                                                  ("pipeline_amount", "pipeline_share", "opportunities")), start=1):
        fig.add_trace(go.Bar(
            x=frame[amount].to_list(), y=labels, orientation="h", marker_color=colors[:frame.height],
            text=[f"{fmt_money(a)} · {fmt_pct(s)} · {fmt_int(d)} {t('revenue.deals')}"
                  for a, s, d in zip(frame[amount], frame[share], frame[deals], strict=True)],
            textposition="auto", cliponaxis=False, hovertemplate="%{y}: %{x:,.0f}<extra></extra>"), row=1, col=col)
    fig.update_yaxes(autorange="reversed", showgrid=False)
    fig.update_xaxes(showticklabels=False, showgrid=False)
    fig.update_annotations(font_size=12)
    return fig


def models_chart(wide: pl.DataFrame, by: str, max_rows: int = 15, label=str) -> go.Figure:
    """The six attribution models side by side: one row per value, one dot per model, the grey bar
    spanning the lowest to the highest credit (the models' divergence)."""
    models = [m for m in MODEL_COLORS if m in wide.columns]
    shown = wide.with_columns(pl.max_horizontal(models).alias("_top")).sort("_top", descending=True).head(max_rows)
    names = [label(v) for v in shown[by]]
    fig = figure(140 + 32 * shown.height)
    low = shown.select(pl.min_horizontal(models)).to_series()
    fig.add_trace(go.Bar(x=shown["spread"].to_list(), base=low.to_list(), y=names, orientation="h",
                         marker_color="#E5E8EC", width=0.35, name=t("revenue.spread"),
                         hovertemplate="%{y}: " + t("revenue.spread") + " %{x:,.0f}<extra></extra>"))
    for i, model in enumerate(models):
        fig.add_trace(go.Scatter(
            x=shown[model].to_list(), y=names, mode="markers", name=t(f"revenue.model.{model}"),
            marker=dict(size=11, color=MODEL_COLORS[model], symbol=["circle", "diamond", "square", "triangle-up",
                                                                      "triangle-down", "x", "star", "hexagon"][i],
                        line=dict(width=0.5, color="white")),
            hovertemplate="%{y}: %{x:,.0f}<extra>" + t(f"revenue.model.{model}") + "</extra>"))
    fig.update_yaxes(autorange="reversed", showgrid=False)
    category_title(fig, dimension_label(by))
    fig.update_xaxes(rangemode="tozero", title_text=t("revenue.credit_axis"))
    if wide.height > max_rows:
        fig.add_annotation(text=t("chart.more_rows", shown=max_rows, total=wide.height), xref="paper", yref="paper",
                           x=0, y=0, yanchor="top", yshift=-36, showarrow=False, font_size=11, font_color="#6B7280")
        fig.update_layout(margin_b=48)
    return fig


def tie_out_text(tie_out: pl.DataFrame, wide: pl.DataFrame, by: str, basis: str) -> tuple[bool, str]:
    """Whether every model credits exactly the booked amount (to the cent), and the sentence saying so."""
    booked = tie_out["booked"][0] if tie_out.height else 0.0
    exact = bool((tie_out["difference"].abs() < 0.005).all())
    no_touch = wide.filter(pl.col(by) == "(no touch)")
    values = {"booked": f"{booked:,.2f}", "basis": t(f"revenue.basis.{basis}").lower(),  # to the cent: a proof
              "no_touch": f"{(no_touch['linear'][0] if no_touch.height else 0.0):,.2f}"}
    if exact:
        return True, t("revenue.tie_out_ok", **values)
    worst = tie_out.sort(pl.col("difference").abs(), descending=True).row(0, named=True)
    return False, t("revenue.tie_out_bad", model=t(f"revenue.model.{worst['model']}"),
                    difference=f"{worst['difference']:,.2f}", **values)


def roi_chart(frame: pl.DataFrame, sort_by: str, max_rows: int = 20) -> go.Figure:
    """ROI (attributed won revenue ÷ cost) per campaign with a cost, on a log axis so one 30× campaign
    does not squash the rest (ticks read 0.1×, 1×, 10×); the dashed line is break-even (1×).
    Immature campaigns (pipeline, no revenue yet) are amber diamonds at the axis' left edge with their
    open pipeline, not zero-length bars; campaigns that returned nothing are grey diamonds there."""
    costed = frame.filter(pl.col("roi").is_not_null()).sort(sort_by, descending=True, nulls_last=True)
    young = pl.col("status").str.starts_with("immature")
    shown = pl.concat([costed.filter(~young).head(max_rows), costed.filter(young)])  # immature ones always shown
    names = [f"{n or c}" for n, c in zip(shown["name"], shown["campaign_id"], strict=True)]
    shown = shown.with_columns(pl.Series("label", names, dtype=pl.String),
                               pl.col("status").str.starts_with("immature").alias("is_immature"))
    positive = shown.filter(pl.col("roi") > 0)
    floor = max(0.01, min(positive["roi"].min() or 1.0, 1.0) / 2)
    top = max(positive["roi"].max() or 1.0, 1.0) * 3
    fig = figure(140 + 28 * shown.height)
    money = [[fmt_money(v) for v in positive[c]] for c in ("attributed_won_amount", "cost", "open_pipeline_amount")]
    fig.add_trace(go.Bar(
        x=positive["roi"].to_list(), y=positive["label"].to_list(), orientation="h", marker_color=PRIMARY,
        text=[f"{r:,.1f}×" if r >= 0.095 else f"{r:.2f}×" for r in positive["roi"]], textposition="outside",
        cliponaxis=False,
        name=t("revenue.roi_returned"), customdata=list(zip(*money, strict=True)),
        hovertemplate="%{y}: %{x:.2f}× = %{customdata[0]} ÷ %{customdata[1]}<br>"
                      + t("revenue.open_pipeline") + " %{customdata[2]}<extra></extra>"))
    for immature, color, name in ((True, AMBER, t("revenue.roi_immature_legend")),
                                  (False, "#8B939E", t("revenue.roi_nothing_legend"))):
        part = shown.filter((pl.col("roi") <= 0) & (pl.col("is_immature") == immature))
        if part.is_empty():
            continue
        fig.add_trace(go.Scatter(
            x=[floor] * part.height, y=part["label"].to_list(), mode="markers+text", name=name,
            marker=dict(symbol="diamond", size=12, color=color, line=dict(color="white", width=1)),
            text=[t("revenue.roi_immature", pipeline=fmt_money(p)) if immature else t("revenue.roi_nothing")
                  for p in part["open_pipeline_amount"]],
            textposition="middle right", textfont=dict(size=11, color="#374151"), cliponaxis=False,
            hovertemplate="%{y}: %{text}<extra></extra>"))
    fig.add_vline(x=1, line_dash="dash", line_color=INK, line_width=1, annotation_text=t("revenue.break_even"),
                  annotation_position="top", annotation_font_size=11)
    fig.update_yaxes(categoryorder="array", categoryarray=names, autorange="reversed", showgrid=False)
    ticks = [v for v in (0.01, 0.1, 0.5, 1, 2, 5, 10, 20, 50, 100) if floor <= v <= top]
    fig.update_xaxes(type="log", range=[_log10(floor), _log10(top)], tickvals=ticks,
                     ticktext=[f"{v:g}×" for v in ticks], title_text=t("revenue.roi_axis_log"))
    fig.update_layout(legend=dict(orientation="h", yanchor="bottom", y=1.0, x=0), margin=dict(t=70))
    return fig


def _log10(value: float) -> float:
    return math.log10(value)


def data_driven_chart(frame: pl.DataFrame, by: str, model: str, max_rows: int = 15, label=str) -> go.Figure:
    """A data-driven model's credit per value with its bootstrap interval as an error bar; values whose
    interval reaches zero are grey (within noise of zero)."""
    shown = frame.filter(pl.col(by) != "(no touch)").sort("credit", descending=True).head(max_rows)
    names = [label(v) for v in shown[by]]
    has_ci = shown["credit_low"].is_not_null().all() if shown.height else False
    colors = ["#B0B7C0" if noisy else MODEL_COLORS[model] for noisy in shown["is_noise"]]
    fig = figure(140 + 32 * shown.height)
    fig.add_trace(go.Scatter(
        x=shown["credit"].to_list(), y=names, mode="markers", name=t(f"revenue.model.{model}"),
        marker=dict(size=11, color=colors, line=dict(width=0.5, color="white")),
        error_x=dict(type="data", symmetric=False, color="#6B7280", thickness=1.5, width=5,
                     array=(shown["credit_high"] - shown["credit"]).to_list() if has_ci else None,
                     arrayminus=(shown["credit"] - shown["credit_low"]).to_list() if has_ci else None,
                     visible=bool(has_ci)),
        hovertemplate="%{y}: %{x:,.0f}<extra>" + t(f"revenue.model.{model}") + "</extra>"))
    fig.add_vline(x=0, line_color="#9CA3AF", line_width=1)
    fig.update_yaxes(autorange="reversed", showgrid=False)
    category_title(fig, dimension_label(by))
    fig.update_xaxes(title_text=t("revenue.credit_axis"))
    fig.update_layout(showlegend=False)
    return fig
