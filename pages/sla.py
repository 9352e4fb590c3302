"""SLA scorecard: both promises of the hand-off on one page — marketing's (leads sales accepts, in
the agreed volume) beside sales' (follow-up, decision, recycling on time) — the breach list for the
weekly meeting, and the stalled leads each owner should act on."""
import streamlit as st

from analytics.engine import attention, drilldown, handoff, revenue
from analytics.engine.base import MissingData
from analytics.i18n.messages import dimension_label, fmt_int, stage_label, t
from analytics.ui import action_lists, calls, lookups, state, url, widgets
from analytics.ui.store import get_store
from analytics.views import handoff as handoff_views
from analytics.views import labels as labels_views
from analytics.views import targets as targets_views

state.ensure_frame()

store = get_store()
cfg, chosen = store.cfg, state.filters()
when = state.period_text(chosen.start, chosen.end)
limits = {"follow_up": cfg.follow_up_hours, "decision": cfg.decision_hours, "recycle": cfg.recycle_days}


def scorecard(by: str | None, measure: str):
    """The engine's scorecard, or the sentence naming the file it needs."""
    try:
        return calls.cached(handoff.sla, by=by, measure=measure, filters=chosen)
    except MissingData as err:
        return labels_views.needs_text([err.table])


st.title(t("sla.title"))
st.caption(t("sla.intro", **when))
marketing, sales = st.columns([4, 5], gap="large")
with marketing:
    st.subheader(t("sla.marketing"))
    targets = calls.cached(revenue.targets)
    tiles = [handoff_views.acceptance_tile(calls.cached(handoff.quality, by=None, filters=chosen)),
             *targets_views.target_tiles(targets_views.current_targets(targets, store.default_as_of), ["mqls"])]
    for column, tile in zip(st.columns(2), tiles, strict=False):
        column.metric(**tile, border=True)
    if targets.filter(targets["metric"] == "mqls").is_empty():
        st.info(labels_views.needs_text(["targets"]), icon=":material/info:")
    else:
        widgets.chart(targets_views.target_chart(targets, "mqls"), t("sla.mqls_caption"), key="sla.mqls")
with sales:
    st.subheader(t("sla.sales"))
    overall = {m: scorecard(None, m) for m in limits}
    tiles = handoff_views.sla_tiles({m: None if isinstance(f, str) else f for m, f in overall.items()}, limits)
    for column, tile in zip(st.columns(3), tiles, strict=True):
        column.metric(**tile, border=True)
    teams = {m: f for m in limits if not isinstance(f := scorecard("team", m), str)}
    if any(not f.is_empty() for f in teams.values()):
        widgets.chart(handoff_views.sla_overview_chart(teams, "team"), t("sla.team_caption", **when), key="sla.teams")

st.subheader(t("sla.scorecard"))
by = url.choice(st.segmented_control, "by", t("sla.by"), ["owner_id", "team"], default="owner_id", key="sla.by",
                format_func=dimension_label) or "owner_id"
# one promise at a time: the page builds only the scorecard that is looked at
measure = url.choice(st.segmented_control, "measure", t("sla.measure"), list(limits), default="follow_up",
                     key="sla.measure", format_func=lambda m: t(f"sla.tab.{m}")) or "follow_up"
frame = scorecard(by, measure)
if isinstance(frame, str):
    st.info(frame, icon=":material/info:")
elif frame.is_empty() or not frame["judged"].sum():
    widgets.info("sla.nothing_judged", **when)
else:
    widgets.chart(handoff_views.sla_chart(frame, by, measure, limits[measure], cfg.low_volume_n,
                                   label=lookups.segment_label(by)),
                  t(f"sla.caption.{measure}", limit=f"{limits[measure]:g}", n=cfg.low_volume_n, **when),
                  key=f"sla.chart.{measure}")
    label = lookups.segment_label(by)
    row = widgets.pick_breakdown(frame, f"sla_{measure}_by_{by}", f"sla.rows.{measure}",
                                 shown=lookups.with_owner_names(frame) if by == "owner_id" else None)
    if row:
        widgets.leads_table(calls.cached(drilldown.sla_row_leads, by=by, by_value=row[by], measure=measure,
                                         filters=chosen), f"sla.rows.{measure}",
                            t("drill.behind.sla", value=label(row[by]), measure=t(f"sla.tab.{measure}"),
                              n=fmt_int(row["met"] + row["breached"] + row["not_due"]), met=fmt_int(row["met"]),
                              breached=fmt_int(row["breached"]), not_due=fmt_int(row["not_due"])))

st.subheader(t("sla.breaches"))
breaches = calls.cached(attention.breach_list, chosen)  # the latest week first, least overdue first
if labels_views.missing(lookups.tables_present(), "activities"):  # without activities every lead looks un-followed
    breaches = breaches.filter(breaches["sla"] != "follow_up")
if breaches.is_empty():
    widgets.info("sla.no_breaches", **when)
else:
    st.markdown(handoff_views.breaches_text(breaches))
    action_lists.lead_list(breaches, "sla_breaches", "sla.breaches", keep_codes=True)
    st.caption(t("sla.breaches_caption", **when))

st.subheader(t("sla.stalled"))
stalled = calls.cached(handoff.stalled_by_owner, filters=chosen)
stalled = stalled.filter(stalled["stage"].is_in(lookups.sales_stages(cfg)))
if stalled.is_empty():
    widgets.info("velocity.no_stalled", **when)
else:
    clicked = widgets.chart_pick(handoff_views.stalled_heatmap(stalled, cfg.main_stages, label=lookups.rep_label),
                                 t("sla.stalled_caption", **when), key="sla.stalled")
    cell = widgets.pick_breakdown(stalled, "stalled_by_owner", "sla.stalled_rows",
                                  shown=lookups.with_owner_names(stalled),
                                  hint="drill.cell_hint") or handoff_views.clicked_cell(stalled, clicked)
    if cell:
        widgets.leads_table(calls.cached(drilldown.stalled_leads, cell["owner_id"], cell["stage"], filters=chosen),
                            "sla.stalled_rows",
                            t("drill.behind.stalled", n=fmt_int(cell["stalled"]), stage=stage_label(cell["stage"]),
                              owner=lookups.rep_label(cell["owner_id"]), as_of=when["as_of"]))
