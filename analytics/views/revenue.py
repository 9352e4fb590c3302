"""Figures of the revenue page: marketing-sourced vs sales-sourced revenue, the six attribution models
side by side with whether they tie out to the booked amount, and campaign ROI (analytics/engine/revenue.py)."""
from __future__ import annotations

import plotly.graph_objects as go
import polars as pl
from plotly.subplots import make_subplots

from analytics.i18n.messages import column_label, dimension_label, fmt_int, fmt_money, fmt_pct, t
from analytics.views.style import AMBER, INK, PRIMARY, TEMPLATE, figure

MODEL_COLORS = dict(zip(("first_touch", "last_touch", "linear", "u_shaped", "w_shaped", "time_decay"),
                        ["#0072B2", "#D55E00", "#8C8C8C", "#CC79A7", "#009E73", "#E69F00"], strict=True))


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
                                                                      "triangle-down", "x"][i],
                        line=dict(width=0.5, color="white")),
            hovertemplate="%{y}: %{x:,.0f}<extra>" + t(f"revenue.model.{model}") + "</extra>"))
    fig.update_yaxes(autorange="reversed", showgrid=False, title_text=dimension_label(by))
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
    values = {"booked": f"{booked:,.2f}", "basis": t(f"revenue.basis.{basis}").lower(),
              "no_touch": f"{(no_touch['linear'][0] if no_touch.height else 0.0):,.2f}"}
    if exact:
        return True, t("revenue.tie_out_ok", **values)
    worst = tie_out.sort(pl.col("difference").abs(), descending=True).row(0, named=True)
    return False, t("revenue.tie_out_bad", model=t(f"revenue.model.{worst['model']}"),
                    difference=f"{worst['difference']:,.2f}", **values)


def roi_chart(frame: pl.DataFrame, sort_by: str, max_rows: int = 20) -> go.Figure:
    """ROI (attributed won revenue ÷ cost) per campaign with a cost; immature campaigns (pipeline,
    no revenue yet) in amber rather than as failures; the dashed line is break-even (1×)."""
    costed = frame.filter(pl.col("roi").is_not_null()).sort(sort_by, descending=True, nulls_last=True)
    young = pl.col("status").str.starts_with("immature")
    shown = pl.concat([costed.filter(~young).head(max_rows), costed.filter(young)])  # immature ones always shown
    immature = shown["status"].str.starts_with("immature").to_list()
    names = [f"{n or c}" for n, c in zip(shown["name"], shown["campaign_id"], strict=True)]
    fig = figure(120 + 28 * shown.height)
    fig.add_trace(go.Bar(
        x=shown["roi"].to_list(), y=names, orientation="h",
        marker=dict(color=[AMBER if im else PRIMARY for im in immature],
                    pattern=dict(shape=["/" if im else "" for im in immature], fgcolor="#8B939E", solidity=0.3)),
        text=[t("revenue.roi_immature", pipeline=fmt_money(p)) if im else f"{r:,.1f}×"
              for r, im, p in zip(shown["roi"], immature, shown["open_pipeline_amount"], strict=True)],
        textposition="outside", cliponaxis=False, showlegend=False,
        customdata=list(zip(*[[fmt_money(v) for v in shown[c]] for c in ("attributed_won_amount", "cost",
                                                                             "open_pipeline_amount")], strict=True)),
        hovertemplate="%{y}: %{x:.2f}× = %{customdata[0]} ÷ %{customdata[1]}<br>"
                      + t("revenue.open_pipeline") + " %{customdata[2]}<extra></extra>"))
    fig.add_vline(x=1, line_dash="dash", line_color=INK, line_width=1, annotation_text=t("revenue.break_even"),
                  annotation_position="top", annotation_font_size=11)
    fig.update_yaxes(categoryorder="array", categoryarray=names, autorange="reversed", showgrid=False,
                     title_text=column_label("campaign_id"))
    fig.update_xaxes(rangemode="tozero", title_text=t("revenue.roi_axis"))
    return fig
