"""Figures and tiles of the hand-off pages (lead quality, SLA, recycling and the sales-ready threshold):
plain functions, engine frame in, go.Figure (or st.metric arguments, `*_tiles`, or a sentence, `*_text`) out.

They only draw what the engine computed (analytics/engine/handoff.py); the reshapes here are for drawing
(order rows, keep the largest, pivot a long frame into a grid)."""
from __future__ import annotations

import plotly.graph_objects as go
import polars as pl
from plotly.subplots import make_subplots

from analytics.i18n.messages import (
    column_label,
    dimension_label,
    fmt_change,
    fmt_days,
    fmt_int,
    fmt_pct,
    stage_label,
    t,
)
from analytics.views.segments import rate_bars
from analytics.views.style import (
    AMBER,
    BAD,
    GOOD,
    HEAT,
    INK,
    MUTED,
    PRIMARY,
    TEMPLATE,
    category_title,
    figure,
    interval,
)

# --- lead quality ---------------------------------------------------------------------------------

def acceptance_chart(frame: pl.DataFrame, by: str, low_volume_n: int, overall: float | None, label=str) -> go.Figure:
    """Acceptance rate (accepted ÷ decided) per segment with its 95% interval."""
    return rate_bars(frame, by, low_volume_n, overall, label, "acceptance_rate", "accepted", "decided",
                     t("col.acceptance_rate"))


def _over_volume(x: list, volume: list, name: str, height: int) -> go.Figure:
    """Rates on top (row 1, the axis in %) and the volume they rest on as bars in a small panel
    underneath (row 2), sharing the x axis: no bar ever hides a rate line."""
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, row_heights=[0.74, 0.26], vertical_spacing=0.05)
    fig.update_layout(template=TEMPLATE, height=height, hovermode="x unified")
    fig.add_trace(go.Bar(x=x, y=volume, name=name, marker_color="#B8C4D2", hovertemplate="%{y:,}"), row=2, col=1)
    fig.update_yaxes(showgrid=False, rangemode="tozero", nticks=3, tickformat=",d", title_text=name,
                     title_font_size=11, row=2, col=1)
    fig.update_yaxes(tickformat=".0%", range=[0, 1.08], tickvals=[0, 0.2, 0.4, 0.6, 0.8, 1], row=1, col=1)
    return fig


def quality_trend_chart(frame: pl.DataFrame, low_volume_n: int) -> go.Figure:
    """Acceptance rate by month of hand-off with its 95% band, over the hand-off volume (bars)."""
    frame = frame.sort("month_start")
    months = frame["month_start"].to_list()
    fig = _over_volume(months, frame["handed_off"].to_list(), t("col.handed_off"), 360)
    fig.add_trace(go.Scatter(x=months + months[::-1], y=frame["ci_high"].to_list() + frame["ci_low"].to_list()[::-1],
                             fill="toself", fillcolor="rgba(0,114,178,0.12)", line_width=0, hoverinfo="skip",
                             name=t("chart.interval")), row=1, col=1)
    low = frame["is_low_volume"].fill_null(True).to_list()
    fig.add_trace(go.Scatter(
        x=months, y=frame["acceptance_rate"].to_list(), name=t("col.acceptance_rate"), mode="lines+markers",
        line=dict(color=PRIMARY, width=2),
        marker=dict(size=8, color=["white" if lv else PRIMARY for lv in low], line=dict(color=PRIMARY, width=2)),
        customdata=list(zip(frame["accepted"].to_list(), frame["decided"].to_list(), strict=True)),
        hovertemplate="%{y:.0%} (%{customdata[0]:,} of %{customdata[1]:,})"), row=1, col=1)
    fig.update_yaxes(title_text=t("col.acceptance_rate"), row=1, col=1)
    fig.update_xaxes(tickformat="%b %Y", dtick="M1", row=1, col=1)
    fig.update_xaxes(tickformat="%b %Y", dtick="M1", title_text=t("quality.month_axis"), row=2, col=1)
    return fig


# --- SLA ------------------------------------------------------------------------------------------

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
        error_x=interval(frame.rename({"compliance": "rate"})), showlegend=False,
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
    fig.update_yaxes(showgrid=False, row=1, col=1)
    category_title(fig, dimension_label(by))
    fig.update_annotations(font_size=12)
    return fig


def sla_overview_chart(frames: dict[str, pl.DataFrame], by: str, label=str) -> go.Figure:
    """Compliance of each SLA measure (one marker colour each) per owner or team, side by side."""
    colors = {"follow_up": PRIMARY, "decision": "#CC79A7", "recycle": GOOD}
    rows = sorted({v for f in frames.values() for v in f[by].to_list()})
    fig = figure(120 + 30 * len(rows))
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
                     showgrid=False)
    category_title(fig, dimension_label(by))
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
    the median days over the stage's threshold; a click on a cell selects its marker, whose customdata
    ends with the cell's owner_id and stage (clicked_cell)."""
    owners = (frame.group_by("owner_id").agg(pl.col("stalled").sum()).sort(["stalled", "owner_id"],
                                                                              descending=[True, False])
              .head(max_rows)["owner_id"].to_list())
    present = [s for s in stages if s in set(frame["stage"])]
    grid = {(r["owner_id"], r["stage"]): r for r in frame.iter_rows(named=True)}
    cell = [[grid.get((o, s)) for s in present] for o in owners]
    fig = figure(150 + 40 * len(owners))
    fig.add_trace(go.Heatmap(
        z=[[c["stalled"] if c else 0 for c in row] for row in cell], x=[stage_label(s) for s in present],
        y=[label(o) for o in owners], colorscale=HEAT, showscale=False, xgap=2, ygap=2,
        text=[[t("sla.stalled_cell", n=fmt_int(c["stalled"]), days=fmt_days(c["median_days_over"])) if c else ""
               for c in row] for row in cell], texttemplate="%{text}", textfont=dict(size=11), hoverinfo="skip"))
    # a clear marker on each filled cell: what the pointer reads and clicks (a heatmap cell cannot be
    # selected); its customdata: the most days over, then the cell's owner and stage
    filled = [(o, s, c) for o, row in zip(owners, cell, strict=True) for s, c in zip(present, row, strict=True) if c]
    fig.add_trace(go.Scatter(
        x=[stage_label(s) for _o, s, _c in filled], y=[label(o) for o, _s, _c in filled], mode="markers",
        marker=dict(size=34, symbol="square", opacity=0), showlegend=False,
        selected=dict(marker=dict(opacity=0)), unselected=dict(marker=dict(opacity=0)),
        text=[t("sla.stalled_cell", n=fmt_int(c["stalled"]), days=fmt_days(c["median_days_over"]))
              for _o, _s, c in filled],
        customdata=[[fmt_days(c["max_days_over"]), o, s] for o, s, c in filled],
        hovertemplate="%{y} · %{x}<br>" + t("sla.stalled_hover") + "<extra></extra>"))
    fig.update_yaxes(autorange="reversed", showgrid=False, title_text=column_label("owner_name"))
    fig.update_xaxes(side="top", showgrid=False)
    return fig


def clicked_cell(frame: pl.DataFrame, point: dict | None) -> dict | None:
    """The row of stalled_by_owner behind a clicked cell of stalled_heatmap (None for none or an empty cell)."""
    data = (point or {}).get("customdata") or []
    if len(data) < 3:
        return None
    rows = frame.filter((pl.col("owner_id") == data[1]) & (pl.col("stage") == data[2]))
    return rows.row(0, named=True) if rows.height else None


# --- recycling and the sales-ready threshold ------------------------------------------------------

def recycle_chart(frame: pl.DataFrame, by: str, low_volume_n: int, label=str) -> go.Figure:
    """Recycle rate (rejected leads returned to nurture) per segment."""
    return rate_bars(frame.with_columns(pl.col("recycle_rate_ci_low").alias("ci_low"),
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
    fig = figure(140 + 40 * frame.height)
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
    fig.update_yaxes(autorange="reversed", showgrid=False)
    category_title(fig, dimension_label(by))
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
                                 hovertemplate="%{y:.0%}"), row=1, col=1)
    # the lines cross both panels; each is named once, above the rates
    fig.add_vline(x=current, line_dash="dash", line_color=INK, line_width=1)
    fig.add_annotation(x=current, y=1, yref="y domain", text=t("threshold.current", value=fmt_int(current)),
                       showarrow=False, xanchor="right", yanchor="bottom", font=dict(size=11, color=INK))
    if suggested is not None:
        fig.add_vline(x=suggested, line_color=GOOD, line_width=2)
        fig.add_annotation(x=suggested, y=1, yref="y domain", text=t("threshold.suggested", value=fmt_int(suggested)),
                           showarrow=False, xanchor="left", yanchor="bottom", font=dict(size=11, color=GOOD))
    fig.update_yaxes(title_text=t("threshold.rate_axis"), row=1, col=1)
    fig.update_xaxes(title_text=t("threshold.score_axis"), row=2, col=1)
    fig.update_layout(margin_t=84, legend=dict(y=1.16))  # the legend above the lines' names
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
