"""The review pack: the weekly or monthly review as one self-contained HTML file (interactive Plotly
charts with plotly.js inlined, tables, definitions, the data-confidence line) and as PDF.

The pack calls the same analytics functions as the pages, so its figures are the page's figures.
"""
from __future__ import annotations

import html
import tempfile
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import plotly.graph_objects as go
import polars as pl
from plotly.offline import get_plotlyjs

from analytics.core.filters import Filters
from analytics.engine import actions, monthly, weekly
from analytics.engine.base import NO_FILTERS, MetricError
from analytics.engine.health import data_confidence
from analytics.i18n.messages import column_label, fmt_datetime, stage_label, t
from analytics.store.db import Store
from analytics.store.meetings import MeetingStore

MAX_ROWS = 50


@dataclass
class Section:
    title: str
    intro: str = ""
    figures: list[go.Figure] = field(default_factory=list)
    tables: list[tuple[str, pl.DataFrame]] = field(default_factory=list)


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:,.4g}" if abs(value) < 1 else f"{value:,.2f}".rstrip("0").rstrip(".")
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return t("pack.yes") if value else ""
    return str(value)


def table_html(frame: pl.DataFrame, limit: int = MAX_ROWS) -> str:
    if frame.is_empty():
        return f"<p class='empty'>{html.escape(t('pack.none'))}</p>"
    head = "".join(f"<th>{html.escape(column_label(c))}</th>" for c in frame.columns)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(_cell(v))}</td>" for v in row) + "</tr>"
                   for row in frame.head(limit).iter_rows())
    more = (f"<p class='more'>{html.escape(t('pack.more_rows', shown=limit, total=frame.height))}</p>"
            if frame.height > limit else "")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{more}"


CSS = """
body{font-family:"Noto Sans","Noto Sans CJK SC",Arial,sans-serif;margin:2rem auto;max-width:1100px;color:#1f2933}
h1{margin-bottom:.2rem} .sub{color:#52606d;margin-top:0} .confidence{background:#f0f4f8;padding:.6rem .8rem;
border-radius:6px;font-size:.9rem} table{border-collapse:collapse;width:100%;font-size:.85rem;margin:.5rem 0}
th,td{border-bottom:1px solid #d9e2ec;padding:.25rem .4rem;text-align:left} th{background:#f5f7fa}
td{font-variant-numeric:tabular-nums} .empty,.more{color:#7b8794;font-style:italic} section{page-break-inside:avoid}
.definitions li{margin:.2rem 0}
"""


def render(title: str, subtitle: str, confidence: str, sections: list[Section], definitions: list[str]) -> str:
    parts = []
    for s in sections:
        block = [f"<section><h2>{html.escape(s.title)}</h2>"]
        if s.intro:
            block.append(f"<p>{html.escape(s.intro)}</p>")
        for fig in s.figures:
            block.append(fig.to_html(full_html=False, include_plotlyjs=False, config={"displaylogo": False}))
        for caption, frame in s.tables:
            if caption:
                block.append(f"<h3>{html.escape(caption)}</h3>")
            block.append(table_html(frame))
        block.append("</section>")
        parts.append("".join(block))
    items = "".join(f"<li>{html.escape(d)}</li>" for d in definitions)
    return (f"<!doctype html><html lang='{html.escape(t('pack.lang'))}'><head><meta charset='utf-8'>"
            f"<title>{html.escape(title)}</title><style>{CSS}</style>"
            f"<script type='text/javascript'>{get_plotlyjs()}</script></head><body>"
            f"<h1>{html.escape(title)}</h1><p class='sub'>{html.escape(subtitle)}</p>"
            f"<p class='confidence'>{html.escape(confidence)}</p>{''.join(parts)}"
            f"<section><h2>{html.escape(t('pack.definitions'))}</h2><ul class='definitions'>{items}</ul></section>"
            "</body></html>")


def confidence_text(store: Store) -> str:
    c = data_confidence(store)

    def pct(x):
        return "–" if x is None else f"{x:.1%}"
    return t("pack.confidence", as_of=fmt_datetime(c["as_of"]), version=c["data_version"][:8],
             loaded=f"{c['rows_loaded']:,}", rejected=f"{c['rows_rejected']:,}",
             rejected_share=pct(c["rejected_share"]),
             first=_cell(c["first_lead_at"])[:10], last=_cell(c["last_lead_at"])[:10],
             skipped=pct(c["skipped_stage_share"]), no_touch=pct(c["no_touch_share"]))


def _measure_label(measure: str) -> str:
    return stage_label(measure) if not measure.endswith(("_amount", "_deals")) else column_label(measure)


def weekly_figure(summary: pl.DataFrame) -> go.Figure:
    counts = summary.filter(~pl.col("measure").str.ends_with("_amount"))
    labels = [_measure_label(m) for m in counts["measure"]]
    fig = go.Figure([
        go.Bar(name=t("pack.this_week"), x=labels, y=counts["value"].to_list(),
               marker_color=["#d64545" if u else "#3b82c4" for u in counts["is_unusual"]]),
        go.Bar(name=t("pack.avg_4w"), x=labels, y=counts["avg_4w"].to_list(), marker_color="#9fb3c8"),
    ])
    fig.update_layout(barmode="group", height=340, margin=dict(l=40, r=20, t=30, b=40), template="plotly_white",
                      legend=dict(orientation="h", y=1.1))
    return fig


def weekly_sections(store: Store, week: weekly.Week, filters: Filters = NO_FILTERS,
                    meetings: MeetingStore | None = None) -> list[Section]:
    summary = weekly.week_summary(store, week, filters)
    # labels in this thread: the session's language does not follow Polars into its worker threads
    labels = pl.Series("measure", [_measure_label(m) for m in summary["measure"]], dtype=pl.String)
    moved = summary.select("value", "previous", "avg_4w", "target", "z", "is_unusual").insert_column(0, labels)
    sections = [Section(t("pack.what_moved"), t("pack.what_moved_intro"), [weekly_figure(summary)],
                        [("", moved)])]
    drops = weekly.conversion_drops(store, week, filters)
    sections.append(Section(t("pack.conversion"), t("pack.conversion_intro"), tables=[("", drops)]))
    if "activities" in store.tables_present():
        sections.append(Section(t("pack.breaches"), tables=[("", weekly.breaches_of_week(store, week, filters))]))
    stalled = weekly.newly_stalled(store, week, filters).select(
        "lead_id", "stage", "owner_id", "entered_at", "days_in_stage", "threshold_days", "days_over")
    sections.append(Section(t("pack.stalled"), tables=[("", stalled)]))
    if meetings is not None:
        # the week's items, and the open ones carried over from earlier weeks, as of that week (as on the page)
        items = actions.as_of(meetings.actions(), week).select(
            "week", "owner", "description", "due_date", "metric", "lead_id", pl.col("status_as_of").alias("status"))
        sections.append(Section(t("pack.actions"), tables=[("", items)]))
    return sections


def monthly_sections(store: Store, filters: Filters = NO_FILTERS) -> list[Section]:
    trends = monthly.trends(store, filters=filters)
    fig = go.Figure()
    for metric, part in trends.filter(pl.col("metric") != "median_days_through_funnel").group_by(
            "metric", maintain_order=True):
        fig.add_trace(go.Scatter(x=part["month_start"].to_list(), y=part["value"].to_list(), mode="lines+markers",
                                 name=column_label(metric[0])))
    fig.update_layout(height=360, yaxis_tickformat=".0%", template="plotly_white",
                      margin=dict(l=40, r=20, t=30, b=40), legend=dict(orientation="h", y=1.12))
    matrix = monthly.cohort_matrix(store, filters=filters)
    heat = matrix.pivot(on="months", index="cohort_month", values="share", sort_columns=True)
    heatmap = go.Figure(go.Heatmap(z=heat.drop("cohort_month").to_numpy(), x=heat.columns[1:],
                                   y=[str(d) for d in heat["cohort_month"]], colorscale="Blues",
                                   zmin=0, hovertemplate="%{y} +%{x}: %{z:.1%}<extra></extra>"))
    heatmap.update_layout(height=420, template="plotly_white", margin=dict(l=80, r=20, t=30, b=40),
                          xaxis_title=t("pack.months_after"))
    return [
        Section(t("pack.trends"), t("pack.trends_intro"), [fig], [("", trends)]),
        Section(t("pack.cohorts"), t("pack.cohorts_intro", stage=stage_label(store.cfg.qualified_stage)), [heatmap]),
        Section(t("pack.definitions_review"), tables=[("", monthly.definitions(store, filters))]),
        Section(t("pack.targets"), tables=[("", monthly.target_progress(store))]),
    ]


DEFINITION_KEYS = ("def.cohort", "def.skip", "def.as_of", "def.handoff", "def.sla", "def.stalled", "def.noise",
                   "def.immature", "def.winrate")


def build(store: Store, kind: str, period: str | None = None, filters: Filters = NO_FILTERS,
          meetings: MeetingStore | None = None) -> str:
    """The pack's HTML for kind 'weekly' (period = ISO week, default the last complete one) or 'monthly'."""
    if kind == "weekly":
        week = weekly.Week.parse(period) if period else weekly.last_complete_week(store)
        title = t("pack.weekly_title", week=week.label)
        subtitle = t("pack.weekly_sub", start=week.monday.isoformat(), end=week.sunday.isoformat())
        sections = weekly_sections(store, week, filters, meetings)
    elif kind == "monthly":
        title = t("pack.monthly_title")
        subtitle = t("pack.monthly_sub", as_of=fmt_datetime(store.default_as_of))
        sections = monthly_sections(store, filters)
    else:
        raise MetricError("the pack is weekly or monthly")
    return render(title, subtitle, confidence_text(store), sections, [t(k) for k in DEFINITION_KEYS])


def write(html_text: str, out: Path) -> Path:
    """Write the pack; a .pdf name prints the HTML to PDF with headless Chromium."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    if out.suffix.lower() != ".pdf":
        out.write_text(html_text, encoding="utf-8")
        return out
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "pack.html"
        page.write_text(html_text, encoding="utf-8")
        print_pdf(page, out)
    return out


CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


def print_pdf(page: Path, out: Path, chromium: str = "/usr/bin/chromium") -> None:
    if not Path(chromium).exists():
        raise MetricError(f"PDF needs Chromium at {chromium} (apt-get install chromium); the HTML pack works without")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            tab = browser.new_page()
            tab.goto(page.as_uri())
            tab.wait_for_function("[...document.querySelectorAll('.js-plotly-plot')]"
                                  ".every(p => p.querySelector('.main-svg'))", timeout=30000)
            tab.pdf(path=str(out), format="A4", print_background=True,
                    margin={"top": "12mm", "bottom": "12mm", "left": "10mm", "right": "10mm"})
        finally:
            browser.close()
