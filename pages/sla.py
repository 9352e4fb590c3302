"""SLA scorecard: both promises of the hand-off on one page — marketing's (leads sales accepts, in
the agreed volume) beside sales' (follow-up, decision, recycling on time) — the breach list for the
weekly meeting, and the stalled leads each owner should act on."""
import streamlit as st

from analytics.engine.metrics import MissingData
from analytics.i18n.messages import dimension_label, t
from analytics.ui import cache
from analytics.views import handoff as handoff_views
from analytics.views import labels as labels_views
from analytics.views import targets as targets_views

cache.ensure_frame()

store = cache.get_store()
cfg, chosen = store.cfg, cache.filters()
when = cache.period_text(chosen.start, chosen.end)
limits = {"follow_up": cfg.follow_up_hours, "decision": cfg.decision_hours, "recycle": cfg.recycle_days}


def scorecard(by: str | None, measure: str):
    """The engine's scorecard, or the sentence naming the file it needs."""
    try:
        return cache.call("handoff", "sla", by=by, measure=measure, filters=chosen)
    except MissingData as err:
        return labels_views.needs_text([err.table])


st.title(t("sla.title"))
st.caption(t("sla.intro", **when))
marketing, sales = st.columns([4, 5], gap="large")
with marketing:
    st.subheader(t("sla.marketing"))
    targets = cache.call("revenue", "targets")
    tiles = [handoff_views.acceptance_tile(cache.call("handoff", "quality", by=None, filters=chosen)),
             *targets_views.target_tiles(targets_views.current_targets(targets, store.default_as_of), ["mqls"])]
    for column, tile in zip(st.columns(2), tiles, strict=False):
        column.metric(**tile, border=True)
    if targets.filter(targets["metric"] == "mqls").is_empty():
        st.info(labels_views.needs_text(["targets"]), icon=":material/info:")
    else:
        cache.chart(targets_views.target_chart(targets, "mqls"), t("sla.mqls_caption"), key="sla.mqls")
with sales:
    st.subheader(t("sla.sales"))
    overall = {m: scorecard(None, m) for m in limits}
    tiles = handoff_views.sla_tiles({m: None if isinstance(f, str) else f for m, f in overall.items()}, limits)
    for column, tile in zip(st.columns(3), tiles, strict=True):
        column.metric(**tile, border=True)
    teams = {m: f for m in limits if not isinstance(f := scorecard("team", m), str)}
    if any(not f.is_empty() for f in teams.values()):
        cache.chart(handoff_views.sla_overview_chart(teams, "team"), t("sla.team_caption", **when), key="sla.teams")

st.subheader(t("sla.scorecard"))
by = st.segmented_control(t("sla.by"), ["owner_id", "team"], default="owner_id", key="sla.by",
                          format_func=dimension_label) or "owner_id"
# one promise at a time: the page builds only the scorecard that is looked at
measure = st.segmented_control(t("sla.measure"), list(limits), default="follow_up", key="sla.measure",
                               format_func=lambda m: t(f"sla.tab.{m}")) or "follow_up"
frame = scorecard(by, measure)
if isinstance(frame, str):
    st.info(frame, icon=":material/info:")
elif frame.is_empty() or not frame["judged"].sum():
    cache.info("sla.nothing_judged", **when)
else:
    cache.chart(handoff_views.sla_chart(frame, by, measure, limits[measure], cfg.low_volume_n,
                                 label=cache.segment_label(by)),
                t(f"sla.caption.{measure}", limit=f"{limits[measure]:g}", n=cfg.low_volume_n, **when),
                key=f"sla.chart.{measure}")
    cache.table(frame, f"sla_{measure}_by_{by}")

st.subheader(t("sla.breaches"))
breaches = cache.with_owner_names(cache.call("handoff", "breaches", filters=chosen))
if labels_views.missing(cache.tables_present(), "activities"):  # without activities every lead looks un-followed
    breaches = breaches.filter(breaches["sla"] != "follow_up")
if breaches.is_empty():
    cache.info("sla.no_breaches", **when)
else:
    st.markdown(handoff_views.breaches_text(breaches))
    cache.table(breaches, "sla_breaches")
    st.caption(t("sla.breaches_caption", **when))

st.subheader(t("sla.stalled"))
stalled = cache.call("handoff", "stalled_by_owner", filters=chosen)
stalled = stalled.filter(stalled["stage"].is_in(cache.sales_stages(cfg)))
if stalled.is_empty():
    cache.info("velocity.no_stalled", **when)
else:
    cache.chart(handoff_views.stalled_heatmap(stalled, cfg.main_stages, label=cache.rep_label),
                t("sla.stalled_caption", **when), key="sla.stalled")
    cache.table(cache.with_owner_names(stalled), "stalled_by_owner")
