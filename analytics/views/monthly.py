"""Figures and shown tables of the monthly review: the trends with their intervals, the cohort heatmap,
target attainment by month and the definitions worth discussing (analytics/engine/monthly.py)."""
from __future__ import annotations

from datetime import date, datetime, timedelta

import plotly.graph_objects as go
import polars as pl
from plotly.subplots import make_subplots

from analytics.i18n.messages import column_label, fmt_int, fmt_pct, has, stage_label, t
from analytics.views.style import INK, TEMPLATE, figure, stage_color
from analytics.views.targets import TARGET_ORDER

TARGET_MEASURES = {"leads": 0, "mqls": "handoff_stage", "sals": "accepted_stage", "sqls": "qualified_stage",
                   "opportunities": "opportunity_stage"}  # target metric -> the stage it counts (0 = first)
TREND_RATES = ("conversion", "acceptance", "follow_up_compliance", "win_rate")


def metric_label(metric: str) -> str:
    """A monthly trend or target metric (conversion, win_rate, mqls, won_amount…) by its name."""
    key = f"monthly.metric.{metric}"
    return t(key) if has(key) else column_label(metric)


def definition_label(text: str) -> str:
    """monthly.definitions() names its rows in English; show them in the session's language."""
    if text.startswith("stall threshold: "):
        stage = text.removeprefix("stall threshold: ").removesuffix(" (days)")
        return t("monthly.def.stall", stage=stage_label(stage))
    keys = {"sales-ready score threshold": "monthly.def.threshold", "follow-up SLA (hours)": "monthly.def.follow_up",
            "decision SLA (hours)": "monthly.def.decision", "recycle SLA (days)": "monthly.def.recycle"}
    return t(keys[text]) if text in keys else text


def definition_note(text: str | None) -> str:
    keys = {"best F1 of precision (reached sql) and recall": "monthly.note.f1",
            "90th percentile of days in the stage": "monthly.note.p90", "configured": "monthly.note.configured"}
    return t(keys[text]) if text in keys else (text or "")


def trends_chart(trends: pl.DataFrame, as_of: datetime, low_volume_n: int) -> go.Figure:
    """One small chart per trend: the rates with their 95% interval, and median days through the
    funnel; the as-of month is shaded (partial), hollow points rest on few leads."""
    metrics = [m for m in (*TREND_RATES, "median_days_through_funnel") if m in set(trends["metric"])]
    cols = 3
    rows = (len(metrics) + cols - 1) // cols
    fig = make_subplots(rows=rows, cols=cols, subplot_titles=[metric_label(m) for m in metrics],
                        horizontal_spacing=0.06, vertical_spacing=0.16)
    fig.update_layout(template=TEMPLATE, height=300 * rows, showlegend=False)
    this_month = as_of.date().replace(day=1)
    for i, metric in enumerate(metrics):
        r, c = i // cols + 1, i % cols + 1
        part = trends.filter(pl.col("metric") == metric).sort("month_start")
        x = part["month_start"].to_list()
        color = stage_color(i + 1)
        is_rate = metric in TREND_RATES
        if is_rate and part["ci_low"].is_not_null().any():
            red, green, blue = (int(color[k:k + 2], 16) for k in (1, 3, 5))
            fig.add_trace(go.Scatter(x=x + x[::-1], y=part["ci_high"].to_list() + part["ci_low"].to_list()[::-1],
                                     fill="toself", fillcolor=f"rgba({red},{green},{blue},0.14)", line=dict(width=0),
                                     hoverinfo="skip"), row=r, col=c)
        fig.add_trace(go.Scatter(
            x=x, y=part["value"].to_list(), mode="lines+markers", line=dict(color=color, width=2),
            marker=dict(size=7, color=["white" if (n or 0) < low_volume_n else color for n in part["n"]],
                        line=dict(color=color, width=2)),
            customdata=part["n"].to_list(),
            hovertemplate=("%{y:.0%}" if is_rate else "%{y:.0f} d") + " · n = %{customdata:,}<br>%{x|"
                          + t("monthly.fmt.axis").replace("<br>", " ") + "}<extra></extra>"), row=r, col=c)
        fig.add_vrect(x0=this_month - timedelta(days=15), x1=this_month + timedelta(days=15), fillcolor="#9CA3AF",
                      opacity=0.15, line_width=0, row=r, col=c)
        if is_rate:
            fig.update_yaxes(tickformat=".0%", rangemode="tozero", row=r, col=c)
        else:
            fig.update_yaxes(rangemode="tozero", title_text=t("monthly.days_axis"), row=r, col=c)
        fig.update_xaxes(tickformat=t("monthly.fmt.axis"), dtick="M2", row=r, col=c)
    fig.update_annotations(font_size=13, font_color=INK)
    return fig


def trends_wide(trends: pl.DataFrame) -> pl.DataFrame:
    """One row per month, one column per trend (its value and n): the table under the charts."""
    metrics = [m for m in (*TREND_RATES, "median_days_through_funnel") if m in set(trends["metric"])]
    value = trends.pivot(on="metric", index="month_start", values="value")
    n = trends.pivot(on="metric", index="month_start", values="n")
    wide = value.join(n, on="month_start", suffix="_n").sort("month_start", descending=True)
    return wide.select("month_start", *[c for m in metrics for c in (m, f"{m}_n")])


def trends_shown(wide: pl.DataFrame) -> pl.DataFrame:
    """The trend table in words: '44% · n 93' per rate, '31 d · n 3' for days."""
    metrics = [c for c in wide.columns if c != "month_start" and not c.endswith("_n")]

    def cell(metric, value, n):
        if value is None:
            return "—"
        shown = fmt_pct(value) if metric in TREND_RATES else t("monthly.days_value", days=f"{value:,.0f}")
        return t("monthly.cell", value=shown, n=fmt_int(n))
    return pl.DataFrame({"month_start": wide["month_start"],
                         **{m: [cell(m, v, n) for v, n in zip(wide[m], wide[f"{m}_n"], strict=True)]
                            for m in metrics}})


def cohort_heatmap(matrix: pl.DataFrame, stage: str) -> go.Figure:
    """Creation month × months since creation: the share of the month's new leads that had reached
    the stage; cells the cohort has not lived through yet stay blank."""
    heat = matrix.pivot(on="months", index="cohort_month", values="share", sort_columns=True).sort("cohort_month")
    sizes = matrix.group_by("cohort_month").agg(pl.col("leads").first()).sort("cohort_month")
    months = [c for c in heat.columns if c != "cohort_month"]
    z = heat.select(months).to_numpy()
    y = [f"{d.strftime(t('monthly.fmt.month'))} · n={n:,}" for d, n in zip(heat["cohort_month"], sizes["leads"],
                                                                            strict=True)]
    text = [["" if v != v else f"{v:.0%}" for v in row] for row in z]  # NaN != NaN: not lived through yet
    fig = figure(120 + 26 * len(y))
    fig.add_trace(go.Heatmap(z=z, x=[int(m) for m in months], y=y, text=text, texttemplate="%{text}",
                             textfont=dict(size=11), colorscale="Blues", zmin=0, hoverongaps=False,
                             colorbar=dict(tickformat=".0%", title=dict(text=t("monthly.heat_share")), thickness=12),
                             hovertemplate=t("monthly.heat_hover", stage=stage_label(stage))
                             + "<extra></extra>"))
    fig.update_xaxes(title_text=t("monthly.heat_x"), dtick=1, side="top", showgrid=False)
    fig.update_yaxes(autorange="reversed", showgrid=False, title_text=t("monthly.heat_y"))
    return fig


def cohort_wide(matrix: pl.DataFrame) -> pl.DataFrame:
    """The heatmap's numbers: one row per creation month, leads, then the share after k months."""
    wide = matrix.pivot(on="months", index=["cohort_month", "leads"], values="share", sort_columns=True)
    months = [c for c in wide.columns if c not in ("cohort_month", "leads")]
    return wide.with_columns(pl.col(months).round(3)).rename({c: f"m{c}" for c in months}).sort("cohort_month")


def targets_chart(progress: pl.DataFrame) -> go.Figure:
    """Attainment of each company-wide target by month (pacing for the month in progress): green at
    or above 100%, orange below."""
    frame = progress.filter(pl.col("team").is_null() & pl.col("segment").is_null())
    frame = frame.with_columns(pl.when(pl.col("elapsed_share") < 1).then(pl.col("pacing"))
                               .otherwise(pl.col("attainment")).alias("shown"))
    metrics = [m for m in TARGET_ORDER if m in set(frame["metric"])] + sorted(set(frame["metric"]) - set(TARGET_ORDER))
    heat = frame.pivot(on="period_start", index="metric", values="shown", sort_columns=True)
    heat = heat.with_columns(pl.col("metric").replace_strict({m: i for i, m in enumerate(metrics)}).alias("_o")) \
        .sort("_o").drop("_o")
    periods = [c for c in heat.columns if c != "metric"]
    z = heat.select(periods).to_numpy()
    text = [["" if v != v else f"{v:.0%}" for v in row] for row in z]
    fig = figure(110 + 34 * heat.height)
    fig.add_trace(go.Heatmap(
        z=z, x=[date.fromisoformat(p).strftime(t("monthly.fmt.month")) for p in periods],
        y=[metric_label(m) for m in heat["metric"]], text=text, texttemplate="%{text}", textfont=dict(size=11),
        colorscale=[[0, "#D55E00"], [0.5, "#FFF3E0"], [0.5, "#E6F4EA"], [1, "#009E73"]], zmin=0, zmax=2,
        showscale=False, hoverongaps=False, hovertemplate="%{y} · %{x}: %{z:.0%}<extra></extra>"))
    fig.update_yaxes(autorange="reversed", showgrid=False)
    fig.update_xaxes(showgrid=False, side="top")
    return fig


def definitions_shown(frame: pl.DataFrame) -> pl.DataFrame:
    """The definitions in words, with whether the data suggests a change worth discussing."""
    rows = frame.to_dicts()

    def num(v):
        return "—" if v is None else (f"{v:,.0f}" if abs(v) >= 10 else f"{v:,.1f}")

    def verdict(r):
        if r["suggested"] is None:
            return t("monthly.def.keep")
        if r["current"] is None:
            return t("monthly.def.default")
        return t("monthly.def.discuss") if abs(r["suggested"] - r["current"]) >= 0.1 * max(abs(r["current"]), 1) \
            else t("monthly.def.keep")
    return pl.DataFrame({
        "definition": [definition_label(r["definition"]) for r in rows],
        "current": [num(r["current"]) if r["current"] is not None else t("monthly.def.not_set") for r in rows],
        "suggested": [num(r["suggested"]) for r in rows],
        "verdict": [verdict(r) for r in rows],
        "note": [definition_note(r["note"]) for r in rows],
    })
