"""The strategy review's figures and words (docs/metrics.md "Strategy"): the plain-words summary per unit,
the growth–share matrix with intervals, uncertain units and trails, and the growth-path waterfall."""
from __future__ import annotations

import math

import plotly.graph_objects as go
import polars as pl

from analytics.i18n.messages import fmt_money, fmt_pct, t
from analytics.views.style import AMBER, BAD, GOOD, INK, PRIMARY, figure

QUADRANT_COLORS = {"star": GOOD, "cash_cow": PRIMARY, "question_mark": AMBER, "dog": "#8C8C8C"}
LABELLED = 10  # units named on the matrix (the largest), with their trails and whiskers when there are more


def quadrant_text(quadrant: str | None) -> str:
    return t(f"strategy.quadrant.{quadrant}") if quadrant else "—"


def period_label(period: str) -> str:
    return t(f"strategy.period.{period}") if not period.isdigit() else t("strategy.period.year", year=period)


def _signed(value: float | None) -> str:
    return "—" if value is None else ("+" if value > 0 else "") + fmt_pct(value)


def _growth_words(row: dict, growth_line: float) -> str:
    if row["is_new"]:
        return t("strategy.new")
    g = row["growth"]
    if g >= growth_line:
        return t("strategy.growing", growth=fmt_pct(g))
    if g < 0 and abs(g) >= growth_line:
        return t("strategy.shrinking", growth=fmt_pct(-g))
    return t("strategy.flat", growth=_signed(g))


def _position_words(row: dict, basis: str, share_line: float) -> str:
    if basis == "competitor":
        ahead = row["win_rate"] >= share_line / (1 + share_line)
        return t("strategy.ahead_of" if ahead else "strategy.behind", won=row["head_to_head_won"],
                 n=row["head_to_head"], competitor=row["competitor"])
    if row["relative_share"] >= share_line:
        return t("strategy.leader", share=f"{row['relative_share']:.1f}")
    return t("strategy.share_of", share=fmt_pct(row["relative_share"]))


def _doubts(row: dict, basis: str) -> list[str]:
    """Why a placement is uncertain: the intervals that cross a line, in words."""
    why = []
    if row["uncertain_growth"] and not row["is_new"]:
        why.append(t("strategy.why.growth", low=_signed(row["growth_ci_low"]), high=_signed(row["growth_ci_high"])))
    if row["uncertain_share"] and row["quadrant"]:
        if basis == "competitor":
            why.append(t("strategy.why.share", low=fmt_pct(row["win_rate_ci_low"]),
                         high=fmt_pct(row["win_rate_ci_high"])))
        else:
            why.append(t("strategy.why.share_bookings", low=_times(row["share_ci_low"]),
                         high=_times(row["share_ci_high"])))
    return why


def _uncertain_words(row: dict, basis: str) -> str:
    why = _doubts(row, basis)
    return t("strategy.say.uncertain", why="; ".join(why)) if why else ""


def unit_sentence(row: dict, basis: str, growth_line: float, share_line: float) -> str:
    """'Enterprise is a question mark: growing +40% on a small base and … — build or drop?'"""
    if row["quadrant"] is None:
        return t("strategy.say.none", unit=row["unit"])
    text = t(f"strategy.say.{row['quadrant']}", unit=row["unit"], growth=_growth_words(row, growth_line),
             position=_position_words(row, basis, share_line),
             base=t("strategy.small_base") if basis == "bookings" else "")
    return text + (_uncertain_words(row, basis) if row["uncertain"] else "")


def summary(table: pl.DataFrame, growth_line: float, share_line: float, limit: int = 5) -> list[str]:
    """One sentence per unit, largest bookings first, at most `limit` (then how many more)."""
    if table.is_empty():
        return []
    basis = table["basis"][0]
    lines = [unit_sentence(r, basis, growth_line, share_line) for r in table.head(limit).iter_rows(named=True)]
    if table.height > limit:
        lines.append(t("strategy.more_units", n=table.height - limit))
    return lines


def paths_sentence(paths: pl.DataFrame) -> str:
    rows = {r["path"]: r for r in paths.iter_rows(named=True)}
    total = rows["total"]
    change = total["change_amount"]
    biggest = max((r for p, r in rows.items() if p != "total"), key=lambda r: abs(r["change_amount"]))
    ratio = _signed(change / total["prior_amount"]) if total["prior_amount"] else t("strategy.new")
    return t("strategy.paths_say", prior=fmt_money(total["prior_amount"]), current=fmt_money(total["current_amount"]),
             change=f"{'+' if change > 0 else ''}{fmt_money(change)}, {ratio}",
             path=t(f"strategy.path.{biggest['path']}"),
             path_change=f"{'+' if biggest['change_amount'] > 0 else ''}{fmt_money(biggest['change_amount'])}")


def _x_values(table: pl.DataFrame, share_line: float) -> list[float | None]:
    """relative share on a log axis: a unit that won every head-to-head deal (unbeaten) at the right
    edge, one that won none at the left edge; a unit without a position is left out (None)."""
    finite = [v for v in table["relative_share"].drop_nulls() if v > 0]
    right, left = max([*finite, share_line * 4]) * 2, min([*finite, share_line / 4]) / 2
    return [None if w is None and v is None else v if v else (left if v == 0 else right)
            for v, w in zip(table["relative_share"], table["win_rate"], strict=True)]


def _log_range(values: list[float], line: float) -> list[float]:
    points = [v for v in values if v and v > 0] + [line]
    low, high = math.log10(min(points)), math.log10(max(points))
    pad = max(0.15, (high - low) * 0.12)
    return [low - pad, high + pad]


def matrix_chart(table: pl.DataFrame, growth_line: float, share_line: float, labelled: int = LABELLED) -> go.Figure:
    """Bubbles at (relative position, 1 + growth) on log axes, area = bookings, 95% whiskers, hollow and
    '?' when uncertain, a dotted trail from a period earlier, the quadrant lines and names."""
    placed = table.with_columns(pl.Series("x", _x_values(table, share_line), dtype=pl.Float64)).filter(
        pl.col("x").is_not_null())
    basis = table["basis"][0] if table.height else "bookings"
    ratios = [1 + g for g in placed["growth"].drop_nulls()]
    new_y = max([*ratios, (1 + growth_line) * 2]) * 1.6  # units new this period sit above the rest
    placed = placed.with_columns(pl.when(pl.col("is_new")).then(new_y).otherwise(1 + pl.col("growth")).alias("y"))
    fig = figure(560 if placed.height > 8 else 480)
    biggest = placed["bookings"].max() or 1.0
    named = set(placed.sort(["bookings", "unit"], descending=[True, False]).head(labelled)["unit"])
    # trails first, beneath the bubbles
    for r in placed.iter_rows(named=True):
        before = r["prior_growth"]
        if r["unit"] in named and r["prior_relative_share"] and before is not None and before > -1:
            fig.add_trace(go.Scatter(x=[r["prior_relative_share"], r["x"]], y=[1 + r["prior_growth"], r["y"]],
                                     mode="lines+markers", line=dict(color="#9CA3AF", width=1, dash="dot"),
                                     marker=dict(size=[5, 0], color="#9CA3AF"), hoverinfo="skip", showlegend=False))
    for quadrant, color in QUADRANT_COLORS.items():
        part = placed.filter(pl.col("quadrant") == quadrant)
        if part.is_empty():
            continue
        rows = list(part.iter_rows(named=True))
        sizes = [max(10.0, 64 * math.sqrt(r["bookings"] / biggest)) for r in rows]
        fig.add_trace(go.Scatter(
            x=part["x"].to_list(), y=part["y"].to_list(), mode="markers+text", name=quadrant_text(quadrant),
            text=[(r["unit"] + (" ?" if r["uncertain"] else "")) if r["unit"] in named else "" for r in rows],
            textposition="top center", textfont=dict(size=12, color=INK), cliponaxis=False,
            marker=dict(size=sizes, color=["white" if r["uncertain"] else color for r in rows], opacity=0.85,
                        line=dict(color=color, width=[2.5 if r["uncertain"] else 1 for r in rows])),
            # whiskers on the named units only: the others' fill says whether they are uncertain
            error_x=_whiskers(rows, "x", "share_ci_low", "share_ci_high", named),
            error_y=_whiskers(rows, "y", "growth_ci_low", "growth_ci_high", named, offset=1.0),
            hovertext=[_hover(r, basis, share_line) for r in rows], hoverinfo="text"))
    trail = placed.filter(pl.col("prior_relative_share") > 0, pl.col("prior_growth") > -1)
    x_range = _log_range([*placed["x"], *trail["prior_relative_share"]], share_line)
    y_range = _log_range([*placed["y"], *(1 + g for g in trail["prior_growth"])], 1 + growth_line)
    y_range[1] += 0.12  # room for the top bubble's name under the legend
    fig.add_vline(x=share_line, line=dict(color=INK, width=1, dash="dash"))
    fig.add_hline(y=1 + growth_line, line=dict(color=INK, width=1, dash="dash"))
    for quadrant, (x, y, xa, ya) in {"star": (1, 1, "right", "top"), "question_mark": (0, 1, "left", "top"),
                                     "cash_cow": (1, 0, "right", "bottom"), "dog": (0, 0, "left", "bottom")}.items():
        fig.add_annotation(text=f"<b>{quadrant_text(quadrant)}</b> · {t('strategy.strategy.' + _strategy(quadrant))}",
                           xref="paper", yref="paper", x=x, y=y, xanchor=xa, yanchor=ya, showarrow=False,
                           font=dict(size=12, color=QUADRANT_COLORS[quadrant]))
    ticks = [m for m in (0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2, 4, 10, 20, 50, 100)
             if x_range[0] <= math.log10(m) <= x_range[1]]
    fig.update_xaxes(type="log", range=x_range, tickvals=ticks, ticktext=[f"{m:g}×" for m in ticks],
                     title_text=t(f"strategy.axis.share_{basis}"))
    growth_ticks = [m for m in (0.05, 0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10, 20)
                    if y_range[0] <= math.log10(m) <= y_range[1]]
    fig.update_yaxes(type="log", range=y_range, tickvals=growth_ticks,
                     ticktext=["0%" if m == 1 else _signed(m - 1) for m in growth_ticks],
                     title_text=t("strategy.axis.growth"))
    fig.update_layout(legend=dict(itemsizing="constant"), margin=dict(t=48))
    return fig


def _strategy(quadrant: str) -> str:
    return {"star": "build_hold", "cash_cow": "hold_harvest", "question_mark": "build_divest",
            "dog": "harvest_divest"}[quadrant]


def _whiskers(rows: list[dict], at: str, low: str, high: str, named: set[str], offset: float = 0.0) -> dict:
    """Asymmetric error bars (data units) from an interval; none where a bound is missing or the unit
    is not named."""
    drawn = [r["unit"] in named and not r["is_new"] for r in rows]
    plus = [max(0.0, r[high] + offset - r[at]) if r[high] is not None and d else 0.0 for r, d in zip(rows, drawn)]
    minus = [max(0.0, r[at] - (r[low] + offset)) if r[low] is not None and d else 0.0 for r, d in zip(rows, drawn)]
    return dict(type="data", symmetric=False, array=plus, arrayminus=minus, color="#6B7280", thickness=1, width=3)


def _hover(r: dict, basis: str, share_line: float) -> str:
    return t("strategy.hover", unit=r["unit"], quadrant=quadrant_text(r["quadrant"]), bookings=fmt_money(r["bookings"]),
             growth=t("strategy.new") if r["is_new"] else _signed(r["growth"]),
             growth_low=_signed(r["growth_ci_low"]), growth_high=_signed(r["growth_ci_high"]),
             position=_position_words(r, basis, share_line))


def not_placed(table: pl.DataFrame) -> list[str]:
    return table.filter(pl.col("quadrant").is_null())["unit"].to_list()


def _times(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}×"


def shown_portfolio(table: pl.DataFrame) -> pl.DataFrame:
    """The table as read in the meeting (same rows as `table`): quadrant, suggestion and relative share
    in words; growth and win rate stay numbers (shown as percentages)."""
    rows = list(table.iter_rows(named=True))
    basis = table["basis"][0] if table.height else "bookings"
    share = [t("strategy.unbeaten") if r["relative_share"] is None and r["win_rate"] is not None
             else _times(r["relative_share"]) for r in rows]
    words = {
        "unit": [r["unit"] for r in rows],
        "quadrant": [quadrant_text(r["quadrant"]) + (" ?" if r["uncertain"] and r["quadrant"] else "") for r in rows],
        "strategy": [t(f"strategy.strategy.{r['strategy']}") if r["strategy"] else "—" for r in rows],
        "uncertain": ["; ".join(_doubts(r, basis)) if r["uncertain"] else "" for r in rows],
        "relative_share": share,
        "prior_quadrant": [quadrant_text(r["prior_quadrant"]) for r in rows],
    }
    frame = pl.DataFrame({k: pl.Series(k, v, dtype=pl.String) for k, v in words.items()})
    numbers = table.select("bookings", "prior_bookings", "growth", "competitor", "head_to_head",
                           "head_to_head_won", "win_rate")
    if basis == "bookings":
        numbers = numbers.drop("competitor", "head_to_head", "head_to_head_won", "win_rate")
    return pl.concat([frame.select("unit", "quadrant", "strategy"),
                      numbers.select("bookings", "prior_bookings", "growth"),
                      frame.select("relative_share"),
                      numbers.drop("bookings", "prior_bookings", "growth"),
                      frame.select("prior_quadrant", "uncertain")], how="horizontal")


def intervals(table: pl.DataFrame) -> pl.DataFrame:
    """How sure each placement is, in words: the 95% ranges of growth and position."""
    rows = list(table.iter_rows(named=True))
    basis = table["basis"][0] if table.height else "bookings"
    position = ([f"{fmt_pct(r['win_rate_ci_low'])} – {fmt_pct(r['win_rate_ci_high'])}" if r["win_rate"] is not None
                 else "—" for r in rows] if basis == "competitor"
                else [f"{_times(r['share_ci_low'])} – {_times(r['share_ci_high'])}" for r in rows])
    return pl.DataFrame({
        t("col.unit"): [r["unit"] for r in rows],
        t("col.growth"): [t("strategy.new") if r["is_new"] else
                          f"{_signed(r['growth_ci_low'])} – {_signed(r['growth_ci_high'])}" for r in rows],
        t("col.win_rate" if basis == "competitor" else "col.relative_share"): position,
    })


def paths_waterfall(paths: pl.DataFrame) -> go.Figure:
    """Bookings before → the four paths' changes → bookings now."""
    rows = {r["path"]: r for r in paths.iter_rows(named=True)}
    steps = [p for p in rows if p != "total"]
    x = [t("strategy.prior_total"), *(t(f"strategy.path.{p}") for p in steps), t("strategy.current_total")]
    y = [rows["total"]["prior_amount"], *(rows[p]["change_amount"] for p in steps), rows["total"]["current_amount"]]
    text = [fmt_money(y[0]), *((("+" if v > 0 else "") + fmt_money(v)) for v in y[1:-1]), fmt_money(y[-1])]
    fig = figure(380)
    fig.add_trace(go.Waterfall(
        x=x, y=y, measure=["absolute", *["relative"] * len(steps), "total"], text=text, textposition="outside",
        increasing=dict(marker_color=GOOD), decreasing=dict(marker_color=BAD), totals=dict(marker_color=PRIMARY),
        connector=dict(line=dict(color="#C9CED6", width=1)), cliponaxis=False, hoverinfo="skip"))
    fig.update_yaxes(title_text=t("col.bookings"), rangemode="tozero")
    return fig


def shown_paths(paths: pl.DataFrame, market: str) -> pl.DataFrame:
    """Paths in words with what each means."""
    return paths.with_columns(pl.Series("path", [
        t(f"strategy.path.{p}") if p == "total"
        else f"{t(f'strategy.path.{p}')} — {t(f'strategy.path_help.{p}', market=market)}" for p in paths["path"]],
        dtype=pl.String))


def named_units(frame: pl.DataFrame, label) -> pl.DataFrame:
    """frame with its units by name (`label`: how the UI names reps, campaigns…)."""
    return frame.with_columns(pl.Series("unit", [label(u) for u in frame["unit"]], dtype=pl.String))


def deals_in_words(deals: pl.DataFrame, label) -> pl.DataFrame:
    """The deals behind a unit or a path: unit by name, period and path in words."""
    return named_units(deals, label).with_columns(
        pl.Series("window", [t(f"strategy.window.{w}") for w in deals["window"]], dtype=pl.String),
        pl.Series("path", [t(f"strategy.path.{p}") for p in deals["path"]], dtype=pl.String))
