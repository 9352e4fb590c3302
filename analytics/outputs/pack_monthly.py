"""The monthly pack's sections: the monthly page — the headline (targets judged by pace), the 12-month
trends (newest month first, every month under review), the cohort heatmap, the definitions on the
table and the progress toward the shared targets — from the page's own view functions, each chart also
drawn as static SVG for print."""
from __future__ import annotations

import polars as pl

from analytics.core.filters import Filters
from analytics.engine import attention, monthly
from analytics.i18n.messages import fmt_int, fmt_money, fmt_pct, stage_label, t
from analytics.outputs import pack_svg as svg
from analytics.outputs.pack_html import Chart, Section, Table
from analytics.store.db import Store
from analytics.views import attention as attention_views
from analytics.views import monthly as views
from analytics.views.style import stage_color
from analytics.views.targets import TARGET_ORDER


def _month(d) -> str:
    return d.strftime(t("monthly.fmt.month"))


def trends(store: Store, filters: Filters) -> Section:
    cfg = store.cfg
    frame = monthly.trends(store, filters=filters)
    caption = t("monthly.trends_caption", stage=stage_label(cfg.handoff_stage), to=stage_label(cfg.qualified_stage),
                n=cfg.low_volume_n)
    section = Section(t("monthly.trends"), caption)
    if frame.is_empty():
        section.notes.append(("info", t("monthly.no_trends")))
        return section
    metrics = [m for m in (*views.TREND_RATES, "median_days_through_funnel") if m in set(frame["metric"])]
    panels = []
    this_month = store.default_as_of.date().replace(day=1)  # shaded: the month in progress
    for i, metric in enumerate(metrics):
        part = frame.filter(pl.col("metric") == metric).sort("month_start")
        is_rate = metric in views.TREND_RATES
        panels.append({"title": views.metric_label(metric), "x": [d.strftime("%m/%y") for d in part["month_start"]],
                       "y": part["value"].to_list(), "percent": is_rate, "color": stage_color(i + 1),
                       "low": part["ci_low"].to_list() if is_rate else None,
                       "high": part["ci_high"].to_list() if is_rate else None,
                       "hollow": [(n or 0) < cfg.low_volume_n for n in part["n"]],
                       "shade": next((k for k, d in enumerate(part["month_start"]) if d == this_month), None)})
    section.charts.append(Chart(svg.lines(panels),
                                lambda: views.trends_chart(frame, store.default_as_of, cfg.low_volume_n)))
    wide = views.trends_wide(frame)  # newest month first
    shown = views.trends_shown(wide).with_columns(pl.Series("month_start", [_month(d) for d in wide["month_start"]]),
                                                  pl.exclude("month_start").str.replace_all(" ", "\u00a0"))  # one line
    labels = {"month_start": t("monthly.col.month"), **{c: views.metric_label(c) for c in shown.columns[1:]}}
    section.tables.append(Table(shown, labels, limit=max(shown.height, 1), note=t("pack.newest_first")))
    return section


def cohorts(store: Store, filters: Filters) -> Section:
    stage = store.cfg.qualified_stage
    section = Section(t("monthly.cohorts"), t("monthly.cohorts_caption", stage=stage_label(stage)))
    matrix = monthly.cohort_matrix(store, stage, filters)
    if matrix.is_empty():
        section.notes.append(("info", t("monthly.no_cohorts")))
        return section
    heat = matrix.pivot(on="months", index="cohort_month", values="share", sort_columns=True).sort("cohort_month")
    sizes = dict(matrix.group_by("cohort_month").agg(pl.col("leads").first()).iter_rows())
    months = [c for c in heat.columns if c != "cohort_month"]
    top = max(matrix["share"].max() or 0, 0.01)
    static = svg.heat([f"{_month(d)} · n={fmt_int(sizes[d])}" for d in heat["cohort_month"]],
                      [t("monthly.col.after", k=m) for m in months], heat.select(months).rows(),
                      lambda v: svg.blues(v / top),  # as the page's colour scale: 0 to the largest share
                      t("pack.cohort_stage", stage=stage_label(stage)))
    section.charts.append(Chart(static, lambda: views.cohort_heatmap(matrix, stage)))
    return section


def definitions(store: Store, filters: Filters) -> Section:
    shown = views.definitions_shown(monthly.definitions(store, filters))
    return Section(t("monthly.definitions"), t("monthly.definitions_caption"),
                   tables=[Table(shown, {c: t(f"monthly.col.{c}") for c in shown.columns})])


def _figure(metric: str, value: float | None) -> str:
    return fmt_money(value) if metric.endswith("_amount") else fmt_int(value)


def targets(store: Store) -> Section:
    section = Section(t("monthly.targets"), t("monthly.targets_caption"))
    progress = monthly.target_progress(store)
    if progress.is_empty():
        section.notes.append(("info", t("monthly.no_targets")))
        return section
    company = progress.filter(pl.col("team").is_null() & pl.col("segment").is_null()).with_columns(
        pl.when(pl.col("elapsed_share") < 1).then(pl.col("pacing")).otherwise(pl.col("attainment")).alias("shown"))
    order = {m: i for i, m in enumerate(TARGET_ORDER)}
    metrics = sorted(set(company["metric"]), key=lambda m: (order.get(m, 99), m))
    periods = sorted(set(company["period_start"]))
    cells = {(r["metric"], r["period_start"]): r["shown"] for r in company.iter_rows(named=True)}
    static = svg.heat([views.metric_label(m) for m in metrics], [p.strftime("%Y-%m") for p in periods],  # fits a cell
                      [[cells.get((m, p)) for p in periods] for m in metrics], svg.attainment)
    section.charts.append(Chart(static, lambda frame=progress: views.targets_chart(frame)))
    progress = progress.sort(pl.col("period_start"), pl.col("metric").replace_strict(order, default=99),
                             descending=[True, False])
    rows = progress.to_dicts()
    columns = {
        "period_start": [_month(r["period_start"]) for r in rows],
        "metric": [views.metric_label(r["metric"]) for r in rows],
        "team": [r["team"] or "—" for r in rows],
        "target": [_figure(r["metric"], r["target"]) for r in rows],
        "actual": [_figure(r["metric"], r["actual"]) for r in rows],
        "elapsed_share": [fmt_pct(r["elapsed_share"]) for r in rows],
        "attainment": [fmt_pct(r["attainment"]) for r in rows],
        "pacing": [fmt_pct(r["pacing"]) for r in rows]}
    if progress["team"].is_null().all():
        columns.pop("team")
    shown = pl.DataFrame(columns)
    labels = {"period_start": t("monthly.col.month"), "team": t("pack.col.team"),
              **{c: t(f"monthly.col.{c}") for c in ("metric", "target", "actual", "elapsed_share", "attainment",
                                                     "pacing")}}
    section.tables.append(Table(shown, labels, limit=max(shown.height, 1), note=t("pack.newest_first")))
    return section


TONES = {"red": "bad", "amber": "warn", "good": "good"}


def headline(store: Store) -> Section | None:
    """The page's headline: the month's targets judged by pace, most urgent first, in the page's words."""
    cfg = store.cfg
    items = attention.month_attention(store)
    if items.is_empty():
        return None
    month = store.default_as_of.strftime(t("monthly.fmt.month"))
    level, verdict = attention_views.month_verdict(items, month, cfg.target_amber_below)
    notes = [(TONES[level], verdict)]
    for item in items.filter(pl.col("level") != "good").iter_rows(named=True):
        badge = t("month_attention.badge." + item["kind"])
        notes.append((TONES[item["level"]], t("month_attention.item", rank=item["rank"], badge=badge,
                                              text=attention_views.month_sentence(item))))
    on_pace = attention_views.month_lines(items.filter(pl.col("level") == "good"))
    notes.extend(("good", line) for line in on_pace)
    return Section(t("month_attention.title"), t("month_attention.caption", red=fmt_pct(cfg.target_red_below),
                                                  amber=fmt_pct(cfg.target_amber_below)), notes=notes)


def sections(store: Store, filters: Filters) -> list[Section]:
    first = headline(store)
    return [*([first] if first else []), trends(store, filters), cohorts(store, filters),
            definitions(store, filters), targets(store)]
