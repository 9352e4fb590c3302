"""Velocity & stalled leads: how long leads sit in each stage, how that moves month by month, the
end-to-end durations, and the leads that are stuck now."""
import streamlit as st

from analytics.engine import attention, drilldown, metrics
from analytics.i18n.messages import fmt_int, stage_label, t
from analytics.ui import action_lists, calls, lookups, state, url, widgets
from analytics.ui.store import get_store
from analytics.views import tiles
from analytics.views import velocity as velocity_views

state.ensure_frame()

store = get_store()
chosen = state.filters()
when = state.period_text(chosen.start, chosen.end)

st.title(t("velocity.title"))

st.subheader(t("velocity.distribution"))
stays = calls.cached(metrics.velocity, filters=chosen)
if stays.is_empty():
    widgets.info("velocity.no_stays")
else:
    widgets.chart(velocity_views.stage_box_chart(stays), t("velocity.box_caption", **when), key="velocity.box")
    row = widgets.pick_breakdown(stays, "velocity", "velocity.stages")
    if row:
        widgets.leads_table(calls.cached(drilldown.stage_stays, row["stage"], filters=chosen), "velocity.stages",
                            t("drill.behind.stays", n=fmt_int(row["n"]), stage=stage_label(row["stage"]), **when))

st.subheader(t("velocity.trend"))
longer = state.trend_filters(chosen)
trend = calls.cached(metrics.velocity_trend, filters=longer)
if trend.is_empty():
    widgets.info("velocity.no_stays")
else:
    widgets.chart(velocity_views.trend_chart(trend, store.cfg.low_volume_n),
                  t("velocity.trend_caption", n=store.cfg.low_volume_n, **state.period_text(longer.start, longer.end)),
                  key="velocity.trend")

st.subheader(t("velocity.cycle"))
cycle = tiles.cycle_tiles(calls.cached(metrics.cycle, filters=chosen))
if not cycle:
    widgets.info("velocity.no_cycle")
else:
    for column, tile in zip(st.columns(4), cycle, strict=False):
        column.metric(**tile, border=True)
    st.caption(t("velocity.cycle_caption", **when))

st.subheader(t("velocity.stalled"))
stuck = calls.stalled(chosen)
if stuck.is_empty():
    widgets.info("velocity.no_stalled", **when)
else:
    present = [s for s in store.cfg.main_stages if s in set(stuck["stage"])]
    owned = [s for s in present if s in lookups.sales_stages(store.cfg)] or present  # default: handed-off leads
    picked = url.choice(st.pills, "stages", t("velocity.stalled_stages"), present, selection_mode="multi",
                        default=owned, multi=True, format_func=stage_label, key="stalled.stages",
                        help=t("velocity.stalled_stages_help"))
    everywhere = stuck.height
    stuck = attention.salvageable_first(calls.stalled(chosen, tuple(picked)))  # the most recently stalled first
    st.markdown(t("velocity.stalled_count", count=fmt_int(stuck.height), total=fmt_int(everywhere), **when))
    if not stuck.is_empty():
        widgets.chart(velocity_views.stalled_by_owner_chart(stuck, store.cfg.main_stages),
                      t("velocity.stalled_caption", **when), key="velocity.stalled")
        st.caption(t("velocity.stalled_order"))
        action_lists.lead_list(stuck, "stalled", "velocity.stalled_list")
