"""Figures and shown tables of the weekly review: what moved against last week, the 4-week average and
the prorated target (coloured only beyond normal week-to-week noise), the conversion drops, and a
frozen meeting's figures against today's (analytics/engine/weekly.py, analytics/store/meetings.py)."""
from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from analytics.i18n.messages import fmt_int, fmt_money, fmt_pct, has, stage_label, t
from analytics.views.style import AMBER, BAD, GOOD, INK, MUTED, PRIMARY, figure

MONEY = ("pipeline_amount", "won_amount")


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


def week_option(week) -> str:
    """2026-W07 · 9 Feb – 15 Feb 2026"""
    return t("weekly.week_option", week=week.label, monday=week.monday.strftime(t("weekly.fmt.day")),
             sunday=week.sunday.strftime(t("weekly.fmt.day")))


def moved_table(summary: pl.DataFrame, measures: list[str], levels: pl.DataFrame | None = None) -> pl.DataFrame:
    """The what-moved rows in meeting order: value, last week, 4-week average, prorated target, the
    changes against them and the noise verdict (engine columns only, renamed and divided); with
    `levels` (engine.attention.measure_levels) also the target verdict and the combined level."""
    frame = summary.filter(pl.col("measure").is_in(measures))
    frame = frame.with_columns(pl.col("measure").replace_strict({m: i for i, m in enumerate(measures)}).alias("_o"))
    frame = frame.sort("_o").select(
        "measure", "value", "previous",
        pl.when(pl.col("previous") > 0).then(pl.col("value") / pl.col("previous") - 1).alias("vs_previous"),
        "avg_4w",
        pl.when(pl.col("avg_4w") > 0).then(pl.col("value") / pl.col("avg_4w") - 1).alias("vs_avg_4w"),
        "target",
        pl.when(pl.col("target") > 0).then(pl.col("value") / pl.col("target")).alias("of_target"),
        "z", "is_unusual")
    if levels is not None:
        frame = frame.join(levels.select("measure", "target_level", "level"), on="measure", how="left",
                           maintain_order="left")
    return frame


def signal(row: dict) -> str:
    """The figure's verdict in words: off or behind target first (a week off pace is news whatever the
    noise), then unusually high or low, else normal noise."""
    if row.get("target_level"):
        return t(f"weekly.signal.target_{row['target_level']}", pct=fmt_pct(row["of_target"]))
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


def noise_shown(frame: pl.DataFrame) -> pl.DataFrame:
    """The statistics behind the what-moved verdicts, for the expander: each figure's z against the
    12 weeks before."""
    rows = frame.to_dicts()
    return pl.DataFrame({
        "measure": [measure_label(r["measure"]) for r in rows],
        "z": ["—" if r["z"] is None else f"{r['z']:+.2f}" for r in rows],
        "signal": [t("weekly.signal.up") if r["is_unusual"] and (r["z"] or 0) > 0 else t("weekly.signal.down")
                   if r["is_unusual"] else t("weekly.signal.normal") for r in rows],
    })


def _bar_colors(frame: pl.DataFrame) -> list[str]:
    """Red off target or an unusual fall, amber behind target, green an unusual rise, grey otherwise;
    without moved_table's `level` (no verdicts given) by noise alone."""
    if "level" not in frame.columns:
        return [(GOOD if (z or 0) > 0 else BAD) if u else MUTED
                for z, u in zip(frame["z"], frame["is_unusual"], strict=True)]
    return [{"red": BAD, "amber": AMBER, "good": GOOD}.get(level or "", MUTED) for level in frame["level"]]


def moved_chart(frame: pl.DataFrame) -> go.Figure:
    """Each measure against its 4-week average (%), coloured by its verdict (off or behind target,
    beyond normal week-to-week noise); the figures themselves beside each bar."""
    frame = frame.filter(pl.col("vs_avg_4w").is_not_null())
    labels = [measure_label(m) for m in frame["measure"]]
    fig = figure(140 + 34 * frame.height)  # room for the legend and the axis title over a short list
    fig.add_trace(go.Bar(
        x=frame["vs_avg_4w"].to_list(), y=labels, orientation="h", marker_color=_bar_colors(frame), showlegend=False,
        text=[t("weekly.chart.bar_text", value=fmt_measure(m, v), avg=fmt_measure(m, a, average=True))
              for m, v, a in zip(frame["measure"], frame["value"], frame["avg_4w"], strict=True)],
        textposition="outside", cliponaxis=False,
        hovertemplate="%{y}: %{x:+.0%}<extra></extra>"))
    legend = ((t("weekly.chart.red"), BAD), (t("weekly.chart.amber"), AMBER), (t("weekly.signal.up"), GOOD),
              (t("weekly.signal.normal"), MUTED)) if "level" in frame.columns else (
        (t("weekly.signal.up"), GOOD), (t("weekly.signal.down"), BAD), (t("weekly.signal.normal"), MUTED))
    for name, color in legend:
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
        "baseline_rate", "p_value", "is_drop", "is_low_volume")


def drop_verdict(row: dict) -> str:
    """Dropped, within normal range, or — on a cohort below the low-volume line — "0 of 5: too few to
    judge" (a drop stays a drop: it was significant even on few leads)."""
    if row["rate"] is None:
        return t("weekly.drop.no_data")
    if row["is_drop"]:
        return t("weekly.drop.dropped_few" if row.get("is_low_volume") else "weekly.drop.dropped")
    if row.get("is_low_volume"):
        return t("weekly.drop.too_few", k=fmt_int(row["converted"]), n=fmt_int(row["cohort"]))
    return t("weekly.drop.normal")


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
        "verdict": [drop_verdict(r) for r in rows],
    })


def drops_stats_shown(frame: pl.DataFrame) -> pl.DataFrame:
    """The statistics behind the conversion verdicts, for the expander: Fisher's exact test's p-value."""
    rows = frame.to_dicts()
    return pl.DataFrame({
        "pair": [f"{stage_label(r['from_stage'])} → {stage_label(r['to_stage'])}" for r in rows],
        "latest_rate": [t("weekly.drop.rate", rate=fmt_pct(r["rate"]), k=fmt_int(r["converted"]),
                          n=fmt_int(r["cohort"])) if r["rate"] is not None else "—" for r in rows],
        "baseline_rate": [fmt_pct(r["baseline_rate"]) for r in rows],
        "p_value": ["—" if r["p_value"] is None else f"{r['p_value']:.3f}" for r in rows],
    })


def drops_chart(frame: pl.DataFrame) -> go.Figure:
    """Per stage pair: the latest mature weekly cohort's rate (dot) against the 8 cohorts before it
    (ring); red when the drop is significant, grey when the cohort is too small to judge."""
    frame = frame.filter(pl.col("rate").is_not_null())
    few = (frame["is_low_volume"].fill_null(False).to_list() if "is_low_volume" in frame.columns
           else [False] * frame.height)
    labels = [f"{stage_label(a)} → {stage_label(b)}<br><sub>"
              + (t("weekly.chart.few", week=w, n=fmt_int(n)) if f else w) + "</sub>"
              for a, b, w, n, f in zip(frame["from_stage"], frame["to_stage"], frame["cohort_week"], frame["cohort"],
                                       few, strict=True)]
    fig = figure(90 + 44 * frame.height)
    for label, base, rate in zip(labels, frame["baseline_rate"], frame["rate"], strict=True):
        fig.add_trace(go.Scatter(x=[base, rate], y=[label, label], mode="lines", line=dict(color="#C9CED6", width=3),
                                 showlegend=False, hoverinfo="skip"))
    fig.add_trace(go.Scatter(x=frame["baseline_rate"].to_list(), y=labels, mode="markers",
                             name=t("weekly.chart.baseline"),
                             marker=dict(size=12, color="white", line=dict(color=INK, width=2)),
                             hovertemplate="%{x:.0%}<extra></extra>"))
    kinds = ["drop" if d else "few" if f else "latest" for d, f in zip(frame["is_drop"], few, strict=True)]
    for kind, name, color in (("latest", t("weekly.chart.latest"), PRIMARY), ("few", t("weekly.chart.too_few"), MUTED),
                              ("drop", t("weekly.chart.drop"), BAD)):
        part = [i for i, k in enumerate(kinds) if k == kind]
        if not part:
            continue
        rates = [frame["rate"][i] for i in part]
        fig.add_trace(go.Scatter(
            x=rates, y=[labels[i] for i in part], mode="markers+text", name=name,
            marker=dict(size=13, color=color), text=[f"  {fmt_pct(r)}  " for r in rates],
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


TOPICS = ("sla_breaches", "newly_stalled", "conversion")  # what an action item may be about besides a measure


def review_measures(main_stages: tuple[str, ...] | list[str]) -> list[str]:
    """What the weekly review counts, in meeting order: the main stages and the two amounts."""
    return [*main_stages, "pipeline_amount", "won_amount"]


def topic_label(topic: str | None) -> str:
    """What an action item is about: a section of the review or a measure, by name."""
    if not topic:
        return "—"
    return t(f"weekly.topic.{topic}") if topic in TOPICS else measure_label(topic)


def moved_colors(frame: pl.DataFrame) -> list[str]:
    """moved_chart's bar colours: green up / vermillion down beyond noise, grey within it."""
    return [(GOOD if (z or 0) > 0 else BAD) if u else MUTED
            for z, u in zip(frame["z"], frame["is_unusual"], strict=True)]
