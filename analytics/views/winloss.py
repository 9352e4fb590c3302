"""Figures of the win/loss page: win rate per factor value (significant first), the loss and win
reasons as a Pareto chart, and the ideal-customer-profile segments (analytics/engine/winloss.py)."""
from __future__ import annotations

import plotly.graph_objects as go
import polars as pl
from plotly.subplots import make_subplots

from analytics.i18n.messages import dimension_label, fmt_int, fmt_money, fmt_pct, t
from analytics.views.segments import rate_bars
from analytics.views.style import INK, MUTED, PRIMARY, TEMPLATE, figure, interval

SIGNIFICANT_Q = 0.05  # a factor value is called significant below this Benjamini–Hochberg q-value


def rank_factors(frame: pl.DataFrame) -> pl.DataFrame:
    """Factor values significant first (q), then by the strength of the evidence (p), then volume."""
    return frame.sort(["q_value", "p_value", "closed"], descending=[False, False, True], nulls_last=True)


def factor_chart(frame: pl.DataFrame, overall: float | None, low_volume_n: int, max_rows: int = 20,
                 label=lambda factor, value: value) -> go.Figure:
    """Win rate with its interval for the factor values ranked first (significant first): blue =
    significant (q < 0.05), grey = not; hatched = low volume. Dashed line = all closed deals.
    `label(factor, value)` names a value (e.g. a rep by name)."""
    shown = rank_factors(frame).head(max_rows)
    shown = shown.with_columns(pl.Series("label", [f"{dimension_label(f)} = {label(f, v)}"
                                                   for f, v in zip(shown["factor"], shown["value"], strict=True)],
                                         dtype=pl.String))
    fig = figure(120 + 28 * shown.height)
    for significant in (True, False):
        for is_low in (False, True):
            part = shown.filter(((pl.col("q_value") < SIGNIFICANT_Q) == significant)
                                & (pl.col("is_low_volume") == is_low))
            if part.is_empty():
                continue
            name = t("winloss.significant" if significant else "winloss.not_significant")
            if is_low:
                name += " · " + t("chart.low_volume", n=low_volume_n)
            fig.add_trace(go.Bar(
                x=part["win_rate"].to_list(), y=part["label"].to_list(), orientation="h", name=name,
                marker=dict(color=PRIMARY if significant else MUTED,
                            pattern=dict(shape="/" if is_low else "", fgcolor=PRIMARY if significant else "#8B939E",
                                         bgcolor="#CFE3F1" if significant else "white", solidity=0.3)),
                error_x=interval(part.rename({"win_rate": "rate"})),
                customdata=list(zip(part["won"].to_list(), part["closed"].to_list(),
                                    [f"{v:.2f}" if v is not None else "—" for v in part["lift"]],
                                    [f"{v:.3f}" for v in part["q_value"]], strict=True)),
                hovertemplate="%{y}: %{x:.0%} (%{customdata[0]:,} of %{customdata[1]:,})<br>lift %{customdata[2]}"
                              " · q = %{customdata[3]}<extra></extra>"))
    fig.add_trace(go.Scatter(
        x=shown["ci_high"].fill_null(0).to_list(), y=shown["label"].to_list(), mode="text", showlegend=False,
        text=[f"  {fmt_pct(r)} · {w:,}/{n:,} · ×{lift:.2f}" if lift is not None else f"  {fmt_pct(r)}"
              for r, w, n, lift in zip(shown["win_rate"], shown["won"], shown["closed"], shown["lift"], strict=True)],
        textposition="middle right", textfont=dict(size=11, color="#374151"), hoverinfo="skip", cliponaxis=False))
    if overall is not None:
        fig.add_vline(x=overall, line_dash="dash", line_color=INK, line_width=1,
                      annotation_text=t("chart.all_segments", rate=fmt_pct(overall)),
                      annotation_position="top right", annotation_font_size=11)
    fig.update_yaxes(categoryorder="array", categoryarray=shown["label"].to_list(), autorange="reversed",
                     showgrid=False)
    fig.update_xaxes(tickformat=".0%", range=[0, 1.35], tickvals=[0, 0.2, 0.4, 0.6, 0.8, 1.0],
                     title_text=t("col.win_rate"))
    fig.update_layout(barmode="overlay")
    return fig


def significant_text(frame: pl.DataFrame, overall: float | None, top: int = 5,
                     label=lambda factor, value: value) -> str:
    """What separates wins from losses, in plain words: one line per factor value whose win rate is
    unlikely to be chance (q < SIGNIFICANT_Q), strongest evidence first; or a sentence saying none is."""
    hits = frame.filter(pl.col("q_value") < SIGNIFICANT_Q).sort("q_value")
    if hits.is_empty():
        return t("winloss.none_significant", n=fmt_int(frame.height), q=SIGNIFICANT_Q)
    lines = [t("winloss.verdict_better" if r["win_rate"] >= (overall or 0) else "winloss.verdict_worse",
               factor=dimension_label(r["factor"]), value=label(r["factor"], r["value"]),
               rate=fmt_pct(r["win_rate"]), won=fmt_int(r["won"]), closed=fmt_int(r["closed"]),
               overall=fmt_pct(overall))
             for r in hits.head(top).iter_rows(named=True)]
    more = t("winloss.verdict_more", n=fmt_int(hits.height - top)) if hits.height > top else ""
    return "\n".join(f"- {line}" for line in lines) + (f"\n\n{more}" if more else "")


def with_value_names(frame: pl.DataFrame, label) -> pl.DataFrame:
    """The factor table with each factor's and value's name (a rep or campaign by name) first; the
    codes stay in the frame (and its CSV) beside them."""
    factors = [dimension_label(f) for f in frame["factor"]]
    values = [label(f, v) for f, v in zip(frame["factor"], frame["value"], strict=True)]
    return frame.select(pl.Series("factor_name", factors, dtype=pl.String),
                        pl.Series("value_name", values, dtype=pl.String), *frame.columns)


PAIR_COLUMNS = ("first_factor", "first_value", "second_factor", "second_value")  # an ICP segment's codes
NO_REASON = "(no reason given)"  # winloss.reasons' name for a deal closed without one


def profile_in_words(frame: pl.DataFrame, label) -> pl.DataFrame:
    """The ideal-customer-profile table with each segment named in `profile` ("Industry: Software ·
    Region: EMEA", a rep or campaign by name through `label(factor, value)`), first; the codes stay in
    `segment` and PAIR_COLUMNS (the CSV keeps them)."""
    if frame.is_empty():
        return frame
    words = [f"{dimension_label(a)}: {label(a, va)} · {dimension_label(b)}: {label(b, vb)}"
             for a, va, b, vb in frame.select(PAIR_COLUMNS).iter_rows()]
    return frame.select(pl.Series("profile", words, dtype=pl.String), pl.exclude("profile"))


def reasons_in_words(frame: pl.DataFrame) -> pl.DataFrame:
    """A Pareto of reasons with "no reason given" in the session's language; the reason as the data
    holds it in reason_code (what the deals behind a bar are found by)."""
    return frame.with_columns(
        pl.when(pl.col("reason") == NO_REASON).then(pl.lit(t("drill.no_reason"))).otherwise(pl.col("reason"))
        .alias("reason"), pl.col("reason").alias("reason_code"))


def focused(frame: pl.DataFrame, show_all: bool, least: int = 6) -> pl.DataFrame:
    """The factor values the chart draws: those unlikely to be chance, topped up to `least` with the
    next-strongest evidence (or the whole ranking when asked)."""
    ranked = rank_factors(frame)
    if show_all:
        return ranked
    hits = ranked.filter(pl.col("q_value") < SIGNIFICANT_Q)
    return ranked.head(max(hits.height, least))


def pareto_chart(frame: pl.DataFrame, color: str) -> go.Figure:
    """Reasons by number of deals (bars), most first, with the cumulative share (line)."""
    fig = make_subplots(specs=[[{"secondary_y": True}]])
    fig.update_layout(template=TEMPLATE, height=340, showlegend=False)
    fig.add_trace(go.Bar(x=frame["reason"].to_list(), y=frame["deals"].to_list(), marker_color=color,
                         text=[fmt_int(v) for v in frame["deals"]], textposition="outside", cliponaxis=False,
                         customdata=[fmt_money(v) for v in frame["amount"]],
                         hovertemplate="%{x}: %{y:,} deals · %{customdata}<extra></extra>"), secondary_y=False)
    fig.add_trace(go.Scatter(x=frame["reason"].to_list(), y=frame["cumulative_share"].to_list(), mode="lines+markers",
                             line=dict(color=INK, width=1.5), marker_size=6,
                             hovertemplate="%{x}: %{y:.0%} " + t("winloss.cumulative") + "<extra></extra>"),
                  secondary_y=True)
    fig.update_yaxes(title_text=t("winloss.deals_axis"), rangemode="tozero", tickmode="auto", nticks=6,
                     tickformat=",d", secondary_y=False)
    fig.update_yaxes(tickformat=".0%", range=[0, 1.05], tickvals=[0, 0.25, 0.5, 0.75, 1], showgrid=False,
                     title_text=t("winloss.cumulative"), secondary_y=True)
    fig.update_xaxes(tickangle=0 if frame.height <= 5 else -30)
    return fig


def icp_chart(frame: pl.DataFrame, low_volume_n: int, overall: float | None) -> go.Figure:
    """Win rate with its interval for the ideal-customer-profile segments (profile_in_words)."""
    return rate_bars(frame, "profile", low_volume_n, overall, str, "win_rate", "won", "closed", t("col.win_rate"))
