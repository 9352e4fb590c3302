"""Weekly review: the joint marketing & sales meeting's quick triage of one ISO week — what moved
(judged against normal week-to-week noise), conversion drops (young cohorts marked immature), SLA
breaches, newly stalled leads, the figures frozen at the meeting and what changed since, the action
items, and the review pack."""
import polars as pl
import streamlit as st

from analytics.engine import actions, attention, drilldown, weekly
from analytics.engine.weekly import Week
from analytics.i18n.messages import fmt_date, fmt_datetime, fmt_int, fmt_pct, stage_label, t
from analytics.ui import action_lists, calls, lookups, meeting, state, url, widgets
from analytics.ui import pipeline as pipeline_ui
from analytics.ui.store import get_store
from analytics.views import tiles
from analytics.views import weekly as weekly_views

state.ensure_frame()

store = get_store()
cfg = store.cfg
chosen = state.lead_filters(state.filters())  # the period does not apply: the week is the period
meetings = meeting.open_meetings()


def header() -> Week:
    head, picker = st.columns([3, 1], vertical_alignment="bottom")
    week = meeting.pick_week(store, picker)
    meeting.notice()
    head.title(t("weekly.title", week=week.label))
    st.caption(t("weekly.intro", start=fmt_date(week.monday), end=fmt_date(week.sunday),
                 as_of=fmt_datetime(store.default_as_of), scope=url.filters_text(chosen) or t("weekly.all_leads")))
    return week


def what_moved(week: Week, listed: pl.DataFrame) -> None:
    meeting.headline(store, week, chosen)
    summary = calls.cached(weekly.week_summary, week, chosen)
    moved = weekly_views.moved_table(summary, meeting.measures(cfg), attention.measure_levels(summary, cfg))
    week_tiles = tiles.week_tiles(moved, meeting.tile_measures(cfg))
    for column, tile in zip(st.columns(len(week_tiles)), week_tiles, strict=True):
        column.metric(**tile, border=True)
    count = actions.counts(listed)
    if count["open"]:
        st.markdown(t("weekly.open_items", n=count["open"], overdue=count["overdue"]))
    st.subheader(t("weekly.moved"))
    widgets.chart(weekly_views.moved_chart(moved), t("weekly.moved_caption"), key="weekly.moved_chart")
    shown = weekly_views.moved_shown(moved)
    picked = widgets.pick(moved, f"what_moved_{week.label}", f"weekly.moved.{week.label}", shown=shown,
                          labels={c: t(f"weekly.col.{c}") for c in shown.columns})
    if picked:
        widgets.leads_table(calls.cached(drilldown.measure_leads, picked["measure"],
                                                 *week.bounds_utc(cfg.timezone), chosen),
                            "weekly.moved", t("weekly.behind", what=weekly_views.measure_label(picked["measure"]),
                                              week=week.label))
    else:
        st.caption(t("weekly.pick_hint"))
    with st.expander(t("weekly.stats"), icon=":material/functions:"):
        st.caption(t("weekly.stats_noise", red=fmt_pct(cfg.target_red_below), amber=fmt_pct(cfg.target_amber_below)))
        meeting.stats_table(weekly_views.noise_shown(moved))


def pipeline_movement(week: Week) -> None:
    pipeline_ui.week_section(week.monday, week.sunday, week.label, chosen)


def snapshots(week: Week) -> None:
    st.subheader(t("weekly.snapshot"))
    for column, which in zip(st.columns(2, gap="large"), (week, week.shift(-1)), strict=True):
        with column:
            meeting.snapshot(meetings, which, which == week, chosen, store)
    meeting.freeze_button(meetings, week, chosen, store)


def conversion(week: Week) -> None:
    st.subheader(t("weekly.conversion"))
    drops = weekly_views.drops_table(calls.cached(weekly.conversion_drops, week, chosen))
    if drops.is_empty():
        widgets.info("weekly.no_conversion")
        return
    dropped = drops.filter(pl.col("is_drop"))
    if not dropped.is_empty():
        st.error(t("weekly.dropped", pairs=", ".join(f"{stage_label(a)} → {stage_label(b)}" for a, b in
                                                     zip(dropped["from_stage"], dropped["to_stage"], strict=True))),
                 icon=":material/trending_down:")
    if drops["is_immature"].any():
        st.info(t("weekly.immature_note", week=week.label), icon=":material/hourglass_top:")
    if drops["rate"].is_not_null().any():
        widgets.chart(weekly_views.drops_chart(drops), t("weekly.conversion_caption"), key="weekly.drops_chart")
    shown = weekly_views.drops_shown(drops, week.label)
    picked = widgets.pick(drops, f"conversion_{week.label}", f"weekly.drops.{week.label}", shown=shown,
                          labels={c: t(f"weekly.col.{c}") for c in shown.columns})
    if picked and picked["cohort_week"]:
        cohort = Week.parse(picked["cohort_week"])
        widgets.leads_table(drilldown.drop_leads(store, picked, *cohort.bounds_utc(cfg.timezone), chosen),
                            "weekly.drops",
                            t("weekly.behind_cohort", stage=stage_label(picked["from_stage"]), week=cohort.label,
                              to=stage_label(picked["to_stage"]), days=picked["window_days"]))
    with st.expander(t("weekly.stats"), icon=":material/functions:"):
        st.caption(t("weekly.stats_drops", n=cfg.low_volume_n))
        meeting.stats_table(weekly_views.drops_stats_shown(drops))


def breaches(week: Week) -> None:
    st.subheader(t("weekly.breaches"))
    if "activities" not in lookups.tables_present():  # follow-up cannot be judged; decisions and recycling can
        widgets.info("weekly.needs_activities")
    late = calls.cached(weekly.breaches_of_week, week, chosen)
    if late.is_empty():
        st.success(t("weekly.no_breaches", week=week.label), icon=":material/check_circle:")
        return
    st.markdown(t("weekly.breaches_count", n=fmt_int(late.height), leads=fmt_int(late["lead_id"].n_unique())))
    st.caption(t("weekly.breaches_order"))
    action_lists.lead_list(late.select("lead_id", "owner_id", "sla", "hours_late", "handoff_at", "team", "source"),
                           f"breaches_{week.label}", f"weekly.breaches.{week.label}",
                           labels={c: t(f"weekly.col.{c}") for c in ("owner_name", "sla", "hours_late", "handoff_at")})


def newly_stalled(week: Week) -> None:
    st.subheader(t("weekly.stalled"))
    stalled = calls.cached(weekly.newly_stalled, week, chosen)
    if stalled.is_empty():
        st.success(t("weekly.no_stalled", week=week.label), icon=":material/check_circle:")
        return
    st.markdown(tiles.stalled_text(stalled, cfg.main_stages))
    st.caption(t("weekly.stalled_order"))
    action_lists.lead_list(stalled.select("lead_id", "owner_id", "stage", "days_over", "days_in_stage",
                                          "threshold_days", "entered_at", "source"),
                           f"newly_stalled_{week.label}", f"weekly.stalled.{week.label}",
                           labels={c: t(f"weekly.col.{c}") for c in ("owner_name", "stage", "days_over")})


def action_items(week: Week, listed: pl.DataFrame) -> None:
    st.subheader(t("weekly.actions"), anchor="actions")
    meeting.action_list(meetings, week, listed)
    meeting.action_form(meetings, week, [*meeting.measures(cfg), *meeting.SECTIONS], expanded=listed.is_empty())


def review_pack(week: Week) -> None:
    st.subheader(t("weekly.pack"))
    st.caption(t("weekly.pack_caption"))
    widgets.pack_downloads("weekly", week.label, chosen, f"closed-loop-weekly-{week.label}")


week = header()
listed = actions.as_of(meetings.actions(), week)  # the items the week's meeting lists: counted here, shown below
what_moved(week, listed)
snapshots(week)
conversion(week)
breaches(week)
newly_stalled(week)
pipeline_movement(week)
action_items(week, listed)
review_pack(week)
