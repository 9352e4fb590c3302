"""Conversion over time by a breakdown ("why did paid search stop converting?"): one line per value of the
breakdown, a point per week or month of entry, low-volume points hollow; the same figures as a table whose
rows open the cohort behind them; and the words the drill-down lists show instead of codes."""
from __future__ import annotations

from datetime import date

import plotly.graph_objects as go
import polars as pl

from analytics.i18n.messages import dimension_label, fmt_pct, has, t
from analytics.views.style import STAGE_COLORS, figure

WORDED = ("decision", "sla_status", "status")  # columns of the drill lists holding a code with words


def values_by_volume(frame: pl.DataFrame, by: str) -> list[str]:
    """The breakdown's values, the largest cohort over the whole time first."""
    if frame.is_empty():
        return []
    totals = frame.group_by(by).agg(pl.col("cohort").sum()).sort(["cohort", by], descending=[True, False])
    return totals[by].to_list()


def trend_chart(frame: pl.DataFrame, by: str, grain: str, low_volume_n: int, values: list[str], label=str,
                height: int = 400) -> go.Figure:
    """Conversion rate per period for each of `values`: solid points where the cohort has at least
    low_volume_n leads, hollow ones below; the hover tells the counts behind the rate."""
    fig = figure(height)
    for i, value in enumerate(values):
        line = frame.filter(pl.col(by) == value).sort("period_start")
        if line.is_empty():
            continue
        color, name = STAGE_COLORS[i % len(STAGE_COLORS)], label(value)
        low = [t("chart.low_volume", n=low_volume_n) if is_low else "" for is_low in line["is_low_volume"]]
        fig.add_trace(go.Scatter(
            x=line["period_start"].to_list(), y=line["rate"].to_list(), name=name, mode="lines+markers",
            line=dict(color=color, width=2),
            marker=dict(size=[7 if is_low else 9 for is_low in line["is_low_volume"]], color=color,
                        line=dict(color=color, width=2),
                        symbol=["circle-open" if is_low else "circle" for is_low in line["is_low_volume"]]),
            customdata=list(zip(line["converted"].to_list(), line["cohort"].to_list(), low, [value] * line.height,
                                [d.isoformat() for d in line["period_start"]], strict=True)),
            hovertemplate=f"{name}" + ": %{y:.0%} (%{customdata[0]:,} / %{customdata[1]:,})"
                          "<br>%{x|" + ("%d %b %Y" if grain == "week" else "%b %Y") + "}  %{customdata[2]}"
                          "<extra></extra>"))
    fig.update_yaxes(tickformat=".0%", rangemode="tozero", title_text=t("col.rate"))
    fig.update_xaxes(title_text=t(f"grain.{grain}"), tickformat="%d %b<br>%Y" if grain == "week" else "%b %Y")
    fig.update_layout(legend_title_text=dimension_label(by), hovermode="closest")
    return fig


def clicked_point(frame: pl.DataFrame, by: str, point: dict | None) -> dict | None:
    """The row of `frame` behind a clicked point of trend_chart (its customdata carries the value and the
    period's first day), or None."""
    data = (point or {}).get("customdata") or []
    if len(data) < 5:
        return None
    match = frame.filter((pl.col(by) == data[3]) & (pl.col("period_start") == date.fromisoformat(str(data[4])[:10])))
    return match.row(0, named=True) if match.height else None


def trend_table(frame: pl.DataFrame, by: str, values: list[str]) -> pl.DataFrame:
    """The chart's points as rows, newest period first, then by the values' order (largest first)."""
    order = {v: i for i, v in enumerate(values)}
    rank = pl.col(by).replace_strict(order, default=len(order), return_dtype=pl.Int64)
    return (frame.filter(pl.col(by).is_in(values)).sort([pl.col("period_start"), rank], descending=[True, False])
            .select("period_start", by, "cohort", "converted", "rate", "is_low_volume"))


def latest_change(frame: pl.DataFrame, by: str, value: str, current: date | None = None) -> dict | None:
    """A value's last complete period (the one holding `current`, the as-of's, is still filling) against
    its pooled rate over the periods before: last, before, cohort, is_low_volume, period_start."""
    line = frame.filter(pl.col(by) == value).sort("period_start")
    if current is not None:
        line = line.filter(pl.col("period_start") < current)
    if line.height < 2:
        return None
    before = line.head(line.height - 1)
    if not before["cohort"].sum():
        return None
    last = line.row(-1, named=True)
    return {"last": last["rate"], "before": before["converted"].sum() / before["cohort"].sum(),
            "cohort": last["cohort"], "is_low_volume": last["is_low_volume"], "period_start": last["period_start"]}


def change_text(frame: pl.DataFrame, by: str, values: list[str], grain: str, label=str,
                current: date | None = None) -> str:
    """One sentence per shown value, the largest fall first: its last complete period against the periods
    before, marked when that period has too few leads to judge."""
    changes = [(v, c) for v in values if (c := latest_change(frame, by, v, current)) is not None]
    changes.sort(key=lambda vc: (vc[1]["last"] or 0) - vc[1]["before"])
    lines = [t("drill.trend.change", value=label(v), last=fmt_pct(c["last"]), before=fmt_pct(c["before"]),
               period=period_text(c["period_start"], grain), grain=t(f"grain.{grain}").lower())
             + (t("drill.trend.few", n=c["cohort"]) if c["is_low_volume"] else "") for v, c in changes]
    return "\n".join(f"- {line}" for line in lines)


def period_start_of(day: date, grain: str) -> date:
    """The first day of the week (Monday) or month holding `day`, as the mart truncates."""
    return day.replace(day=1) if grain == "month" else date.fromordinal(day.toordinal() - day.weekday())


def worded(frame: pl.DataFrame) -> pl.DataFrame:
    """A drill list with its status codes (accepted, breached, won…) in words."""
    def word(value: str | None) -> str | None:
        return t(f"drill.value.{value}") if value is not None and has(f"drill.value.{value}") else value
    return frame.with_columns(pl.Series(c, [word(v) for v in frame[c]], dtype=pl.String)
                              for c in WORDED if c in frame.columns and frame.schema[c] == pl.String)


def period_text(period_start: date, grain: str) -> str:
    return period_start.strftime(t("drill.fmt.week") if grain == "week" else t("drill.fmt.month"))
