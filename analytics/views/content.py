"""Figures and shown tables of the content page: each item's lift with its interval and the
recommendations per stage (analytics/engine/content.py)."""
from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from analytics.i18n.messages import fmt_pct, has, stage_label, t
from analytics.views.labels import relabel
from analytics.views.style import GOOD, INK, MUTED, PRIMARY, figure


def lift_chart(lift: pl.DataFrame) -> go.Figure:
    """Lift of each content item in one stage with its 95% interval (log scale, 1 = no difference):
    green when the whole interval is above 1, grey when few leads touched it."""
    frame = lift.filter(pl.col("lift").is_not_null()).sort(["is_low_volume", "lift"], descending=[False, True])
    names = [f"{title or cid}" for title, cid in zip(frame["title"], frame["content_id"], strict=True)]
    fig = figure(120 + 28 * frame.height)
    for low, name in ((False, t("content.enough_volume")), (True, t("content.low_volume"))):
        part = frame.filter(pl.col("is_low_volume") == low)
        if part.is_empty():
            continue
        colors = [GOOD if (lo or 0) > 1 else PRIMARY for lo in part["lift_low"]]
        fig.add_trace(go.Scatter(
            x=part["lift"].to_list(), y=[n for n, lv in zip(names, frame["is_low_volume"], strict=True) if lv == low],
            mode="markers", name=name,
            marker=dict(size=10, color="white" if low else colors, line=dict(width=1.5, color=MUTED if low else INK)),
            # few leads: the Katz interval is not trustworthy (it collapses when all of them moved on)
            error_x=None if low else dict(
                type="data", symmetric=False, array=(part["lift_high"] - part["lift"]).to_list(),
                arrayminus=(part["lift"] - part["lift_low"]).to_list(), color="#4B5563", thickness=1.2, width=4),
            customdata=list(zip(part["touched_leads"].to_list(), [fmt_pct(v) for v in part["touched_rate"]],
                                [fmt_pct(v) for v in part["untouched_rate"]], strict=True)),
            hovertemplate=t("content.lift_hover") + "<extra></extra>"))
    fig.add_vline(x=1, line_dash="dash", line_color=INK, line_width=1)
    ticks = [0.1, 0.2, 0.5, 1, 2, 5, 10]
    fig.update_xaxes(type="log", title_text=t("content.lift_axis"), tickvals=ticks, ticktext=[f"{v:g}×" for v in ticks])
    fig.update_yaxes(autorange="reversed", showgrid=False)
    return fig


def funnel_label(funnel_stage: str | None) -> str:
    key = f"content.funnel.{funnel_stage}"
    return t(key) if funnel_stage and has(key) else (funnel_stage or "—")


def type_label(content_type: str | None) -> str:
    key = f"content.type.{content_type}"
    return t(key) if content_type and has(key) else (content_type or "—").replace("_", " ")


def lift_shown(lift: pl.DataFrame) -> pl.DataFrame:
    """The lift table as read in the meeting: types and funnel stages in words, lift to 2 decimals."""
    interval = pl.when(~pl.col("is_low_volume") & pl.col("lift_low").is_not_null()).then(
        pl.format("{}–{}", pl.col("lift_low").round(2), pl.col("lift_high").round(2)))
    shown = lift.select(
        "title", "content_type", "funnel_stage", "touched_leads", pl.col("touched_rate").round(3),
        pl.col("untouched_rate").round(3), pl.col("lift").round(2), interval.alias("interval"), "is_low_volume")
    return relabel(relabel(shown, "content_type", type_label), "funnel_stage", funnel_label)


def recommendations_shown(best: pl.DataFrame) -> pl.DataFrame:
    rows = best.to_dicts()
    return pl.DataFrame({
        "stage": [stage_label(r["stage"]) for r in rows],
        "title": [r["title"] for r in rows],
        "content_type": [type_label(r["content_type"]) for r in rows],
        "lift": [t("content.lift_value", lift=f"{r['lift']:.1f}", low=f"{r['lift_low']:.1f}",
                   high=f"{r['lift_high']:.1f}") for r in rows],
        "touched_leads": [r["touched_leads"] for r in rows],
        "verdict": [t("content.reliable") if r["is_reliable"] else t("content.indicative") for r in rows],
    }, schema={"stage": pl.String, "title": pl.String, "content_type": pl.String, "lift": pl.String,
               "touched_leads": pl.Int64, "verdict": pl.String})
