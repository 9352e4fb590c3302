"""Velocity & stalled leads: how long leads sit in each stage, how that moves month by month, the
end-to-end durations, and the leads that are stuck now."""
import streamlit as st

from analytics.i18n.messages import fmt_int, stage_label, t
from analytics.ui import cache
from analytics.views import velocity as velocity_views

cache.ensure_frame()

store = cache.get_store()
chosen = cache.filters()
when = cache.period_text(chosen.start, chosen.end)

st.title(t("velocity.title"))

st.subheader(t("velocity.distribution"))
stays = cache.velocity(chosen)
if stays.is_empty():
    cache.info("velocity.no_stays")
else:
    cache.chart(velocity_views.stage_box_chart(stays), t("velocity.box_caption", **when), key="velocity.box")
    cache.table(stays, "velocity")

st.subheader(t("velocity.trend"))
longer = cache.trend_filters(chosen)
trend = cache.velocity_trend(longer)
if trend.is_empty():
    cache.info("velocity.no_stays")
else:
    cache.chart(velocity_views.trend_chart(trend, store.cfg.low_volume_n),
                t("velocity.trend_caption", n=store.cfg.low_volume_n, **cache.period_text(longer.start, longer.end)),
                key="velocity.trend")

st.subheader(t("velocity.cycle"))
tiles = cache.cycle_tiles(cache.cycle(chosen))
if not tiles:
    cache.info("velocity.no_cycle")
else:
    for column, tile in zip(st.columns(4), tiles, strict=False):
        column.metric(**tile, border=True)
    st.caption(t("velocity.cycle_caption", **when))

st.subheader(t("velocity.stalled"))
stuck = cache.stalled(chosen)
if stuck.is_empty():
    cache.info("velocity.no_stalled", **when)
else:
    present = [s for s in store.cfg.main_stages if s in set(stuck["stage"])]
    owned = [s for s in present if s in cache.sales_stages(store.cfg)] or present  # default: handed-off leads
    picked = st.pills(t("velocity.stalled_stages"), present, selection_mode="multi", default=owned,
                      format_func=stage_label, key="stalled.stages", help=t("velocity.stalled_stages_help"))
    everywhere = stuck.height
    stuck = cache.stalled(chosen, tuple(picked))
    st.markdown(t("velocity.stalled_count", count=fmt_int(stuck.height), total=fmt_int(everywhere), **when))
    if not stuck.is_empty():
        cache.chart(velocity_views.stalled_by_owner_chart(stuck, store.cfg.main_stages),
                    t("velocity.stalled_caption", **when), key="velocity.stalled")
        cache.table(stuck, "stalled")
