"""Figures and tiles of the targets page (and the SLA page's target tiles): actual against target per
period, attainment and pacing, pipeline coverage, and sales velocity with the lever that moved it
(analytics/engine/revenue.py)."""
from __future__ import annotations

import math

import plotly.graph_objects as go
import polars as pl

from analytics.i18n.messages import fmt_date, fmt_days, fmt_int, fmt_money, fmt_pct, t
from analytics.views.style import BAD, GOOD, INK, PRIMARY, figure

TARGET_ORDER = ("leads", "mqls", "sals", "sqls", "opportunities", "pipeline_amount", "won_amount")
LEVERS = ("open_opportunities", "win_rate", "avg_won_amount", "avg_cycle_days")


# --- targets and coverage -------------------------------------------------------------------------

def target_chart(frame: pl.DataFrame, metric: str, team: str | None = None, max_periods: int = 12) -> go.Figure:
    """Actual per period (bars: green at or above target, vermillion below, grey while the period is
    running) against the target (black tick), with the attainment above each bar."""
    frame = (_scope(frame, team).filter((pl.col("metric") == metric) & (pl.col("elapsed_share") > 0))
             .sort("period_start").tail(max_periods))
    running = (frame["elapsed_share"] < 1).to_list()
    colors = ["#9CA3AF" if run else (GOOD if (a or 0) >= 1 else BAD)
              for run, a in zip(running, frame["attainment"], strict=True)]
    x = [d.strftime(t("monthly.fmt.month")) for d in frame["period_start"]]
    money = metric.endswith("_amount")
    fmt = fmt_money if money else fmt_int
    fig = figure(340)
    fig.add_trace(go.Bar(x=x, y=frame["actual"].to_list(), name=t("targets.actual"), marker_color=colors, width=0.6,
                         text=[fmt_pct(a) for a in frame["attainment"]], textposition="outside", cliponaxis=False,
                         customdata=list(zip([fmt(v) for v in frame["actual"]], [fmt(v) for v in frame["target"]],
                                             [fmt_pct(p) for p in frame["pacing"]], strict=True)),
                         hovertemplate="%{x}: %{customdata[0]} of %{customdata[1]} · "
                                       + t("targets.pacing") + " %{customdata[2]}<extra></extra>"))
    # the target as a thin bar in the same slot, so that it always sits exactly on its period
    tick = max(frame["target"].max() or 0, frame["actual"].max() or 0, 1) * 0.012
    fig.add_trace(go.Bar(x=x, y=[2 * tick] * frame.height, base=[v - tick for v in frame["target"]], width=0.8,
                         name=t("targets.target"), marker_color=INK, hoverinfo="skip"))
    fig.update_yaxes(rangemode="tozero", title_text=t(f"targets.metric.{metric}"))
    fig.update_xaxes(type="category", showgrid=False)
    fig.update_layout(barmode="overlay", margin_t=48)
    return fig


def metric_order(frame: pl.DataFrame) -> list[str]:
    """The target metrics present, in funnel order (stage counts, then amounts, then any other)."""
    present = frame["metric"].unique().to_list()
    return [m for m in TARGET_ORDER if m in present] + sorted(m for m in present if m not in TARGET_ORDER)


def current_targets(frame: pl.DataFrame, as_of, team: str | None = None) -> pl.DataFrame:
    """The target rows of the period that contains the as-of (company-wide, or one team's)."""
    day = as_of.date()
    return _scope(frame, team).filter((pl.col("period_start") <= day) & (pl.col("period_end") >= day))


def _scope(frame: pl.DataFrame, team: str | None) -> pl.DataFrame:
    """Company-wide target rows (no team, no segment), or one team's."""
    return frame.filter((pl.col("team").is_null() if team is None else pl.col("team") == team)
                        & pl.col("segment").is_null())


def target_tiles(frame: pl.DataFrame, metrics: list[str]) -> list[dict]:
    """st.metric arguments per metric for one period: attainment, with pacing as the delta."""
    tiles = []
    rows = {row["metric"]: row for row in frame.iter_rows(named=True)}
    for row in (rows[m] for m in metrics if m in rows):
        fmt = fmt_money if row["metric"].endswith("_amount") else fmt_int
        pace = row["pacing"]
        tiles.append({
            "label": t("targets.tile_label", metric=t(f"targets.metric.{row['metric']}"), target=fmt(row["target"])),
            "value": fmt(row["actual"]),
            "delta": None if pace is None else t("targets.pace_delta", value=f"{pace - 1:+.0%}"),
            "help": t("targets.tile_help", attainment=fmt_pct(row["attainment"]), pacing=fmt_pct(pace),
                      elapsed=fmt_pct(row["elapsed_share"]), start=fmt_date(row["period_start"]),
                      end=fmt_date(row["period_end"]))})
    return tiles


def coverage_tiles(coverage: dict) -> list[dict]:
    """st.metric arguments for open pipeline, the won target still to win, and coverage."""
    remaining = coverage.get("remaining_target")
    if remaining is None:
        cover, cover_help = "—", t("targets.coverage_no_target")
    elif coverage.get("coverage") is None:
        cover, cover_help = t("targets.coverage_met"), t("targets.coverage_met_help")
    else:
        cover, cover_help = f"{coverage['coverage']:.1f}×", t("targets.coverage_help")
    return [
        {"label": t("targets.open_pipeline"),
         "value": f"{fmt_money(coverage['open_pipeline_amount'])} {coverage.get('currency', '')}".strip(),
         "help": t("targets.open_pipeline_help", n=fmt_int(coverage["open_opportunities"]),
                   exact=fmt_int(coverage["open_pipeline_amount"]))},
        {"label": t("targets.remaining"),
         "value": f"{fmt_money(remaining)} {coverage.get('currency', '')}".strip() if remaining is not None else "—",
         "help": t("targets.remaining_help", start=fmt_date(coverage.get("period_start")),
                   end=fmt_date(coverage.get("period_end")))},
        {"label": t("targets.coverage"), "value": cover, "help": cover_help},
    ]


# --- sales velocity -------------------------------------------------------------------------------

def _lever_value(lever: str, value: float | None) -> str:
    if lever == "win_rate":
        return fmt_pct(value)
    if lever == "avg_won_amount":
        return fmt_money(value)
    if lever == "avg_cycle_days":
        return t("targets.days", days=fmt_days(value))
    return fmt_int(value)


def velocity_chart(frame: pl.DataFrame) -> go.Figure:
    """Sales velocity per day by month (money won per day at the month's four levers)."""
    frame = frame.filter(pl.col("velocity_per_day").is_not_null()).sort("month_start")
    fig = figure(320)
    fig.add_trace(go.Scatter(
        x=frame["month_start"].to_list(), y=frame["velocity_per_day"].to_list(), mode="lines+markers",
        line=dict(color=PRIMARY, width=2), marker_size=7, name=t("col.velocity_per_day"),
        customdata=list(zip(*[[_lever_value(lv, v) for v in frame[lv]] for lv in LEVERS], strict=True)),
        hovertemplate="%{x|%b %Y}: %{y:,.0f}/day<br>" + " · ".join(
            f"{t(f'col.{lv}')} %{{customdata[{i}]}}" for i, lv in enumerate(LEVERS)) + "<extra></extra>"))
    fig.update_yaxes(rangemode="tozero", title_text=t("col.velocity_per_day"))
    fig.update_xaxes(tickformat="%b %Y", title_text=t("targets.month_axis"))
    return fig


def lever_waterfall(row: dict, previous: dict) -> go.Figure:
    """Which lever moved velocity from the month before: each lever's log change as a step, so the
    steps add up to the change of velocity; the axis reads as multipliers (×2 = doubled)."""
    effects = [row[f"{lv}_effect"] for lv in LEVERS]
    labels = [f"{t(f'col.{lv}')}<br><sub>{_lever_value(lv, previous[lv])} → {_lever_value(lv, row[lv])}</sub>"
              for lv in LEVERS]
    fig = figure(360)
    fig.add_trace(go.Waterfall(
        x=[*labels, t("targets.velocity_change")], y=[*effects, row["log_change"]],
        measure=["relative"] * len(LEVERS) + ["total"],
        text=[f"×{math.exp(e):.2f}" for e in [*effects, row["log_change"]]], textposition="outside",
        increasing=dict(marker_color=GOOD), decreasing=dict(marker_color=BAD), totals=dict(marker_color=PRIMARY),
        connector=dict(line=dict(color="#C9CED6", width=1)), cliponaxis=False, hoverinfo="skip"))
    top = max(abs(v) for v in [*effects, row["log_change"], math.log(1.5)])
    steps = [m for m in (0.1, 0.25, 0.5, 0.67, 1, 1.5, 2, 4, 10) if abs(math.log(m)) <= top * 1.6]
    fig.update_yaxes(tickvals=[math.log(m) for m in steps], ticktext=[f"×{m:g}" for m in steps],
                     title_text=t("targets.multiplier_axis"), zeroline=True, zerolinecolor="#9CA3AF")
    return fig


def velocity_text(row: dict, previous: dict, lever: str | None) -> str:
    """The sentence that names the lever that moved velocity most since the month before."""
    if lever is None:
        return t("targets.no_lever")
    month = t("monthly.fmt.month")
    return t("targets.lever_text", month=row["month_start"].strftime(month),
             previous=previous["month_start"].strftime(month), before=fmt_money(previous["velocity_per_day"]),
             after=fmt_money(row["velocity_per_day"]), change=f"×{math.exp(row['log_change']):.2f}",
             lever=t(f"col.{lever}"), factor=f"×{math.exp(row[f'{lever}_effect']):.2f}",
             from_value=_lever_value(lever, previous[lever]), to_value=_lever_value(lever, row[lever]))
