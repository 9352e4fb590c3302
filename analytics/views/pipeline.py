"""Figures, tiles and sentences of pipeline movement and the forecast (analytics/engine/pipeline.py,
forecast.py): the waterfall of one period, the forecast tiles against target and the naive method, the
track-record headline and the backtest chart."""
from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from analytics.i18n.messages import fmt_int, fmt_money, fmt_pct, t
from analytics.views.style import BAD, GOOD, INK, MUTED, PRIMARY, figure

INNER = ("created", "advanced", "moved_back", "pushed_out", "pulled_in", "amount_change", "won", "lost")
DEAL_COLUMNS = ("lead_id", "opportunity_id", "owner_id", "movement", "amount", "stage_from", "stage_to",
                "amount_from", "amount_to", "close_from", "close_to")


def movement_label(movement: str) -> str:
    return t(f"pipeline.movement.{movement}")


def waterfall_chart(period: pl.DataFrame) -> go.Figure:
    """One period: the opening pipeline, each movement's effect on it (advanced and moved back carry no
    amount: a thin step with the deal count) and the closing pipeline."""
    rows = {r["movement"]: r for r in period.iter_rows(named=True)}
    order = ["opening", *INNER, "closing"]
    x = [f"{movement_label(m)}<br><sub>{t('pipeline.deals_n', n=fmt_int(rows[m]['deals']))}</sub>" for m in order]
    y = [rows[m]["net_amount"] for m in order]
    text = [fmt_money(rows[m]["net_amount"]) if m in ("opening", "closing") else
            (f"+{fmt_money(v)}" if v > 0 else fmt_money(v) if v < 0 else "") for m, v in zip(order, y, strict=True)]
    fig = figure(380)
    fig.add_trace(go.Waterfall(
        x=x, y=y, measure=["absolute", *["relative"] * len(INNER), "total"], text=text, textposition="outside",
        increasing=dict(marker_color=GOOD), decreasing=dict(marker_color=BAD), totals=dict(marker_color=PRIMARY),
        connector=dict(line=dict(color="#C9CED6", width=1)), cliponaxis=False, hoverinfo="skip"))
    levels, level = [], 0.0
    for m, v in zip(order, y, strict=True):
        level = v if m in ("opening", "closing") else level + v
        levels.append(level)
    low, high = min(levels), max(levels)
    # the axis starts near the lowest level the pipeline reached, so that the moves are readable
    floor = max(0.0, low - 0.6 * max(high - low, 0.05 * high))
    fig.update_yaxes(title_text=t("pipeline.amount_axis", currency=period["currency"][0]),
                     range=[floor, high + 0.12 * max(high - floor, 1.0)])
    fig.update_layout(showlegend=False, margin=dict(t=40))
    return fig


def movement_text(period: pl.DataFrame) -> str:
    """The period in one sentence: opening → closing, and the biggest moves in and out."""
    rows = {r["movement"]: r for r in period.iter_rows(named=True)}
    moves = sorted(((m, rows[m]) for m in INNER if rows[m]["net_amount"]), key=lambda kv: -abs(kv[1]["net_amount"]))
    parts = [t("pipeline.move_part", movement=movement_label(m).lower(), n=fmt_int(r["deals"]),
               amount=("+" if r["net_amount"] > 0 else "") + fmt_money(r["net_amount"])) for m, r in moves[:3]]
    return t("pipeline.movement_text", opening=fmt_money(rows["opening"]["net_amount"]),
             opening_n=fmt_int(rows["opening"]["deals"]), closing=fmt_money(rows["closing"]["net_amount"]),
             closing_n=fmt_int(rows["closing"]["deals"]), moves="; ".join(parts) or t("pipeline.no_moves"))


def deals_shown(deals: pl.DataFrame) -> pl.DataFrame:
    """The deals of one movement as the list shows them (lead first, for the journey link)."""
    return deals.select(DEAL_COLUMNS).sort("amount", descending=True, nulls_last=True, maintain_order=True)


def headline(record: dict | None) -> str | None:
    """"Last 6 months our forecast was within X% (naive: Y%)", or None without a track record."""
    if record is None:
        return None
    key = "pipeline.headline_better" if record["error"] <= record["naive_error"] else "pipeline.headline_worse"
    return t(key, months=record["months"], error=fmt_pct(record["error"]), naive=fmt_pct(record["naive_error"]),
             bias=("+" if record["bias"] > 0 else "") + fmt_pct(record["bias"]),
             within=fmt_pct(record["within_interval"]))


def forecast_tiles(frame: pl.DataFrame) -> list[dict]:
    """Per period (month, quarter): the forecast with its 80% interval, against target."""
    tiles = []
    for row in frame.iter_rows(named=True):
        delta = None
        if row["target"]:
            delta = t("pipeline.vs_target", pct=fmt_pct(row["forecast"] / row["target"]))
        tiles.append({
            "label": t(f"pipeline.forecast_{row['period']}", period=period_name(row)),
            "value": f"{fmt_money(row['forecast'])} {row['currency']}",
            "delta": delta,
            "delta_color": "normal" if row["target"] and row["forecast"] >= row["target"] else "inverse",
            "help": t("pipeline.forecast_help", low=fmt_money(row["low"]), high=fmt_money(row["high"]),
                      won=fmt_money(row["won_so_far"]), open=fmt_money(row["expected_from_open"]),
                      new=fmt_money(row["expected_from_new"])),
        })
    return tiles


def forecast_table(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.select("period", "period_start", "period_end", "won_so_far", "forecast", "low", "high", "naive",
                        "rep_expected", "target", "open_deals", "expected_from_open", "expected_from_new", "currency")


def period_name(row: dict) -> str:
    """November 2026 / Q4 2026 in the session's language."""
    start = row["period_start"]
    if row["period"] == "month":
        return start.strftime(t("pipeline.month_format"))
    return t("pipeline.quarter_name", year=start.year, quarter=(start.month - 1) // 3 + 1)


def forecast_text(row: dict) -> str:
    return t("pipeline.forecast_text", period=period_name(row), forecast=fmt_money(row["forecast"]),
             low=fmt_money(row["low"]), high=fmt_money(row["high"]), won=fmt_money(row["won_so_far"]),
             naive=fmt_money(row["naive"]), rep=fmt_money(row["rep_expected"]),
             target=fmt_money(row["target"]) if row["target"] else t("pipeline.no_target"))


def backtest_chart(backtested: pl.DataFrame) -> go.Figure:
    """Month by month: what was booked (bars), our forecast made at the month's start with its 80%
    interval, and the naive weighted pipeline."""
    months = backtested.filter(pl.col("period") == "month").sort("period_start")
    x = [d.strftime(t("monthly.fmt.month")) for d in months["period_start"]]  # "Nov 2025", not "Nov 25"
    fig = figure(340)
    fig.add_trace(go.Bar(x=x, y=months["actual"].to_list(), name=t("pipeline.actual"), marker_color=MUTED,
                         hovertemplate="%{x}: %{y:,.0f}<extra></extra>"))
    fig.add_trace(go.Scatter(
        x=x, y=months["forecast"].to_list(), name=t("pipeline.ours"), mode="lines+markers",
        line=dict(color=PRIMARY, width=2.5),
        error_y=dict(type="data", symmetric=False, color=PRIMARY, thickness=1,
                     array=(months["high"] - months["forecast"]).to_list(),
                     arrayminus=(months["forecast"] - months["low"]).to_list()),
        hovertemplate="%{x}: %{y:,.0f}<extra></extra>"))
    fig.add_trace(go.Scatter(x=x, y=months["naive"].to_list(), name=t("pipeline.naive"), mode="lines+markers",
                             line=dict(color=INK, width=1.5, dash="dot"),
                             hovertemplate="%{x}: %{y:,.0f}<extra></extra>"))
    fig.update_yaxes(title_text=t("pipeline.amount_axis", currency=months["currency"][0] if months.height else ""),
                     rangemode="tozero")
    fig.update_layout(legend=dict(orientation="h", y=1.12, x=0))
    return fig


def backtest_table(backtested: pl.DataFrame) -> pl.DataFrame:
    return backtested.select("period", "period_start", "actual", "forecast", "low", "high", "naive", "error",
                             "naive_error", "abs_pct_error", "naive_abs_pct_error", "is_within_interval",
                             "is_learned", "currency").sort("period", "period_start", descending=[False, True])
