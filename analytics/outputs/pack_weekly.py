"""The weekly pack's sections: the weekly page as the meeting saw it — the tiles and the noise verdict,
what moved, the figures frozen at the meeting (this week and last) against today's, the conversion
verdicts, the week's SLA breaches and newly stalled leads with their owners' names, and the action items
as they stood that week (engine.actions.as_of) — built from the page's own view functions; the
statistical detail (z, p) only in the appendix."""
from __future__ import annotations

import polars as pl

from analytics.core.filters import Filters
from analytics.engine import actions, attention, weekly
from analytics.engine.weekly import Week
from analytics.i18n.messages import column_label, fmt_datetime, fmt_int, fmt_money, fmt_pct, has, stage_label, t
from analytics.outputs import pack_svg as svg
from analytics.outputs.pack_html import Chart, Section, Table
from analytics.store.db import Store
from analytics.store.meetings import MeetingStore, compare
from analytics.views import attention as attention_views
from analytics.views import tiles
from analytics.views import weekly as views
from analytics.views.style import BAD, GOOD, MUTED, PRIMARY

TILE_ROLES = ("handoff_stage", "qualified_stage", "opportunity_stage")
NO_ACTIONS = {"action_id": pl.String, "week": pl.String, "owner": pl.String, "description": pl.String,
              "due_date": pl.Date, "metric": pl.String, "lead_id": pl.String, "status": pl.String,
              "closed_week": pl.String}


def _labels(columns) -> dict[str, str]:
    return {c: t(f"weekly.col.{c}") if has(f"weekly.col.{c}") else column_label(c) for c in columns}


def _one_decimal(v) -> str:
    return "—" if v is None else f"{v:,.1f}"


def headline(store: Store, week: Week, filters: Filters, moved: pl.DataFrame, listed: pl.DataFrame,
             names: dict[str, str]) -> Section:
    """The page's headline: the verdict and the ranked list of what needs attention (engine.attention,
    the same rank and sentences as the weekly page), the tiles and the open action items."""
    cfg = store.cfg
    tile_measures = [cfg.main_stages[0], *(getattr(cfg, r) for r in TILE_ROLES), "won_amount"]
    items = attention.attention(store, week, filters)
    level, verdict = attention_views.verdict(items, cfg.target_amber_below)
    notes = [(TONES[level], verdict)]
    for item in items.iter_rows(named=True):
        badge = "" if item["kind"] in ("breaches", "stalled") else (  # their sentence names them
            t("attention.badge." + item["kind"] + "." + item["level"]) + ": ")
        notes.append((TONES[item["level"]], f"{item['rank']}. {badge}{attention_views.sentence(item, names)}"))
    count = actions.counts(listed)
    if count["open"]:
        notes.append(("info", t("pack.open_items", n=fmt_int(count["open"]), overdue=fmt_int(count["overdue"]))))
    return Section(t("pack.headline"), t("attention.caption", red=fmt_pct(cfg.target_red_below),
                                         amber=fmt_pct(cfg.target_amber_below)),
                   tiles=tiles.week_tiles(moved, tile_measures), notes=notes)


TONES = {"red": "bad", "amber": "warn", "good": "good"}


def what_moved(moved: pl.DataFrame) -> Section:
    drawn = moved.filter(pl.col("vs_avg_4w").is_not_null())
    static = svg.hbars(
        [views.measure_label(m) for m in drawn["measure"]], drawn["vs_avg_4w"].to_list(), views.moved_colors(drawn),
        [t("weekly.chart.bar_text", value=views.fmt_measure(m, v), avg=views.fmt_measure(m, a, average=True))
         for m, v, a in drawn.select("measure", "value", "avg_4w").iter_rows()],
        [(t("weekly.signal.up"), GOOD), (t("weekly.signal.down"), BAD), (t("weekly.signal.normal"), MUTED)],
        t("weekly.chart.vs_avg"))
    shown = views.moved_shown(moved)
    return Section(t("weekly.moved"), t("weekly.moved_caption"),
                   charts=[Chart(static, lambda: views.moved_chart(moved))],
                   tables=[Table(shown, _labels(shown.columns))])


def frozen(store: Store, week: Week, filters: Filters, meetings: MeetingStore | None, scope: str) -> Section:
    """The figures frozen at this week's and last week's meetings against today's (as on the page)."""
    section = Section(t("weekly.snapshot"), t("pack.snapshot_intro"))
    measures = views.review_measures(store.cfg.main_stages)
    for which in (week, week.shift(-1)):
        title = t("pack.snapshot_this" if which == week else "pack.snapshot_last", week=which.label)
        snap = meetings.latest("weekly", which.label, scope) if meetings is not None else None
        if snap is None:
            section.tables.append(Table(pl.DataFrame(), caption=title, note=t("weekly.snapshot_none")))
            continue
        now = weekly.week_summary(store, which, filters).select("measure", "value")
        compared = views.snapshot_compare(compare(snap.figures, now), measures)
        note = t("weekly.snapshot_meta", at=fmt_datetime(snap.frozen_at), version=snap.data_version[:8],
                 as_of=fmt_datetime(snap.as_of))
        if snap.data_version != store.data_version:
            note += " " + t("weekly.snapshot_reimported", version=store.data_version[:8])
        changed = int(compared["is_restated"].sum())
        note += " " + (t("weekly.snapshot_restated", n=changed) if changed else t("weekly.snapshot_same"))
        shown = views.snapshot_shown(compared)
        section.tables.append(Table(shown, _labels(shown.columns), caption=title, lead=note))
    return section


def conversion(store: Store, week: Week, filters: Filters) -> tuple[Section, pl.DataFrame]:
    drops = views.drops_table(weekly.conversion_drops(store, week, filters))
    section = Section(t("weekly.conversion"), t("pack.conversion_caption"))
    if drops.is_empty():
        section.notes.append(("info", t("weekly.no_conversion")))
        return section, drops
    dropped = drops.filter(pl.col("is_drop"))
    if not dropped.is_empty():
        section.notes.append(("bad", t("weekly.dropped", pairs=", ".join(
            f"{stage_label(a)} → {stage_label(b)}" for a, b in dropped.select("from_stage", "to_stage").iter_rows()))))
    if drops["is_immature"].any():
        section.notes.append(("info", t("weekly.immature_note", week=week.label)))
    rated = drops.filter(pl.col("rate").is_not_null())
    if not rated.is_empty():
        static = svg.dots(
            [f"{stage_label(a)} → {stage_label(b)} · {w}" for a, b, w in
             rated.select("from_stage", "to_stage", "cohort_week").iter_rows()],
            rated["baseline_rate"].to_list(), rated["rate"].to_list(),
            [BAD if d else PRIMARY for d in rated["is_drop"]],
            [fmt_pct(r) for r in rated["rate"]],
            [(t("weekly.chart.baseline"), "ring"), (t("weekly.chart.latest"), PRIMARY), (t("weekly.chart.drop"), BAD)],
            column_label("rate"))
        section.charts.append(Chart(static, lambda: views.drops_chart(drops)))
    shown = views.drops_shown(drops, week.label)
    section.tables.append(Table(shown, _labels(shown.columns)))
    return section, drops


def rep_names(store: Store) -> dict[str, str]:
    """rep_id -> name from the reps table (empty when the export has none)."""
    if "reps" not in store.tables_present():
        return {}
    cur = store.con.cursor()
    try:
        reps = cur.sql("select rep_id, name from reps where name is not null").pl()
    finally:
        cur.close()
    return dict(reps.iter_rows())


def _name(names: dict[str, str]):
    return lambda rep: "—" if rep is None else names.get(rep, rep)


def breaches(store: Store, week: Week, filters: Filters, names: dict[str, str]) -> Section:
    section = Section(t("weekly.breaches"))
    if "activities" not in store.tables_present():
        section.notes.append(("info", t("weekly.needs_activities")))
        return section
    late = weekly.breaches_of_week(store, week, filters).sort("handoff_at", "lead_id", descending=[True, False])
    if late.is_empty():
        section.notes.append(("good", t("weekly.no_breaches", week=week.label)))
        return section
    section.notes.append(("warn", t("weekly.breaches_count", n=fmt_int(late.height),
                                    leads=fmt_int(late["lead_id"].n_unique()))))
    owner = _name(names)
    shown = pl.DataFrame({
        "lead_id": late["lead_id"], "owner_name": [owner(r) for r in late["owner_id"]],
        "team": late["team"], "source": late["source"],
        "sla": [t(f"weekly.sla.{s}") if has(f"weekly.sla.{s}") else s for s in late["sla"]],
        "handoff_at": [fmt_datetime(v) for v in late["handoff_at"]],
        "hours_late": [_one_decimal(v) for v in late["hours_late"]]})
    section.tables.append(Table(shown, _labels(shown.columns), note=t("pack.newest_first")))
    return section


def stalled(store: Store, week: Week, filters: Filters, names: dict[str, str]) -> Section:
    section = Section(t("weekly.stalled"))
    frame = weekly.newly_stalled(store, week, filters).sort("entered_at", "lead_id", descending=[True, False])
    if frame.is_empty():
        section.notes.append(("good", t("weekly.no_stalled", week=week.label)))
        return section
    section.notes.append(("warn", tiles.stalled_text(frame, store.cfg.main_stages)))
    owner = _name(names)
    shown = pl.DataFrame({
        "lead_id": frame["lead_id"], "stage": [stage_label(s) for s in frame["stage"]],
        "owner_name": [owner(r) for r in frame["owner_id"]], "source": frame["source"],
        "entered_at": [fmt_datetime(v) for v in frame["entered_at"]],
        "days_in_stage": [_one_decimal(v) for v in frame["days_in_stage"]],
        "threshold_days": [_one_decimal(v) for v in frame["threshold_days"]],
        "days_over": [_one_decimal(v) for v in frame["days_over"]]})
    section.tables.append(Table(shown, _labels(shown.columns), note=t("pack.newest_first")))
    return section


def action_items(listed: pl.DataFrame, week: Week, names: dict[str, str]) -> Section:
    """The items the meeting of `week` listed, with the status each had then."""
    section = Section(t("weekly.actions"), t("pack.actions_intro", week=week.label))
    if listed.is_empty():
        section.notes.append(("info", t("pack.no_actions", week=week.label)))
        return section
    count = actions.counts(listed)
    section.notes.append(("info", t("weekly.actions_count", n=count["n"], carried=count["carried"],
                                    overdue=count["overdue"])))
    owner = _name(names)
    shown = pl.DataFrame({
        "week": listed["week"], "owner": [owner(o) for o in listed["owner"]], "description": listed["description"],
        "due_date": ["—" if d is None else d.isoformat() + (f" ({t('pack.overdue')})" if late else "")
                     for d, late in zip(listed["due_date"], listed["is_overdue"], strict=True)],
        "metric": [views.topic_label(m) for m in listed["metric"]],
        "lead_id": [v or "—" for v in listed["lead_id"]],
        "status": [t(f"weekly.status.{s}") for s in listed["status_as_of"]]},
        schema={c: pl.String for c in ("week", "owner", "description", "due_date", "metric", "lead_id", "status")})
    section.tables.append(Table(shown, _labels(shown.columns)))
    return section


def pipeline_movement(store: Store, week: Week, filters: Filters) -> Section:
    """What moved the quarter's pipeline this week (as on the page): each movement as a share of the
    opening pipeline, the sentence, and the deals that moved; the month's and quarter's forecast."""
    from analytics.engine import forecast, pipeline
    from analytics.views import pipeline as pipeline_views

    section = Section(t("pipeline.movement_title"), t("pipeline.movement_caption"))
    if "opportunities" not in store.tables_present():
        section.notes.append(("info", t("pipeline.no_deals")))
        return section
    source = pipeline.history_source(store)
    if source["kind"] == "none":
        section.notes.append(("info", t("pipeline.no_history")))
    elif source["kind"] == "snapshots":
        section.notes.append(("info", t("pipeline.from_snapshots", n=source["snapshots"],
                                        first=source["first_at"].date().isoformat())))
    scoped = filters.over(week.monday, week.sunday)
    deals = pipeline.movement_deals(store, "week", scoped)
    waterfall = pipeline.pipeline_movement(store, "week", scoped)
    period = waterfall.filter(pl.col("period_start") == week.monday)
    if period.is_empty() or period["deals"].sum() == 0:
        section.notes.append(("info", t("pipeline.no_deals")))
        return section
    section.notes.append(("info", pipeline_views.movement_text(period)))
    opening = period.filter(pl.col("movement") == "opening")["net_amount"][0] or 1.0
    inner = period.filter(pl.col("movement").is_in(list(pipeline_views.INNER)))
    static = svg.hbars(
        [pipeline_views.movement_label(m) for m in inner["movement"]], [v / opening for v in inner["net_amount"]],
        [GOOD if v > 0 else BAD if v < 0 else MUTED for v in inner["net_amount"]],
        [f"{fmt_money(v)} · {t('pipeline.deals_n', n=fmt_int(n))}"
         for v, n in inner.select("net_amount", "deals").iter_rows()],
        [], t("pack.pipeline_axis"))
    section.charts.append(Chart(static, lambda: pipeline_views.waterfall_chart(period)))
    moved = deals.filter(~pl.col("movement").is_in(["opening", "closing"])).sort("amount", descending=True)
    if not moved.is_empty():
        owner = _name(rep_names(store))
        shown = pl.DataFrame({
            "movement": [pipeline_views.movement_label(m) for m in moved["movement"]],
            "opportunity_id": moved["opportunity_id"], "owner_name": [owner(r) for r in moved["owner_id"]],
            "amount": [fmt_money(v) for v in moved["amount"]],
            "stage_from": [v or "—" for v in moved["stage_from"]],
            "stage_to": [stage_label(v) if v else "—" for v in moved["stage_to"]],
            "close_from": ["—" if v is None else v.date().isoformat() for v in moved["close_from"]],
            "close_to": ["—" if v is None else v.date().isoformat() for v in moved["close_to"]]},
            schema={c: pl.String for c in ("movement", "opportunity_id", "owner_name", "amount", "stage_from",
                                           "stage_to", "close_from", "close_to")})
        section.tables.append(Table(shown, _labels(shown.columns)))
    now = forecast.forecast(store, currency=filters.currency)
    if line := pipeline_views.headline(forecast.track_record(forecast.backtest(store, currency=filters.currency))):
        section.notes.append(("info", line))
    section.notes.extend(("info", pipeline_views.forecast_text(row)) for row in now.iter_rows(named=True)
                         if row["is_learned"])
    return section


def appendix(moved: pl.DataFrame, drops: pl.DataFrame) -> Section:
    """The statistics behind the verdicts, for whoever asks."""
    z = pl.DataFrame({"measure": [views.measure_label(m) for m in moved["measure"]],
                      "z": ["—" if v is None else f"{v:+.2f}" for v in moved["z"]],
                      "signal": [views.signal(r) for r in moved.to_dicts()]})
    section = Section(t("pack.appendix"), t("pack.appendix_intro"), appendix=True,
                      tables=[Table(z, {**_labels(z.columns), "z": t("pack.col.z")}, caption=t("weekly.moved"))])
    if not drops.is_empty():
        p = pl.DataFrame({"pair": [f"{stage_label(a)} → {stage_label(b)}" for a, b in
                                   drops.select("from_stage", "to_stage").iter_rows()],
                          "p_value": ["—" if v is None else f"{v:.3f}" for v in drops["p_value"]],
                          "verdict": [views.drop_verdict(r) for r in drops.to_dicts()]})
        section.tables.append(Table(p, _labels(p.columns), caption=t("weekly.conversion")))
    return section


def sections(store: Store, week: Week, filters: Filters, meetings: MeetingStore | None, scope: str) -> list[Section]:
    moved = views.moved_table(weekly.week_summary(store, week, filters), views.review_measures(store.cfg.main_stages))
    items = meetings.actions() if meetings is not None else pl.DataFrame(schema=NO_ACTIONS)
    listed = actions.as_of(items, week)
    names = rep_names(store)
    drops_section, drops = conversion(store, week, filters)
    return [headline(store, week, filters, moved, listed, names), what_moved(moved),
            pipeline_movement(store, week, filters), frozen(store, week, filters, meetings, scope), drops_section,
            breaches(store, week, filters, names),
            stalled(store, week, filters, names), action_items(listed, week, names), appendix(moved, drops)]
