"""Weekly review: the joint marketing & sales meeting's quick triage of one ISO week — what moved
(judged against normal week-to-week noise), conversion drops (young cohorts marked immature), SLA
breaches, newly stalled leads, the figures frozen at the meeting and what changed since, the action
items, and the review pack."""
from datetime import timedelta
from pathlib import Path

import polars as pl
import streamlit as st

from analytics.engine import journey, weekly, winloss
from analytics.engine.weekly import Week
from analytics.i18n.messages import (
    fmt_change,
    fmt_date,
    fmt_datetime,
    fmt_int,
    has,
    language,
    set_language,
    stage_label,
    t,
)
from analytics.outputs import pack
from analytics.store.meetings import STATUSES, MeetingError, MeetingStore, compare
from analytics.ui import calls, lookups, state, url, widgets
from analytics.ui.store import get_store
from analytics.views import charts_review as cr

state.ensure_frame()

store = get_store()
cfg = store.cfg
chosen = state.lead_filters(state.filters())  # the period does not apply: the week is the period
meetings = MeetingStore()
MEASURES = [*cfg.main_stages, "pipeline_amount", "won_amount"]
TILES = [cfg.main_stages[0], cfg.handoff_stage, cfg.qualified_stage, cfg.opportunity_stage, "won_amount"]
TOPICS = [*MEASURES, "sla_breaches", "newly_stalled", "conversion"]
NOTICE, FORM_ERROR = "weekly.notice", "weekly.form_error"  # what a callback has to say after the rerun


def topic_label(topic: str | None) -> str:
    if not topic:
        return "—"
    return t(f"weekly.topic.{topic}") if topic in ("sla_breaches", "newly_stalled", "conversion") \
        else cr.measure_label(topic)


# --- which week ---------------------------------------------------------------------------------
latest = calls.cached(weekly.last_complete_week)
oldest = Week.of(store.first_lead_at.date()) if store.first_lead_at else latest.shift(-52)
weeks = [latest.shift(-i) for i in range(max((latest.monday - oldest.monday).days // 7 + 1, 1))]


def known_week(text: str) -> Week:
    week = Week.parse(text)
    if week not in weeks:
        raise ValueError(text)
    return week


url.from_url("week", "weekly.week", parse=known_week)
head, picker = st.columns([3, 1], vertical_alignment="bottom")
week = picker.selectbox(t("weekly.week"), weeks, format_func=cr.week_option, key="weekly.week",
                        help=t("weekly.week_help"))
url.to_url(week=week.label)
if NOTICE in st.session_state:
    key, values, icon = st.session_state.pop(NOTICE)
    st.toast(t(key, **values), icon=icon)
start, end = week.bounds_utc(cfg.timezone)
head.title(t("weekly.title", week=week.label))
st.caption(t("weekly.intro", start=fmt_date(week.monday), end=fmt_date(week.sunday),
             as_of=fmt_datetime(store.default_as_of),
             scope=url.filters_text(chosen) or t("weekly.all_leads")))


def tables(measure: str | None = None) -> dict[str, pl.DataFrame]:
    """The lead-grain tables a drill-down list reads (the deals only for a money or deal figure)."""
    out = {"lead_stages": lookups.drill_table("lead_stages"), "leads": lookups.drill_table("leads")}
    return {**out, "deals": calls.cached(winloss.deals, chosen)} if measure in cr.DEAL_MEASURES else out


# the meeting's open items (this week's, and earlier weeks' not yet done): listed at the end, counted here
items = meetings.actions()
items = items.filter((pl.col("week") == week.label)
                     | ((pl.col("week") < week.label) & pl.col("status").is_in(["open", "in progress"])))
still_open = items.filter(pl.col("status").is_in(["open", "in progress"]))

# --- what moved ---------------------------------------------------------------------------------
summary = calls.cached(weekly.week_summary, week, chosen)
moved = cr.moved_table(summary, MEASURES)
rows = {r["measure"]: r for r in moved.to_dicts()}
for column, measure in zip(st.columns(len(TILES)), TILES, strict=True):
    r = rows[measure]
    column.metric(cr.measure_label(measure) + (" ⚠" if r["is_unusual"] else ""), cr.fmt_measure(measure, r["value"]),
                  delta=fmt_change(r["value"], r["previous"], "money" if measure in cr.MONEY else "count"),
                  help=t("weekly.tile_help", previous=cr.fmt_measure(measure, r["previous"]),
                         avg=cr.fmt_measure(measure, r["avg_4w"], average=True),
                         target="—" if r["target"] is None else cr.fmt_measure(measure, r["target"], average=True)),
                  delta_color="normal" if r["is_unusual"] else "off", border=True)
unusual = moved.filter(pl.col("is_unusual"))
if not still_open.is_empty():
    st.markdown(t("weekly.open_items", n=still_open.height,
                  overdue=still_open.filter(pl.col("due_date") < week.sunday).height))
if unusual.is_empty():
    st.success(t("weekly.nothing_unusual"), icon=":material/check_circle:")
else:
    st.warning(t("weekly.unusual", items="; ".join(
        f"**{cr.measure_label(r['measure'])}** {cr.fmt_measure(r['measure'], r['value'])} "
        f"({cr.signal(r).lower()}, "
        f"{t('weekly.vs_avg_short', avg=cr.fmt_measure(r['measure'], r['avg_4w'], average=True))})"
        for r in unusual.to_dicts())), icon=":material/warning:")

st.subheader(t("weekly.moved"))
widgets.chart(cr.moved_chart(moved), t("weekly.moved_caption"), key="weekly.moved_chart")
shown = cr.moved_shown(moved)
picked = widgets.pick(moved, f"what_moved_{week.label}", f"weekly.moved.{week.label}", shown=shown,
                      labels={c: t(f"weekly.col.{c}") for c in shown.columns})
if picked:
    widgets.leads_table(cr.measure_leads(tables(picked["measure"]), picked["measure"], start, end, chosen,
                                         store.default_as_of),
                        "weekly.moved", t("weekly.behind", what=cr.measure_label(picked["measure"]), week=week.label))
else:
    st.caption(t("weekly.pick_hint"))

# --- snapshots ----------------------------------------------------------------------------------
st.subheader(t("weekly.snapshot"))
scope = url.filters_text(chosen)
current = summary.select("measure", "value")
this_left, last_right = st.columns(2, gap="large")
for column, which, figures in ((this_left, week, current), (last_right, week.shift(-1), None)):
    with column:
        frozen = meetings.latest("weekly", which.label, scope)
        st.markdown(t("weekly.snapshot_this" if which == week else "weekly.snapshot_last", week=which.label))
        if frozen is None:
            st.caption(t("weekly.snapshot_none"))
            continue
        if figures is None:
            figures = calls.cached(weekly.week_summary, which, chosen).select("measure", "value")
        compared = cr.snapshot_compare(compare(frozen.figures, figures), MEASURES)
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
                     shown=cr.snapshot_shown(compared),
                     labels={c: t(f"weekly.col.{c}") for c in ("measure", "frozen", "current", "restated")})


def freeze() -> None:  # a callback: it runs before the rerun, so the click is never lost
    meetings.freeze("weekly", week.label, current, store.data_version, store.default_as_of, scope)
    st.session_state[NOTICE] = ("weekly.frozen", {"week": week.label}, ":material/lock:")


st.button(t("weekly.freeze"), icon=":material/lock:", type="primary", key="weekly.freeze", help=t("weekly.freeze_help"),
          on_click=freeze)

# --- conversion ---------------------------------------------------------------------------------
st.subheader(t("weekly.conversion"))
drops = cr.drops_table(calls.cached(weekly.conversion_drops, week, chosen))
if drops.is_empty():
    widgets.info("weekly.no_conversion")
else:
    dropped = drops.filter(pl.col("is_drop"))
    if not dropped.is_empty():
        st.error(t("weekly.dropped", pairs=", ".join(f"{stage_label(a)} → {stage_label(b)}" for a, b in
                                                     zip(dropped["from_stage"], dropped["to_stage"], strict=True))),
                 icon=":material/trending_down:")
    if drops["is_immature"].any():
        st.info(t("weekly.immature_note", week=week.label), icon=":material/hourglass_top:")
    if drops["rate"].is_not_null().any():
        widgets.chart(cr.drops_chart(drops), t("weekly.conversion_caption"), key="weekly.drops_chart")
    shown = cr.drops_shown(drops, week.label)
    picked = widgets.pick(drops, f"conversion_{week.label}", f"weekly.drops.{week.label}", shown=shown,
                          labels={c: t(f"weekly.col.{c}") for c in shown.columns})
    if picked and picked["cohort_week"]:
        cohort = Week.parse(picked["cohort_week"])
        widgets.leads_table(cr.drop_leads(tables(), picked, *cohort.bounds_utc(cfg.timezone), chosen,
                                          store.default_as_of), "weekly.drops",
                            t("weekly.behind_cohort", stage=stage_label(picked["from_stage"]), week=cohort.label,
                              to=stage_label(picked["to_stage"]), days=picked["window_days"]))

# --- SLA breaches and newly stalled leads -------------------------------------------------------
st.subheader(t("weekly.breaches"))
if "activities" not in lookups.tables_present():
    widgets.info("weekly.needs_activities")
else:
    breaches = calls.cached(weekly.breaches_of_week, week, chosen)
    if breaches.is_empty():
        st.success(t("weekly.no_breaches", week=week.label), icon=":material/check_circle:")
    else:
        breaches = lookups.with_owner_names(breaches)
        shown = cr.relabel(breaches, "sla", lambda sla: t(f"weekly.sla.{sla}") if has(f"weekly.sla.{sla}") else sla)
        st.markdown(t("weekly.breaches_count", n=fmt_int(breaches.height),
                      leads=fmt_int(breaches["lead_id"].n_unique())))
        picked = widgets.pick(breaches, f"breaches_{week.label}", f"weekly.breaches.{week.label}",
                              shown=shown.with_columns(pl.col("hours_late").round(1)),
                              labels={"sla": t("weekly.col.sla"), "hours_late": t("weekly.col.hours_late"),
                                      "handoff_at": t("weekly.col.handoff_at")})
        if picked:
            st.page_link("pages/journey.py", label=t("journey.open", lead=picked["lead_id"]),
                         icon=":material/timeline:", query_params=url.link_params(lead=picked["lead_id"]))

st.subheader(t("weekly.stalled"))
stalled = calls.cached(weekly.newly_stalled, week, chosen)
if stalled.is_empty():
    st.success(t("weekly.no_stalled", week=week.label), icon=":material/check_circle:")
else:
    stalled = lookups.with_owner_names(stalled.select("lead_id", "stage", "owner_id", "source", "entered_at",
                                                      "days_in_stage", "threshold_days", "days_over"))
    by_stage = stalled.group_by("stage").len()
    st.markdown(t("weekly.stalled_count", n=fmt_int(stalled.height), stages=", ".join(
        f"{stage_label(s)} {n}" for s, n in sorted(by_stage.iter_rows(), key=lambda r: cfg.main_stages.index(r[0])
                                                   if r[0] in cfg.main_stages else 99))))
    picked = widgets.pick(stalled, f"newly_stalled_{week.label}", f"weekly.stalled.{week.label}")
    if picked:
        st.page_link("pages/journey.py", label=t("journey.open", lead=picked["lead_id"]),
                     icon=":material/timeline:", query_params=url.link_params(lead=picked["lead_id"]))

# --- action items -------------------------------------------------------------------------------
st.subheader(t("weekly.actions"), anchor="actions")
if items.is_empty():
    st.caption(t("weekly.no_actions"))
else:
    carried = items.filter(pl.col("week") < week.label).height
    overdue = items.filter(pl.col("status").is_in(["open", "in progress"])
                           & (pl.col("due_date") < week.sunday)).height
    st.markdown(t("weekly.actions_count", n=items.height, carried=carried, overdue=overdue))
    editor_key = f"weekly.actions.{st.session_state.get('weekly.actions_round', 0)}"
    shown = cr.relabel(cr.relabel(items.select("week", "owner", "description", "due_date", "metric", "lead_id",
                                               "status"), "metric", topic_label),
                       "lead_id", lambda lead: url.link_url("journey", lead=lead) if lead else None)

    def save_statuses() -> None:
        for row, change in st.session_state[editor_key]["edited_rows"].items():
            if "status" in change:
                meetings.set_status(items["action_id"][int(row)], change["status"])
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


def add_item() -> None:
    """The form's callback: store the item, or say what is missing and keep what was typed."""
    form = st.session_state
    lead_id = (form.get("weekly.form.lead") or "").strip()
    if lead_id and calls.cached(journey.lead_card, lead_id) is None:
        form[FORM_ERROR] = ("weekly.form.unknown_lead", {"lead": lead_id})
        return
    try:
        meetings.add_action(week.label, form.get("weekly.form.owner") or "", form.get("weekly.form.what") or "",
                            form.get(f"weekly.form.due.{week.label}"), form.get("weekly.form.metric"), lead_id or None)
    except MeetingError:
        form[FORM_ERROR] = ("weekly.form.missing", {})
        return
    for key, empty in (("weekly.form.owner", None), ("weekly.form.what", ""), ("weekly.form.metric", None),
                       ("weekly.form.lead", "")):
        form[key] = empty
    form[NOTICE] = ("weekly.form.added", {}, ":material/task_alt:")


with st.expander(t("weekly.add_action"), icon=":material/add_task:", expanded=items.is_empty()):
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
        topic.selectbox(t("weekly.form.metric"), TOPICS, index=None, format_func=topic_label,
                        placeholder=t("weekly.form.none"), key="weekly.form.metric")
        lead.text_input(t("weekly.form.lead"), key="weekly.form.lead", placeholder="L00042")
        st.form_submit_button(t("weekly.form.submit"), icon=":material/add:", type="primary", on_click=add_item)
    if FORM_ERROR in st.session_state:
        key, values = st.session_state.pop(FORM_ERROR)
        st.error(t(key, **values), icon=":material/error:")

# --- the pack -----------------------------------------------------------------------------------
st.subheader(t("weekly.pack"))
st.caption(t("weekly.pack_caption"))
lang, label = language(), week.label


def weekly_html() -> str:
    set_language(lang)  # the download runs outside this script run: use the session's language
    return pack.build(store, "weekly", label, chosen, MeetingStore())


def weekly_pdf() -> bytes:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        return pack.write(weekly_html(), Path(tmp) / "pack.pdf").read_bytes()


buttons = st.container(horizontal=True)
buttons.download_button(t("weekly.pack_html"), data=weekly_html, file_name=f"closed-loop-weekly-{label}.html",
                        mime="text/html", on_click="ignore", icon=":material/download:", key="weekly.pack_html")
if Path("/usr/bin/chromium").exists():
    buttons.download_button(t("weekly.pack_pdf"), data=weekly_pdf, file_name=f"closed-loop-weekly-{label}.pdf",
                            mime="application/pdf", on_click="ignore", icon=":material/picture_as_pdf:",
                            key="weekly.pack_pdf")
