"""Figures, labels and drill-down lists of the meeting pages (weekly review, monthly review, lead
journey, content): plain functions, engine frames in, go.Figure or frame out.

Figures only draw what the engine computed (analytics/engine/weekly.py, monthly.py, content.py, journey.py).
The drill-down lists ("the leads behind this row") select, from the engine's own lead-grain tables
(lead_stages, leads, touches, handoffs via sla_leads, deals), the rows each aggregate counted, with the
same rules as the mart that counted them; tests/test_app_review.py ties every list's length to the
engine's figure, so the two cannot drift apart unnoticed.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta

import plotly.graph_objects as go
import polars as pl
from plotly.subplots import make_subplots

from analytics.i18n.messages import column_label, fmt_int, fmt_money, fmt_pct, has, stage_label, t
from analytics.views.charts import INK, MUTED, PRIMARY, TEMPLATE, stage_color

UP, DOWN, GOOD = "#009E73", "#D55E00", "#009E73"
MONEY = ("pipeline_amount", "won_amount")
DEAL_MEASURES = {"pipeline_amount": "created_at", "won_amount": "closed_at", "won_deals": "closed_at",
                 "closed_deals": "closed_at"}
TARGET_MEASURES = {"leads": 0, "mqls": "handoff_stage", "sals": "accepted_stage", "sqls": "qualified_stage",
                   "opportunities": "opportunity_stage"}  # target metric -> the stage it counts (0 = first)
TARGET_ORDER = ("leads", "mqls", "sals", "sqls", "opportunities", "pipeline_amount", "won_amount")
TREND_RATES = ("conversion", "acceptance", "follow_up_compliance", "win_rate")
JOURNEY_KINDS = ("stage", "score", "touch", "activity", "feedback", "opportunity")


def _figure(height: int) -> go.Figure:
    fig = go.Figure()
    fig.update_layout(template=TEMPLATE, height=height)
    return fig


# --- labels ------------------------------------------------------------------------------------

def measure_label(measure: str) -> str:
    """A weekly measure by its meeting name (New leads, MQLs, Won revenue…); other stages by name."""
    key = f"weekly.measure.{measure}"
    return t(key) if has(key) else t("weekly.measure.entries", stage=stage_label(measure))


def fmt_measure(measure: str, value: float | None, average: bool = False) -> str:
    """A weekly figure: money compact, counts whole; an average or prorated target of a small count
    keeps one decimal (0.3, not 0)."""
    if measure in MONEY:
        return fmt_money(value)
    if average and value is not None and abs(value) < 10:
        return f"{value:,.1f}"
    return fmt_int(value)


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


def kind_label(kind: str) -> str:
    key = f"journey.kind.{kind}"
    return t(key) if has(key) else kind


def relabel(frame: pl.DataFrame, column: str, label) -> pl.DataFrame:
    """frame with `column` replaced by label(value), computed here: t() reads the session's language from
    this thread's context, which Polars' worker threads (map_elements) do not have."""
    return frame.with_columns(pl.Series(column, [label(v) for v in frame[column]], dtype=pl.String))


def week_option(week) -> str:
    """2026-W07 · 9 Feb – 15 Feb 2026"""
    return t("weekly.week_option", week=week.label, monday=week.monday.strftime(t("weekly.fmt.day")),
             sunday=week.sunday.strftime(t("weekly.fmt.day")))


# --- weekly review -----------------------------------------------------------------------------

def moved_table(summary: pl.DataFrame, measures: list[str]) -> pl.DataFrame:
    """The what-moved rows in meeting order: value, last week, 4-week average, prorated target, the
    changes against them and the noise verdict (engine columns only, renamed and divided)."""
    frame = summary.filter(pl.col("measure").is_in(measures))
    frame = frame.with_columns(pl.col("measure").replace_strict({m: i for i, m in enumerate(measures)}).alias("_o"))
    return frame.sort("_o").select(
        "measure", "value", "previous",
        pl.when(pl.col("previous") > 0).then(pl.col("value") / pl.col("previous") - 1).alias("vs_previous"),
        "avg_4w",
        pl.when(pl.col("avg_4w") > 0).then(pl.col("value") / pl.col("avg_4w") - 1).alias("vs_avg_4w"),
        "target",
        pl.when(pl.col("target") > 0).then(pl.col("value") / pl.col("target")).alias("of_target"),
        "z", "is_unusual")


def signal(row: dict) -> str:
    if not row["is_unusual"]:
        return t("weekly.signal.normal")
    return t("weekly.signal.up") if (row["z"] or 0) > 0 else t("weekly.signal.down")


def moved_shown(frame: pl.DataFrame) -> pl.DataFrame:
    """What the meeting reads: every figure formatted, the verdict in words."""
    rows = frame.to_dicts()
    pct = lambda v: "—" if v is None else f"{v:+.0%}"  # noqa: E731
    return pl.DataFrame({
        "measure": [measure_label(r["measure"]) for r in rows],
        "value": [fmt_measure(r["measure"], r["value"]) for r in rows],
        "previous": [fmt_measure(r["measure"], r["previous"]) for r in rows],
        "vs_previous": [pct(r["vs_previous"]) for r in rows],
        "avg_4w": [fmt_measure(r["measure"], r["avg_4w"], average=True) for r in rows],
        "vs_avg_4w": [pct(r["vs_avg_4w"]) for r in rows],
        "target": [fmt_measure(r["measure"], r["target"], average=True) if r["target"] is not None else "—"
                   for r in rows],
        "of_target": [fmt_pct(r["of_target"]) for r in rows],
        "signal": [signal(r) for r in rows],
    })


def moved_chart(frame: pl.DataFrame) -> go.Figure:
    """Each measure against its 4-week average (%), coloured only when the change is beyond normal
    week-to-week noise; the figures themselves beside each bar."""
    frame = frame.filter(pl.col("vs_avg_4w").is_not_null())
    labels = [measure_label(m) for m in frame["measure"]]
    colors = [(UP if (z or 0) > 0 else DOWN) if u else MUTED for z, u in zip(frame["z"], frame["is_unusual"],
                                                                             strict=True)]
    fig = _figure(90 + 34 * frame.height)
    fig.add_trace(go.Bar(
        x=frame["vs_avg_4w"].to_list(), y=labels, orientation="h", marker_color=colors, showlegend=False,
        text=[t("weekly.chart.bar_text", value=fmt_measure(m, v), avg=fmt_measure(m, a, average=True))
              for m, v, a in zip(frame["measure"], frame["value"], frame["avg_4w"], strict=True)],
        textposition="outside", cliponaxis=False,
        hovertemplate="%{y}: %{x:+.0%}<extra></extra>"))
    for name, color in ((t("weekly.signal.up"), UP), (t("weekly.signal.down"), DOWN),
                        (t("weekly.signal.normal"), MUTED)):
        fig.add_trace(go.Bar(x=[None], y=[None], name=name, marker_color=color, showlegend=True))
    extent = max([abs(v) for v in frame["vs_avg_4w"].to_list()] + [0.25])
    fig.update_xaxes(tickformat="+.0%", range=[-extent * 1.9, extent * 1.9], zeroline=True, zerolinecolor=INK,
                     title_text=t("weekly.chart.vs_avg"))
    fig.update_yaxes(autorange="reversed", showgrid=False)
    fig.update_layout(barmode="overlay")
    return fig


def drops_table(drops: pl.DataFrame) -> pl.DataFrame:
    """Conversion pairs in funnel order with the verdict: dropped, normal, or not enough data."""
    if drops.is_empty():  # conversion_drops has no columns at all when nothing matches
        return pl.DataFrame()
    return drops.select(
        pl.concat_str(pl.col("from_stage"), pl.lit(" → "), pl.col("to_stage")).alias("pair"),
        "from_stage", "to_stage", "window_days", "is_immature", "cohort_week", "cohort", "converted", "rate",
        "baseline_rate", "p_value", "is_drop")


def drop_verdict(row: dict) -> str:
    if row["rate"] is None:
        return t("weekly.drop.no_data")
    return t("weekly.drop.dropped") if row["is_drop"] else t("weekly.drop.normal")


def drops_shown(frame: pl.DataFrame, week_label: str) -> pl.DataFrame:
    rows = frame.to_dicts()
    return pl.DataFrame({
        "pair": [f"{stage_label(r['from_stage'])} → {stage_label(r['to_stage'])}" for r in rows],
        "this_week": [t("weekly.drop.immature", days=r["window_days"]) if r["is_immature"]
                      else t("weekly.drop.mature") for r in rows],
        "cohort_week": [r["cohort_week"] or "—" for r in rows],
        "latest_rate": [fmt_pct(r["rate"]) if r["rate"] is None else
                 t("weekly.drop.rate", rate=fmt_pct(r["rate"]), k=fmt_int(r["converted"]), n=fmt_int(r["cohort"]))
                 for r in rows],
        "baseline_rate": [fmt_pct(r["baseline_rate"]) for r in rows],
        "p_value": ["—" if r["p_value"] is None else f"{r['p_value']:.3f}" for r in rows],
        "verdict": [drop_verdict(r) for r in rows],
    })


def drops_chart(frame: pl.DataFrame) -> go.Figure:
    """Per stage pair: the latest mature weekly cohort's rate (dot) against the 8 cohorts before it
    (ring); red when the drop is significant."""
    frame = frame.filter(pl.col("rate").is_not_null())
    labels = [f"{stage_label(a)} → {stage_label(b)}<br><sub>{w}</sub>"
              for a, b, w in zip(frame["from_stage"], frame["to_stage"], frame["cohort_week"], strict=True)]
    fig = _figure(90 + 44 * frame.height)
    for label, base, rate in zip(labels, frame["baseline_rate"], frame["rate"], strict=True):
        fig.add_trace(go.Scatter(x=[base, rate], y=[label, label], mode="lines", line=dict(color="#C9CED6", width=3),
                                 showlegend=False, hoverinfo="skip"))
    fig.add_trace(go.Scatter(x=frame["baseline_rate"].to_list(), y=labels, mode="markers",
                             name=t("weekly.chart.baseline"),
                             marker=dict(size=12, color="white", line=dict(color=INK, width=2)),
                             hovertemplate="%{x:.0%}<extra></extra>"))
    for is_drop, name in ((False, t("weekly.chart.latest")), (True, t("weekly.chart.drop"))):
        part = [i for i, d in enumerate(frame["is_drop"]) if d == is_drop]
        if not part:
            continue
        rates = [frame["rate"][i] for i in part]
        fig.add_trace(go.Scatter(
            x=rates, y=[labels[i] for i in part], mode="markers+text", name=name,
            marker=dict(size=13, color=DOWN if is_drop else PRIMARY), text=[f"  {fmt_pct(r)}  " for r in rates],
            textposition=["middle left" if r < (frame["baseline_rate"][i] or 0) else "middle right"
                          for r, i in zip(rates, part, strict=True)],
            cliponaxis=False, hovertemplate="%{x:.0%}<extra></extra>"))
    fig.update_xaxes(tickformat=".0%", range=[-0.08, 1.08], title_text=t("col.rate"))
    fig.update_yaxes(autorange="reversed", showgrid=False)
    return fig


def snapshot_compare(compared: pl.DataFrame, measures: list[str]) -> pl.DataFrame:
    """meetings.compare() in meeting order, with whether each figure was restated."""
    order = {m: i for i, m in enumerate(measures)}
    return (compared.filter(pl.col("measure").is_in(measures))
            .with_columns(pl.col("measure").replace_strict(order).alias("_o")).sort("_o").drop("_o")
            .with_columns((pl.col("restated").fill_null(0).abs() > 1e-9).alias("is_restated")))


def snapshot_shown(frame: pl.DataFrame) -> pl.DataFrame:
    rows = frame.to_dicts()
    return pl.DataFrame({
        "measure": [measure_label(r["measure"]) for r in rows],
        "frozen": [fmt_measure(r["measure"], r["frozen"]) for r in rows],
        "current": [fmt_measure(r["measure"], r["current"]) for r in rows],
        "restated": [("+" if (r["restated"] or 0) > 0 else "") + fmt_measure(r["measure"], r["restated"])
                     if r["is_restated"] else "—" for r in rows],
    })


# --- monthly review ----------------------------------------------------------------------------

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
    fig = _figure(120 + 26 * len(y))
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
    fig = _figure(110 + 34 * heat.height)
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


# --- content -----------------------------------------------------------------------------------

def lift_chart(lift: pl.DataFrame) -> go.Figure:
    """Lift of each content item in one stage with its 95% interval (log scale, 1 = no difference):
    green when the whole interval is above 1, grey when few leads touched it."""
    frame = lift.filter(pl.col("lift").is_not_null()).sort(["is_low_volume", "lift"], descending=[False, True])
    names = [f"{title or cid}" for title, cid in zip(frame["title"], frame["content_id"], strict=True)]
    fig = _figure(120 + 28 * frame.height)
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


# --- lead journey ------------------------------------------------------------------------------

def journey_chart(events: pl.DataFrame, handoff_at: datetime | None = None, as_of: datetime | None = None) -> go.Figure:
    """The lead's events on one time axis, one lane per kind, stage entries named, the hand-off
    marked; an account's leads one lane each instead, the kinds told apart by colour and symbol."""
    kinds = [k for k in JOURNEY_KINDS if k in set(events["kind"])] + \
        sorted(set(events["kind"]) - set(JOURNEY_KINDS))
    leads = events.group_by("lead_id").agg(pl.col("event_at").min()).sort("event_at")["lead_id"].to_list()
    many = len(leads) > 1
    fig = _figure(150 + (34 * len(leads) if many else 48 * len(kinds)))
    palette = {"stage": PRIMARY, "score": "#E69F00", "touch": "#56B4E9", "activity": "#CC79A7",
               "feedback": "#D55E00", "opportunity": "#009E73"}
    symbols = {"stage": "diamond", "opportunity": "star", "feedback": "square", "activity": "triangle-up"}
    for kind in kinds:
        part = events.filter(pl.col("kind") == kind)
        if many:  # only the current stage reads well in a crowded lane: name stage entries on hover
            text = [""] * part.height
        else:
            text = [stage_label(w) if kind == "stage" else (_score(w) if kind == "score" else
                                                             w if kind == "opportunity" else "") for w in part["what"]]
        detail = [" · ".join(x for x in ((lead if many else None), stage_label(w) if kind == "stage" else w, d) if x)
                  for lead, w, d in zip(part["lead_id"], part["what"], part["detail"], strict=True)]
        fig.add_trace(go.Scatter(
            x=part["event_at"].to_list(), y=part["lead_id"].to_list() if many else [kind_label(kind)] * part.height,
            mode="markers+text",
            marker=dict(size=11 if kind == "stage" else 9, color=palette.get(kind, MUTED),
                        symbol=symbols.get(kind, "circle"), line=dict(width=1, color="white")),
            text=text, textposition="top center", textfont=dict(size=10), cliponaxis=False,
            customdata=detail, name=kind_label(kind), showlegend=many,
            hovertemplate="%{x|%Y-%m-%d %H:%M}<br>%{customdata}<extra></extra>"))
    if handoff_at is not None:
        fig.add_vline(x=handoff_at, line_dash="dot", line_color=INK, line_width=1)
        fig.add_annotation(x=handoff_at, y=1, yref="paper", text=t("journey.handoff_marker"), showarrow=False,
                           yanchor="bottom", font=dict(size=11, color=INK))
    if as_of is not None:
        fig.add_vline(x=as_of, line_dash="dash", line_color=MUTED, line_width=1)
        fig.add_annotation(x=as_of, y=1, yref="paper", text=t("journey.as_of_marker"), showarrow=False,
                           yanchor="bottom", font=dict(size=11, color="#6B7280"))
    fig.update_yaxes(categoryorder="array", categoryarray=leads if many else [kind_label(k) for k in kinds],
                     autorange="reversed", showgrid=False)
    fig.update_xaxes(tickformat=t("journey.fmt.axis"))
    return fig


def _score(text: str | None) -> str:
    try:
        return f"{float(text):g}"
    except (TypeError, ValueError):
        return text or ""


def journey_shown(events: pl.DataFrame) -> pl.DataFrame:
    """The event table in words: kinds and stage names translated, times kept."""
    rows = events.select("kind", "what").to_dicts()
    return events.select("event_at", "lead_id", "kind", "what", "detail").with_columns(
        pl.Series("kind", [kind_label(r["kind"]) for r in rows], dtype=pl.String),
        pl.Series("what", [_what(r) for r in rows], dtype=pl.String))


def _what(row: dict) -> str:
    kind, what = row["kind"], row["what"]
    if kind == "stage":
        return stage_label(what)
    if kind == "score":
        return _score(what)
    key = f"journey.what.{what}"
    return t(key) if kind in ("feedback", "opportunity") and has(key) else what
