"""Figures of the hand-off and revenue pages (lead quality, SLA, recycling, win/loss, revenue,
targets): plain functions, engine frame in, go.Figure out, in the look of analytics/views/charts.py.

Like charts.py they only draw what the engine computed (analytics/engine/handoff.py, winloss.py,
revenue.py); the reshapes here are for drawing (order rows, keep the largest, pivot a long frame
into a grid). A few helpers turn an engine row into the sentence or st.metric arguments that read
it out (`*_text`, `*_tiles`), so that pages stay widgets -> engine -> draw.
"""
from __future__ import annotations

import math

import plotly.graph_objects as go
import polars as pl
from plotly.subplots import make_subplots

from analytics.i18n.messages import (
    column_label,
    dimension_label,
    fmt_change,
    fmt_date,
    fmt_days,
    fmt_int,
    fmt_money,
    fmt_pct,
    stage_label,
    t,
)
from analytics.views.charts import INK, MUTED, PRIMARY, TEMPLATE, _figure, _interval, breakdown_chart

BAD = "#D55E00"  # vermillion: breaches, rejections, losses
GOOD = "#009E73"  # bluish green: wins, the suggestion
AMBER = "#E69F00"  # immature, not yet judged
SIGNIFICANT_Q = 0.05  # a factor value is called significant below this Benjamini–Hochberg q-value
MODEL_COLORS = dict(zip(("first_touch", "last_touch", "linear", "u_shaped", "w_shaped", "time_decay"),
                        ["#0072B2", "#D55E00", "#8C8C8C", "#CC79A7", "#009E73", "#E69F00"], strict=True))
HEAT = [[0.0, "#FFFFFF"], [0.15, "#FBE3D3"], [1.0, BAD]]


def needs_text(tables) -> str:
    """The sentence naming the export files a section needs and what each switches on."""
    return t("handoff.needs", files=", ".join(f"**{n}.csv**" for n in tables),
             enables=" ".join(t(f"enables.{n}") for n in tables))


def missing(present: set[str], *tables: str) -> str | None:
    """needs_text for the tables this database lacks; None when it has them all."""
    lacking = [n for n in tables if n not in present]
    return needs_text(lacking) if lacking else None


def _rate_bars(frame: pl.DataFrame, by: str, low_volume_n: int, overall: float | None, label,
               rate: str, hits: str, total: str, axis: str) -> go.Figure:
    """charts.breakdown_chart (rate with its interval per segment, low volume hatched) on any rate."""
    shaped = frame.rename({rate: "rate", hits: "converted", total: "cohort"}).with_columns(
        pl.col("ci_low").fill_null(pl.col("rate")), pl.col("ci_high").fill_null(pl.col("rate")))
    fig = breakdown_chart(shaped.filter(pl.col("cohort") > 0), by, low_volume_n, overall, label=label)
    fig.update_xaxes(title_text=axis)
    return fig


# --- lead quality ------------------------------------------------------------------------------

def acceptance_chart(frame: pl.DataFrame, by: str, low_volume_n: int, overall: float | None, label=str) -> go.Figure:
    """Acceptance rate (accepted ÷ decided) per segment with its 95% interval."""
    return _rate_bars(frame, by, low_volume_n, overall, label, "acceptance_rate", "accepted", "decided",
                      t("col.acceptance_rate"))


def reason_heatmap(frame: pl.DataFrame, by: str, count: str, label=str, max_rows: int = 15) -> go.Figure:
    """Share of each reason within a segment's rejections (or losses): rows = segments with the most,
    columns = reasons, most frequent first; each cell shows its share and count."""
    rows = (frame.group_by(by).agg(pl.col(count).sum()).sort([count, by], descending=[True, False])
            .head(max_rows)[by].to_list())
    reasons = (frame.group_by("reason").agg(pl.col(count).sum()).sort([count, "reason"], descending=[True, False])
               ["reason"].to_list())
    grid = {(r[by], r["reason"]): r for r in frame.iter_rows(named=True)}
    z = [[grid[(row, reason)]["share"] if (row, reason) in grid else 0.0 for reason in reasons] for row in rows]
    text = [[f"{fmt_pct(grid[(row, reason)]['share'])}<br>{grid[(row, reason)][count]:,}" if (row, reason) in grid
             else "" for reason in reasons] for row in rows]
    names = [label(r) for r in rows]
    fig = _figure(150 + 44 * len(rows))
    fig.add_trace(go.Heatmap(
        z=z, x=reasons, y=names, text=text, texttemplate="%{text}", textfont=dict(size=11),
        colorscale=HEAT, zmin=0, zmax=1, xgap=2, ygap=2, showscale=False,
        hovertemplate="%{y} · %{x}: %{z:.0%}<extra></extra>"))
    fig.update_yaxes(autorange="reversed", showgrid=False, title_text=dimension_label(by))
    fig.update_xaxes(side="top", showgrid=False, tickangle=0 if len(reasons) <= 6 else -30)
    return fig


def worst_cells_text(frame: pl.DataFrame, by: str, count: str, key: str, cell: str, label=str,
                     top: int = 3) -> str:
    """The sentence (message `key`) that calls out the segment × reason cells (message `cell` each)
    with the most rejections (or losses)."""
    worst = frame.sort([count, "share"], descending=True).head(top)
    cells = [t(cell, segment=label(r[by]), reason=r["reason"], n=fmt_int(r[count]), share=fmt_pct(r["share"]))
             for r in worst.iter_rows(named=True)]
    return t(key, cells="; ".join(cells), total=fmt_int(frame[count].sum()))


def _over_volume(x: list, volume: list, name: str, height: int) -> go.Figure:
    """A figure with rates on the left axis over a volume drawn as light bars on the right axis."""
    fig = make_subplots(specs=[[{"secondary_y": True}]])
    fig.update_layout(template=TEMPLATE, height=height, hovermode="x unified")
    fig.add_trace(go.Bar(x=x, y=volume, name=name, marker_color="#DDE3EA", hovertemplate="%{y:,}"), secondary_y=True)
    fig.update_yaxes(showgrid=False, rangemode="tozero", tickmode="auto", nticks=5, tickformat=",d", title_text=name,
                     secondary_y=True)
    fig.update_yaxes(tickformat=".0%", range=[0, 1.08], tickvals=[0, 0.2, 0.4, 0.6, 0.8, 1], secondary_y=False)
    return fig


def quality_trend_chart(frame: pl.DataFrame, low_volume_n: int) -> go.Figure:
    """Acceptance rate by month of hand-off with its 95% band, over the hand-off volume (bars)."""
    frame = frame.sort("month_start")
    months = frame["month_start"].to_list()
    fig = _over_volume(months, frame["handed_off"].to_list(), t("col.handed_off"), 360)
    fig.add_trace(go.Scatter(x=months + months[::-1], y=frame["ci_high"].to_list() + frame["ci_low"].to_list()[::-1],
                             fill="toself", fillcolor="rgba(0,114,178,0.12)", line_width=0, hoverinfo="skip",
                             name=t("chart.interval")), secondary_y=False)
    low = frame["is_low_volume"].fill_null(True).to_list()
    fig.add_trace(go.Scatter(
        x=months, y=frame["acceptance_rate"].to_list(), name=t("col.acceptance_rate"), mode="lines+markers",
        line=dict(color=PRIMARY, width=2),
        marker=dict(size=8, color=["white" if lv else PRIMARY for lv in low], line=dict(color=PRIMARY, width=2)),
        customdata=list(zip(frame["accepted"].to_list(), frame["decided"].to_list(), strict=True)),
        hovertemplate="%{y:.0%} (%{customdata[0]:,} of %{customdata[1]:,})"), secondary_y=False)
    fig.update_yaxes(title_text=t("col.acceptance_rate"), secondary_y=False)
    fig.update_xaxes(tickformat="%b %Y", dtick="M1", title_text=t("quality.month_axis"))
    return fig


# --- SLA ---------------------------------------------------------------------------------------

def sla_chart(frame: pl.DataFrame, by: str, measure: str, limit: float, low_volume_n: int, label=str,
              max_rows: int = 20) -> go.Figure:
    """Per owner or team: compliance with its interval (left) and the median and 90th-percentile
    response against the SLA (right); response in hours, or days for recycling."""
    unit = "days" if measure == "recycle" else "hours"
    frame = frame.filter(pl.col("judged") > 0).sort("judged", descending=True).head(max_rows).sort(
        "compliance", nulls_last=True)
    names = [label(v) for v in frame[by]]
    fig = make_subplots(rows=1, cols=2, shared_yaxes=True, column_widths=[0.5, 0.5], horizontal_spacing=0.05)
    fig.update_layout(template=TEMPLATE, height=150 + 34 * frame.height, legend=dict(x=0.53))
    low = frame["is_low_volume"].to_list()
    fig.add_trace(go.Scatter(
        x=frame["compliance"].to_list(), y=names, mode="markers+text", name=t("col.compliance"),
        marker=dict(size=11, color=[MUTED if lv else PRIMARY for lv in low], line=dict(width=1, color=INK)),
        error_x=_interval(frame.rename({"compliance": "rate"})), showlegend=False,
        text=[f"{fmt_pct(c)} · {m:,}/{n:,}" for c, m, n in zip(frame["compliance"], frame["met"], frame["judged"],
                                                                  strict=True)],
        textposition="top center", textfont=dict(size=10, color="#374151"), cliponaxis=False,
        hovertemplate="%{y}: %{x:.0%}<extra></extra>"), row=1, col=1)
    for column, color, name in ((f"median_response_{unit}", PRIMARY, t("sla.median")),
                                (f"p90_response_{unit}", BAD, t("sla.p90"))):
        fig.add_trace(go.Scatter(
            x=frame[column].to_list(), y=names, mode="markers", name=name,
            marker=dict(size=10, color=color, symbol="circle" if color == PRIMARY else "diamond"),
            hovertemplate="%{y}: %{x:.1f}" + f" {t(f'sla.unit.{unit}')}<extra>{name}</extra>"), row=1, col=2)
    fig.add_vline(x=limit, line_dash="dash", line_color=INK, line_width=1, row=1, col=2,
                  annotation_text=t("sla.limit", value=f"{limit:g}", unit=t(f"sla.unit.{unit}")),
                  annotation_position="bottom right", annotation_font_size=11)
    fig.update_xaxes(tickformat=".0%", range=[0, 1.12], title_text=t("sla.compliance_axis"), row=1, col=1)
    fig.update_xaxes(rangemode="tozero", title_text=t(f"sla.response_axis.{unit}"), row=1, col=2)
    fig.update_yaxes(showgrid=False, title_text=dimension_label(by), row=1, col=1)
    fig.update_annotations(font_size=12)
    return fig


def sla_overview_chart(frames: dict[str, pl.DataFrame], by: str, label=str) -> go.Figure:
    """Compliance of each SLA measure (one marker colour each) per owner or team, side by side."""
    colors = {"follow_up": PRIMARY, "decision": "#CC79A7", "recycle": GOOD}
    rows = sorted({v for f in frames.values() for v in f[by].to_list()})
    fig = _figure(120 + 30 * len(rows))
    for measure, frame in frames.items():
        judged = frame.filter(pl.col("judged") > 0)
        fig.add_trace(go.Scatter(
            x=judged["compliance"].to_list(), y=[label(v) for v in judged[by]], mode="markers",
            name=t(f"sla.tab.{measure}"),
            marker=dict(size=12, color=colors[measure], symbol={"follow_up": "circle", "decision": "diamond",
                                                                  "recycle": "square"}[measure],
                        line=dict(width=1, color="white")),
            customdata=list(zip(judged["met"].to_list(), judged["judged"].to_list(), strict=True)),
            hovertemplate="%{y}: %{x:.0%} (%{customdata[0]:,} of %{customdata[1]:,})<extra>"
                          + t(f"sla.tab.{measure}") + "</extra>"))
    fig.update_yaxes(categoryorder="array", categoryarray=[label(v) for v in rows], autorange="reversed",
                     showgrid=False, title_text=dimension_label(by))
    fig.update_xaxes(tickformat=".0%", range=[0, 1.05], title_text=t("sla.compliance_axis"))
    return fig


def sla_tiles(frames: dict[str, pl.DataFrame | None], limits: dict[str, float]) -> list[dict]:
    """st.metric arguments for the overall compliance of each SLA measure (None = not available)."""
    tiles = []
    for measure, frame in frames.items():
        unit = "days" if measure == "recycle" else "hours"
        label = t(f"sla.measure.{measure}", value=fmt_days(limits[measure]).removesuffix(".0"))
        if frame is None or frame.is_empty() or not frame["judged"].sum():
            tiles.append({"label": label, "value": "—", "help": t("sla.tile_empty")})
            continue
        row = frame.row(0, named=True)
        tiles.append({"label": label, "value": fmt_pct(row["compliance"]),
                      "help": t("sla.tile_help", met=fmt_int(row["met"]), judged=fmt_int(row["judged"]),
                                not_due=fmt_int(row["not_due"]), median=fmt_days(row[f"median_response_{unit}"]),
                                p90=fmt_days(row[f"p90_response_{unit}"]), unit=t(f"sla.unit.{unit}"),
                                low=fmt_pct(row["ci_low"]), high=fmt_pct(row["ci_high"]))})
    return tiles


def acceptance_tile(frame: pl.DataFrame) -> dict:
    """st.metric arguments for the period's overall acceptance rate."""
    row = frame.row(0, named=True) if frame.height else {}
    return {"label": t("sla.acceptance"), "value": fmt_pct(row.get("acceptance_rate")),
            "help": t("sla.acceptance_help", accepted=fmt_int(row.get("accepted")), decided=fmt_int(row.get("decided")),
                      pending=fmt_int(row.get("pending")), low=fmt_pct(row.get("ci_low")),
                      high=fmt_pct(row.get("ci_high")))}


def breaches_text(frame: pl.DataFrame) -> str:
    counts = dict(frame.group_by("sla").len().iter_rows())
    return t("sla.breach_count", total=fmt_int(frame.height),
             parts=", ".join(f"{fmt_int(counts[m])} {t(f'sla.short.{m}')}" for m in ("follow_up", "decision", "recycle")
                             if m in counts))


def stalled_heatmap(frame: pl.DataFrame, stages: tuple[str, ...], label=str, max_rows: int = 20) -> go.Figure:
    """Stalled leads per owner (rows, most first) and stage (columns, funnel order): the count and
    the median days over the stage's threshold."""
    owners = (frame.group_by("owner_id").agg(pl.col("stalled").sum()).sort(["stalled", "owner_id"],
                                                                              descending=[True, False])
              .head(max_rows)["owner_id"].to_list())
    present = [s for s in stages if s in set(frame["stage"])]
    grid = {(r["owner_id"], r["stage"]): r for r in frame.iter_rows(named=True)}
    cell = [[grid.get((o, s)) for s in present] for o in owners]
    fig = _figure(150 + 40 * len(owners))
    fig.add_trace(go.Heatmap(
        z=[[c["stalled"] if c else 0 for c in row] for row in cell], x=[stage_label(s) for s in present],
        y=[label(o) for o in owners], colorscale=HEAT, showscale=False, xgap=2, ygap=2,
        text=[[t("sla.stalled_cell", n=fmt_int(c["stalled"]), days=fmt_days(c["median_days_over"])) if c else ""
               for c in row] for row in cell], texttemplate="%{text}", textfont=dict(size=11),
        customdata=[[fmt_days(c["max_days_over"]) if c else "" for c in row] for row in cell],
        hovertemplate="%{y} · %{x}: %{z:,}<br>" + t("sla.stalled_hover") + "<extra></extra>"))
    fig.update_yaxes(autorange="reversed", showgrid=False, title_text=column_label("owner_name"))
    fig.update_xaxes(side="top", showgrid=False)
    return fig


# --- recycling and the sales-ready threshold ---------------------------------------------------

def recycle_chart(frame: pl.DataFrame, by: str, low_volume_n: int, label=str) -> go.Figure:
    """Recycle rate (rejected leads returned to nurture) per segment."""
    return _rate_bars(frame.with_columns(pl.col("recycle_rate_ci_low").alias("ci_low"),
                                         pl.col("recycle_rate_ci_high").alias("ci_high"),
                                         (pl.col("ever_rejected") < low_volume_n).alias("is_low_volume"))
                      .filter(pl.col("recycle_rate").is_not_null()),
                      by, low_volume_n, None, label, "recycle_rate", "recycled", "ever_rejected",
                      t("col.recycle_rate"))


def returned_chart(frame: pl.DataFrame, by: str, low_volume_n: int, label=str) -> go.Figure:
    """Share reaching the qualified stage: leads that came back after recycling vs fresh hand-offs;
    hollow = fewer than low_volume_n leads behind the rate, with the counts beside each dot."""
    frame = frame.filter((pl.col("returned") > 0) | (pl.col("fresh") > 0)).sort("handed_off", descending=True)
    names = [label(v) for v in frame[by]]
    fig = _figure(140 + 40 * frame.height)
    for rate, hits, total, color, name in (
            ("fresh_qualified_rate", "fresh_qualified", "fresh", MUTED, t("recycling.fresh")),
            ("returned_qualified_rate", "returned_qualified", "returned", PRIMARY, t("recycling.returned"))):
        fig.add_trace(go.Scatter(
            x=frame[rate].to_list(), y=names, mode="markers+text", name=name,
            marker=dict(size=12, color=[color if n >= low_volume_n else "white" for n in frame[total]],
                        line=dict(width=2, color=color if color == PRIMARY else "#6B7280")),
            text=[f"{k:,}/{n:,}" if n else "" for k, n in zip(frame[hits], frame[total], strict=True)],
            textposition="top center", textfont=dict(size=10, color="#374151"), cliponaxis=False,
            customdata=list(zip(frame[hits].to_list(), frame[total].to_list(), strict=True)),
            hovertemplate="%{y}: %{x:.0%} (%{customdata[0]:,} of %{customdata[1]:,})<extra>" + name + "</extra>"))
    fig.update_yaxes(autorange="reversed", showgrid=False, title_text=dimension_label(by))
    fig.update_xaxes(tickformat=".0%", range=[-0.02, 1.05], title_text=t("recycling.qualified_axis"))
    return fig


def _vs_fresh(returned: float | None, fresh: float | None) -> str | None:
    change = fmt_change(returned, fresh, "rate")
    return None if change is None else t("recycling.tile.vs_fresh", change=change, fresh=fmt_pct(fresh))


def recycling_tiles(row: dict) -> list[dict]:
    """st.metric arguments for the loop as a whole (one row of handoff.recycling with by=None)."""
    return [
        {"label": t("recycling.tile.rejected"), "value": fmt_int(row["ever_rejected"]),
         "help": t("recycling.tile.rejected_help", handed_off=fmt_int(row["handed_off"]))},
        {"label": t("recycling.tile.recycled"), "value": fmt_pct(row["recycle_rate"]),
         "help": t("recycling.tile.recycled_help", n=fmt_int(row["recycled"]), of=fmt_int(row["ever_rejected"]))},
        {"label": t("recycling.tile.days"), "value": t("targets.days", days=fmt_days(row["median_days_to_recycle"])),
         "help": t("recycling.tile.days_help")},
        {"label": t("recycling.tile.returned"), "value": fmt_int(row["returned"]),
         "help": t("recycling.tile.returned_help", rate=fmt_pct(row["return_rate"]), of=fmt_int(row["recycled"]))},
        {"label": t("recycling.tile.quality"), "value": fmt_pct(row["returned_qualified_rate"]),
         "delta": _vs_fresh(row["returned_qualified_rate"], row["fresh_qualified_rate"]),
         "help": t("recycling.tile.quality_help", returned=fmt_int(row["returned_qualified"]),
                   of_returned=fmt_int(row["returned"]), fresh=fmt_int(row["fresh_qualified"]),
                   of_fresh=fmt_int(row["fresh"]))},
    ]


def threshold_chart(frame: pl.DataFrame, current: float, suggested: float | None) -> go.Figure:
    """Precision, recall and F1 of every candidate score threshold over the hand-off volume it keeps,
    with the threshold in force and the suggested one marked."""
    frame = frame.sort("threshold")
    x = frame["threshold"].to_list()
    fig = _over_volume(x, frame["handed_off"].to_list(), t("threshold.volume"), 400)
    for column, color, dash in (("precision", PRIMARY, "solid"), ("recall", AMBER, "solid"), ("f1", INK, "dot")):
        fig.add_trace(go.Scatter(x=x, y=frame[column].to_list(), name=t(f"threshold.{column}"), mode="lines+markers",
                                 line=dict(color=color, width=2, dash=dash), marker_size=5,
                                 hovertemplate="%{y:.0%}"), secondary_y=False)
    fig.add_vline(x=current, line_dash="dash", line_color=INK, line_width=1,
                  annotation_text=t("threshold.current", value=fmt_int(current)), annotation_position="top left",
                  annotation_font_size=11)
    if suggested is not None:
        fig.add_vline(x=suggested, line_color=GOOD, line_width=2,
                      annotation_text=t("threshold.suggested", value=fmt_int(suggested)),
                      annotation_position="top right", annotation_font_size=11, annotation_font_color=GOOD)
    fig.update_yaxes(title_text=t("threshold.rate_axis"), secondary_y=False)
    fig.update_xaxes(title_text=t("threshold.score_axis"))
    fig.update_layout(margin_t=60)
    return fig


def impact_tiles(impact: dict, curve_row: dict) -> list[dict]:
    """st.metric arguments for 'had this threshold been in force over the last quarter', and the
    threshold's precision on the curve (the period chosen)."""
    return [
        {"label": t("threshold.precision_tile", value=fmt_int(curve_row["threshold"])),
         "value": fmt_pct(curve_row["precision"]),
         "help": t("threshold.precision_help", value=fmt_int(curve_row["threshold"]),
                   qualified=fmt_int(curve_row["qualified"]), handed_off=fmt_int(curve_row["handed_off"]))},
        {"label": t("threshold.not_received"), "value": fmt_int(impact["not_received"]),
         "help": t("threshold.not_received_help", of=fmt_int(impact["handed_off"]),
                   share=fmt_pct(impact["not_received"] / impact["handed_off"] if impact["handed_off"] else None))},
        {"label": t("threshold.missed"), "value": fmt_int(impact["qualified_missed"]),
         "help": t("threshold.missed_help", of=fmt_int(impact["qualified"]),
                   share=fmt_pct(impact["qualified_missed"] / impact["qualified"] if impact["qualified"] else None))},
    ]


# --- win / loss --------------------------------------------------------------------------------

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
    fig = _figure(120 + 28 * shown.height)
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
                error_x=_interval(part.rename({"win_rate": "rate"})),
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
                      annotation_position="bottom right", annotation_font_size=11)
    fig.update_yaxes(categoryorder="array", categoryarray=shown["label"].to_list(), autorange="reversed",
                     showgrid=False)
    fig.update_xaxes(tickformat=".0%", range=[0, 1.35], tickvals=[0, 0.2, 0.4, 0.6, 0.8, 1.0],
                     title_text=t("col.win_rate"))
    fig.update_layout(barmode="overlay")
    return fig


def significant_text(frame: pl.DataFrame, overall: float | None, top: int = 3) -> str:
    """The sentence naming the factor values that separate wins from losses (q < SIGNIFICANT_Q)."""
    hits = frame.filter(pl.col("q_value") < SIGNIFICANT_Q).sort("q_value")
    if hits.is_empty():
        return t("winloss.none_significant", n=fmt_int(frame.height), q=SIGNIFICANT_Q)
    cells = [t("winloss.significant_cell", factor=dimension_label(r["factor"]), value=r["value"],
               rate=fmt_pct(r["win_rate"]), won=fmt_int(r["won"]), closed=fmt_int(r["closed"]))
             for r in hits.head(top).iter_rows(named=True)]
    return t("winloss.significant_text", count=fmt_int(hits.height), n=fmt_int(frame.height), q=SIGNIFICANT_Q,
             cells="; ".join(cells), overall=fmt_pct(overall))


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
    """Win rate with its interval for the ideal-customer-profile segments."""
    return _rate_bars(frame, "segment", low_volume_n, overall, str, "win_rate", "won", "closed", t("col.win_rate"))


# --- revenue contribution ----------------------------------------------------------------------

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
    fig = _figure(140 + 32 * shown.height)
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
    fig = _figure(120 + 28 * shown.height)
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


# --- targets and velocity ----------------------------------------------------------------------

def target_chart(frame: pl.DataFrame, metric: str, team: str | None = None, max_periods: int = 12) -> go.Figure:
    """Actual per period (bars: green at or above target, vermillion below, grey while the period is
    running) against the target (black tick), with the attainment above each bar."""
    frame = (_scope(frame, team).filter((pl.col("metric") == metric) & (pl.col("elapsed_share") > 0))
             .sort("period_start").tail(max_periods))
    running = (frame["elapsed_share"] < 1).to_list()
    colors = ["#9CA3AF" if run else (GOOD if (a or 0) >= 1 else BAD)
              for run, a in zip(running, frame["attainment"], strict=True)]
    x = [d.strftime("%b %y") for d in frame["period_start"]]
    money = metric.endswith("_amount")
    fmt = fmt_money if money else fmt_int
    fig = _figure(340)
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
    known = ("leads", "mqls", "sals", "sqls", "opportunities", "pipeline_amount", "won_amount")
    present = frame["metric"].unique().to_list()
    return [m for m in known if m in present] + sorted(m for m in present if m not in known)


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


LEVERS = ("open_opportunities", "win_rate", "avg_won_amount", "avg_cycle_days")


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
    fig = _figure(320)
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
    fig = _figure(360)
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
    return t("targets.lever_text", month=row["month_start"].strftime("%b %Y"),
             previous=previous["month_start"].strftime("%b %Y"), before=fmt_money(previous["velocity_per_day"]),
             after=fmt_money(row["velocity_per_day"]), change=f"×{math.exp(row['log_change']):.2f}",
             lever=t(f"col.{lever}"), factor=f"×{math.exp(row[f'{lever}_effect']):.2f}",
             from_value=_lever_value(lever, previous[lever]), to_value=_lever_value(lever, row[lever]))

