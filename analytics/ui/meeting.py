"""The weekly meeting's own widgets: the week picker, the figures frozen at a meeting beside today's,
the freeze button, the action-item list (a status is saved as soon as it is changed) and the form
that adds an item. Which items a week lists is analytics.engine.actions'."""
from __future__ import annotations

from datetime import timedelta

import polars as pl
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from analytics.core.config import Config
from analytics.core.filters import Filters
from analytics.engine import actions, attention, drilldown, journey, weekly
from analytics.engine.weekly import Week
from analytics.i18n.messages import fmt_datetime, fmt_pct, t
from analytics.store.db import Store
from analytics.store.meetings import STATUSES, MeetingError, MeetingStore, compare
from analytics.ui import action_lists, calls, lookups, url, widgets
from analytics.views import attention as attention_views
from analytics.views import labels as labels_views
from analytics.views import monthly as monthly_views
from analytics.views import weekly as weekly_views

NOTICE, FORM_ERROR = "weekly.notice", "weekly.form_error"  # what a callback has to say after the rerun
SECTIONS = ("sla_breaches", "newly_stalled", "conversion")  # topics an item may be about besides a measure


def open_meetings() -> MeetingStore:
    """The side database of frozen snapshots and action items (it outlives re-imports)."""
    return MeetingStore()


def measures(cfg: Config) -> list[str]:
    """What the weekly review counts: the main stages and the two amounts."""
    return [*cfg.main_stages, "pipeline_amount", "won_amount"]


def tile_measures(cfg: Config) -> list[str]:
    return [cfg.main_stages[0], cfg.handoff_stage, cfg.qualified_stage, cfg.opportunity_stage, "won_amount"]


def topic_label(topic: str | None) -> str:
    if not topic:
        return "—"
    return t(f"weekly.topic.{topic}") if topic in SECTIONS else weekly_views.measure_label(topic)


def pick_week(store: Store, where: DeltaGenerator) -> Week:
    """The week under review (?week=, default the last complete one), picked from the data's weeks."""
    latest = calls.cached(weekly.last_complete_week)
    oldest = Week.of(store.first_lead_at.date()) if store.first_lead_at else latest.shift(-52)
    weeks = [latest.shift(-i) for i in range(max((latest.monday - oldest.monday).days // 7 + 1, 1))]

    def known_week(text: str) -> Week:
        week = Week.parse(text)
        if week not in weeks:
            raise ValueError(text)
        return week

    url.from_url("week", "weekly.week", parse=known_week)
    week = where.selectbox(t("weekly.week"), weeks, format_func=weekly_views.week_option, key="weekly.week",
                           help=t("weekly.week_help"))
    url.to_url(week=week.label)
    return week


def headline(store: Store, week: Week, chosen: Filters) -> None:
    """The first thing on the page: the verdict over the week, the ranked list of what needs attention
    (engine.attention) with owners by name, and the leads behind a picked item."""
    cfg = store.cfg
    # ranked from the same cached parts the sections below show, so the headline and they always agree
    items = attention.rank(*(calls.cached(part, week, chosen) for part in (
        weekly.week_summary, weekly.conversion_drops, weekly.breaches_of_week, weekly.newly_stalled)), cfg)
    level, text = attention_views.verdict(items, cfg.target_amber_below)
    alert = {"red": st.error, "amber": st.warning, "good": st.success}[level]
    icon = {"red": ":material/priority_high:", "amber": ":material/warning:", "good": ":material/check_circle:"}
    with st.container(border=True, key="weekly-attention"):
        st.markdown(f"**{t('weekly.attention')}**")
        alert(text, icon=icon[level])
        if items.is_empty():
            return
        st.markdown("\n".join(attention_views.lines(items, lookups.rep_names())))
        st.caption(t("attention.caption", red=fmt_pct(cfg.target_red_below), amber=fmt_pct(cfg.target_amber_below)))
        rows = {r["rank"]: r for r in items.iter_rows(named=True)}
        picked = url.choice(st.pills, "item", t("attention.drill"), list(rows),
                            format_func=lambda r: attention_views.drill_label(rows[r]),
                            key=f"weekly.attention.{week.label}", help=t("attention.drill_help"))
        if picked is not None:
            behind(store, week, chosen, rows[picked])


def month_headline(store: Store) -> None:
    """The monthly review's first block: its targets judged by pace (engine.attention.rank_targets),
    most urgent first, and the leads or deals behind a picked target."""
    cfg = store.cfg
    items = calls.cached(attention.month_attention)
    if items.is_empty():
        return
    month = store.default_as_of.strftime(t("monthly.fmt.month"))
    level, text = attention_views.month_verdict(items, month, cfg.target_amber_below)
    alert = {"red": st.error, "amber": st.warning, "good": st.success}[level]
    icon = {"red": ":material/priority_high:", "amber": ":material/warning:", "good": ":material/check_circle:"}
    with st.container(border=True, key="monthly-attention"):
        st.markdown(f"**{t('month_attention.title')}**")
        alert(text, icon=icon[level])
        st.markdown("\n".join(attention_views.month_lines(items)))
        st.caption(t("month_attention.caption", red=fmt_pct(cfg.target_red_below),
                     amber=fmt_pct(cfg.target_amber_below)))
        rows = {r["rank"]: r for r in items.iter_rows(named=True)}
        picked = url.choice(st.pills, "item", t("month_attention.drill"), list(rows),
                            format_func=lambda r: attention_views.month_drill_label(rows[r]),
                            key="monthly.attention", help=t("month_attention.drill_help"))
        if picked is not None:
            item = rows[picked]
            target_leads(store, item["metric"], item["period_start"], item["period_end"],
                         f"monthly.attention.{picked}")


def target_leads(store: Store, metric: str, start, end, key: str) -> None:
    """The leads (or deals) a company-wide target counts in its period, from the engine's drill-down
    (targets are company-wide: target_actuals.sql, so no lead filters)."""
    cfg = store.cfg
    role = monthly_views.TARGET_MEASURES.get(metric)
    measure = cfg.main_stages[0] if role == 0 else getattr(cfg, role) if role else metric
    if measure not in cfg.main_stages and measure not in drilldown.DEAL_MEASURES:
        return
    period = drilldown.day_bounds(start, end)
    widgets.leads_table(calls.cached(drilldown.measure_leads, measure, *period, Filters(), store.default_as_of), key,
                        t("monthly.behind_target", metric=monthly_views.metric_label(metric), start=start, end=end))


def behind(store: Store, week: Week, chosen: Filters, item: dict) -> None:
    """The leads (or deals) behind one headline item, from the same engine functions that counted it."""
    start, end = week.bounds_utc(store.cfg.timezone)
    key, what = f"weekly.attention.{item['rank']}", attention_views.subject(item)
    if item["kind"] in ("breaches", "stalled"):
        frame = calls.cached(weekly.breaches_of_week if item["kind"] == "breaches" else weekly.newly_stalled,
                             week, chosen)
        st.caption(t("weekly.behind", what=what, week=week.label))
        action_lists.lead_list(frame, f"attention_{item['kind']}_{week.label}", key)
        return
    if item["kind"] == "conversion":
        drops = calls.cached(weekly.conversion_drops, week, chosen)
        row = drops.filter((pl.col("from_stage") == item["subject"]) & (pl.col("to_stage") == item["to_subject"]))
        row = row.row(0, named=True)
        cohort = Week.parse(row["cohort_week"])
        widgets.leads_table(drilldown.drop_leads(store, row, *cohort.bounds_utc(store.cfg.timezone), chosen), key,
                            t("weekly.behind", what=what, week=cohort.label))
        return
    widgets.leads_table(calls.cached(drilldown.measure_leads, item["subject"], start, end, chosen), key,
                        t("weekly.behind", what=what, week=week.label))


def stats_table(shown: pl.DataFrame) -> None:
    """The statistics behind a section's verdicts (inside its expander): a small static table."""
    st.table(shown.rename({c: t(f"weekly.col.{c}") for c in shown.columns}).to_arrow(), hide_index=True)


def notice() -> None:
    """Say what the last callback did (it ran before this rerun)."""
    if NOTICE in st.session_state:
        key, values, icon = st.session_state.pop(NOTICE)
        st.toast(t(key, **values), icon=icon)


def snapshot(meetings: MeetingStore, which: Week, this_week: bool, chosen: Filters, store: Store) -> None:
    """The figures frozen at the meeting of `which` (for these lead filters) against today's."""
    frozen = meetings.latest("weekly", which.label, url.filters_text(chosen))
    st.markdown(t("weekly.snapshot_this" if this_week else "weekly.snapshot_last", week=which.label))
    if frozen is None:
        st.caption(t("weekly.snapshot_none"))
        return
    compared = weekly_views.snapshot_compare(compare(frozen.figures, week_figures(which, chosen)), measures(store.cfg))
    changed = compared.filter(pl.col("is_restated"))
    st.caption(t("weekly.snapshot_meta", at=fmt_datetime(frozen.frozen_at), version=frozen.data_version[:8],
                 as_of=fmt_datetime(frozen.as_of))
               + (" " + t("weekly.snapshot_reimported", version=store.data_version[:8])
                  if frozen.data_version != store.data_version else ""))
    if changed.is_empty():
        st.success(t("weekly.snapshot_same"), icon=":material/lock:")
    else:
        st.warning(t("weekly.snapshot_restated", n=changed.height), icon=":material/history:")
    widgets.pick(compared, f"snapshot_{which.label}", f"weekly.snapshot.{which.label}",
                 shown=weekly_views.snapshot_shown(compared),
                 labels={c: t(f"weekly.col.{c}") for c in ("measure", "frozen", "current", "restated")})


def freeze_button(meetings: MeetingStore, week: Week, chosen: Filters, store: Store) -> None:
    """Freeze the week's figures, for these lead filters, in the meeting database."""
    def freeze() -> None:  # a callback: it runs before the rerun, so the click is never lost
        meetings.freeze("weekly", week.label, week_figures(week, chosen), store.data_version, store.default_as_of,
                        url.filters_text(chosen))
        st.session_state[NOTICE] = ("weekly.frozen", {"week": week.label}, ":material/lock:")

    st.button(t("weekly.freeze"), icon=":material/lock:", type="primary", key="weekly.freeze",
              help=t("weekly.freeze_help"), on_click=freeze)


def action_list(meetings: MeetingStore, week: Week, listed: pl.DataFrame) -> None:
    """The items the week lists (actions.as_of); a changed status is saved at once, in this week's meeting."""
    if listed.is_empty():
        st.caption(t("weekly.no_actions"))
        return
    count = actions.counts(listed)
    st.markdown(t("weekly.actions_count", n=count["n"], carried=count["carried"], overdue=count["overdue"]))
    editor_key = f"weekly.actions.{st.session_state.get('weekly.actions_round', 0)}"
    columns = listed.select("week", "owner", "description", "due_date", "metric", "lead_id", "status")
    shown = labels_views.relabel(labels_views.relabel(columns, "metric", topic_label),
                       "lead_id", lambda lead: url.link_url("journey", lead=lead) if lead else None)

    def save_statuses() -> None:
        for row, change in st.session_state[editor_key]["edited_rows"].items():
            if "status" in change:
                meetings.set_status(listed["action_id"][int(row)], change["status"], week=week.label)
        st.session_state["weekly.actions_round"] = st.session_state.get("weekly.actions_round", 0) + 1

    cc = st.column_config
    st.data_editor(shown, key=editor_key, hide_index=True, on_change=save_statuses, placeholder="—",
                   disabled=list(shown.columns[:-1]),
                   column_config={
                       "week": cc.TextColumn(t("weekly.col.week")), "owner": cc.TextColumn(t("weekly.col.owner")),
                       "description": cc.TextColumn(t("weekly.col.description"), width="large"),
                       "due_date": cc.DateColumn(t("weekly.col.due_date"), format="YYYY-MM-DD"),
                       "metric": cc.TextColumn(t("weekly.col.metric")),
                       "lead_id": cc.LinkColumn(t("weekly.col.lead_id"), display_text=r"lead=([^&]+)"),
                       "status": cc.SelectboxColumn(t("weekly.col.status"), options=list(STATUSES), required=True,
                                                    format_func=lambda s: t(f"weekly.status.{s}"))})
    st.caption(t("weekly.actions_caption"))


def action_form(meetings: MeetingStore, week: Week, topics: list[str], expanded: bool) -> None:
    """The form that adds an item to the week (owner, what, due, topic, lead)."""
    def add_item() -> None:
        """The form's callback: store the item, or say what is missing and keep what was typed."""
        form = st.session_state
        lead_id = (form.get("weekly.form.lead") or "").strip()
        if lead_id and calls.cached(journey.lead_card, lead_id) is None:
            form[FORM_ERROR] = ("weekly.form.unknown_lead", {"lead": lead_id})
            return
        try:
            meetings.add_action(week.label, form.get("weekly.form.owner") or "", form.get("weekly.form.what") or "",
                                form.get(f"weekly.form.due.{week.label}"), form.get("weekly.form.metric"),
                                lead_id or None)
        except MeetingError:
            form[FORM_ERROR] = ("weekly.form.missing", {})
            return
        for key, empty in (("weekly.form.owner", None), ("weekly.form.what", ""), ("weekly.form.metric", None),
                           ("weekly.form.lead", "")):
            form[key] = empty
        form[NOTICE] = ("weekly.form.added", {}, ":material/task_alt:")

    with st.expander(t("weekly.add_action"), icon=":material/add_task:", expanded=expanded):
        owners = sorted({*lookups.rep_names().values(), *meetings.actions()["owner"].to_list()})
        with st.form("weekly.action_form", border=False):
            who, due = st.columns([2, 1])
            who.selectbox(t("weekly.form.owner"), owners, index=None, accept_new_options=True,
                          placeholder=t("weekly.form.owner_placeholder"), key="weekly.form.owner")
            due.date_input(t("weekly.form.due"), value=week.sunday + timedelta(days=7), format="YYYY-MM-DD",
                           key=f"weekly.form.due.{week.label}")  # a week's own default: the Sunday after it
            st.text_area(t("weekly.form.what"), key="weekly.form.what", height=80,
                         placeholder=t("weekly.form.what_placeholder"))
            topic, lead = st.columns(2)
            topic.selectbox(t("weekly.form.metric"), topics, index=None, format_func=topic_label,
                            placeholder=t("weekly.form.none"), key="weekly.form.metric")
            lead.text_input(t("weekly.form.lead"), key="weekly.form.lead", placeholder="L00042")
            st.form_submit_button(t("weekly.form.submit"), icon=":material/add:", type="primary", on_click=add_item)
        if FORM_ERROR in st.session_state:
            key, values = st.session_state.pop(FORM_ERROR)
            st.error(t(key, **values), icon=":material/error:")


def week_figures(week: Week, chosen: Filters) -> pl.DataFrame:
    """measure, value of a week: what a snapshot freezes and compares."""
    return calls.cached(weekly.week_summary, week, chosen).select("measure", "value")
