"""Figures and shown tables of the lead journey page: a lead's (or an account's) events on one time
axis, and the event table in words (analytics/engine/journey.py)."""
from __future__ import annotations

from datetime import datetime, timedelta

import plotly.graph_objects as go
import polars as pl

from analytics.i18n.messages import has, stage_label, t
from analytics.views.style import INK, MUTED, PRIMARY, figure

JOURNEY_KINDS = ("stage", "score", "touch", "activity", "feedback", "opportunity")


def kind_label(kind: str) -> str:
    key = f"journey.kind.{kind}"
    return t(key) if has(key) else kind


def journey_chart(events: pl.DataFrame, handoff_at: datetime | None = None, as_of: datetime | None = None) -> go.Figure:
    """The lead's events on one time axis, one lane per kind, stage entries named, the hand-off
    marked; an account's leads one lane each instead, the kinds told apart by colour and symbol."""
    kinds = [k for k in JOURNEY_KINDS if k in set(events["kind"])] + \
        sorted(set(events["kind"]) - set(JOURNEY_KINDS))
    lane = "person" if "person" in events.columns else "lead_id"  # an account's people by name
    leads = events.group_by(lane).agg(pl.col("event_at").min()).sort("event_at", lane)[lane].to_list()
    many = len(leads) > 1
    fig = figure(150 + (34 * len(leads) if many else 48 * len(kinds)))
    palette = {"stage": PRIMARY, "score": "#E69F00", "touch": "#56B4E9", "activity": "#CC79A7",
               "feedback": "#D55E00", "opportunity": "#009E73"}
    symbols = {"stage": "diamond", "opportunity": "star", "feedback": "square", "activity": "triangle-up"}
    for kind in kinds:
        part = _same_day(events.filter(pl.col("kind") == kind), kind, many)
        if many:  # only the current stage reads well in a crowded lane: name stage entries on hover
            text = [""] * part.height
        else:
            text = part["label"].to_list()
        fig.add_trace(go.Scatter(
            x=part["event_at"].to_list(), y=part[lane].to_list() if many else [kind_label(kind)] * part.height,
            mode="markers+text",
            marker=dict(size=[(11 if kind == "stage" else 9) + 3 * min(n - 1, 4) for n in part["n"]],
                        color=palette.get(kind, MUTED), symbol=symbols.get(kind, "circle"),
                        line=dict(width=1, color="white")),
            text=text, textposition=_positions(part.height, kind), textfont=dict(size=10), cliponaxis=False,
            customdata=part["detail"].to_list(), name=kind_label(kind), showlegend=many,
            hovertemplate="%{x|%Y-%m-%d}<br>%{customdata}<extra></extra>"))
    # the two markers' labels sit on either side of their lines, so they never overprint each other
    if handoff_at is not None:
        fig.add_vline(x=handoff_at, line_dash="dot", line_color=INK, line_width=1)
        fig.add_annotation(x=handoff_at, y=1, yref="paper", text=t("journey.handoff_marker"), showarrow=False,
                           xanchor="right", yanchor="bottom", yshift=4, font=dict(size=11, color=INK))
    first, last = events["event_at"].min(), events["event_at"].max()
    pad = max((last - first) * 0.06, timedelta(hours=12))
    if as_of is not None and as_of > last + (last - first) * 0.25 + timedelta(days=1):
        as_of = None  # long after the story ends: drawing it would squeeze every event into one spot
    fig.update_xaxes(range=[first - pad, max(last, as_of or last) + pad])
    if as_of is not None:
        fig.add_vline(x=as_of, line_dash="dash", line_color=MUTED, line_width=1)
        fig.add_annotation(x=as_of, y=1, yref="paper", text=t("journey.as_of_marker"), showarrow=False,
                           xanchor="left", yanchor="bottom", yshift=4, font=dict(size=11, color="#6B7280"))
    fig.update_layout(margin=dict(t=48))
    fig.update_yaxes(categoryorder="array", categoryarray=leads if many else [kind_label(k) for k in kinds],
                     autorange="reversed", showgrid=False)
    fig.update_xaxes(tickformat=t("journey.fmt.axis"))
    return fig


def _positions(n: int, kind: str) -> list[str]:
    """Stage names alternate above and below their lane so neighbours do not overprint."""
    if kind != "stage":
        return ["top center"] * n
    return ["top center" if i % 2 == 0 else "bottom center" for i in range(n)]


def _same_day(part: pl.DataFrame, kind: str, many: bool) -> pl.DataFrame:
    """One marker per lead, kind and day: the day's events listed on hover, a count "×n" beside the
    label, the marker larger the more there were (six touches on one day no longer hide in one dot)."""
    if "person" not in part.columns:
        part = part.with_columns(pl.col("lead_id").alias("person"))
    rows = part.with_columns(pl.col("event_at").dt.date().alias("day")).to_dicts()
    groups: dict[tuple, list[dict]] = {}
    for row in rows:
        groups.setdefault((row["lead_id"], row["day"]), []).append(row)
    out = {"lead_id": [], "person": [], "event_at": [], "n": [], "label": [], "detail": []}
    for (lead, _), items in groups.items():
        words = [_what(r) for r in items]
        lines = [f"{r['event_at']:%H:%M} · " + " · ".join(
            x for x in ((r["person"] if many else None), w, r["detail"]) if x)
            for r, w in zip(items, words, strict=True)]
        label = (" → ".join(words) if kind == "stage" else  # every stage entered that day, in order
                 words[-1] if kind in ("score", "opportunity", "feedback") else "")
        if len(items) > 1 and kind != "stage":
            label = f"×{len(items)}" if not label else f"{label} ×{len(items)}"
        out["lead_id"].append(lead)
        out["person"].append(items[0]["person"])
        out["event_at"].append(items[0]["event_at"])
        out["n"].append(len(items))
        out["label"].append(label)
        out["detail"].append("<br>".join(lines))
    return pl.DataFrame(out, schema={"lead_id": pl.String, "person": pl.String, "event_at": pl.Datetime("us"),
                                     "n": pl.Int64, "label": pl.String, "detail": pl.String})


def _score(text: str | None) -> str:
    try:
        return f"{float(text):g}"
    except (TypeError, ValueError):
        return text or ""


def journey_shown(events: pl.DataFrame) -> pl.DataFrame:
    """The event table in words: kinds and stage names translated, times kept."""
    rows = events.select("kind", "what").to_dicts()
    who = ["person"] if "person" in events.columns else []
    return events.select("event_at", *who, "lead_id", "kind", "what", "detail").with_columns(
        pl.Series("kind", [kind_label(r["kind"]) for r in rows], dtype=pl.String),
        pl.Series("what", [_what(r) for r in rows], dtype=pl.String))


def event_words(kind: str, what: str | None) -> str:
    """An event's `what` in the session's language (a stage, a touch type, a verdict…)."""
    return _what({"kind": kind, "what": what})


def _what(row: dict) -> str:
    kind, what = row["kind"], row["what"]
    if kind == "stage":
        return stage_label(what)
    if kind == "score":
        return _score(what)
    key = f"journey.what.{what}"
    return t(key) if has(key) else (what or "").replace("_", " ")
