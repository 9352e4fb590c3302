"""Overview: the period's headline figures vs the period before, the funnel of its new leads, and
its flow of stage entries."""
import streamlit as st

from analytics.i18n.messages import t
from analytics.ui import cache
from analytics.views import funnel as funnel_views

cache.ensure_frame()

store = cache.get_store()
low_volume_n = store.cfg.low_volume_n
chosen = cache.filters()
when = cache.period_text(chosen.start, chosen.end)

st.title(t("overview.title"))
st.caption(t("overview.intro"))

tiles = cache.headline(chosen)
for row in (tiles[:4], tiles[4:]):
    for column, tile in zip(st.columns(4), row, strict=True):
        column.metric(**tile, border=True)
st.caption(cache.compare_text(chosen))

funnel = cache.funnel(chosen)
cache.low_volume_note(funnel)
left, right = st.columns(2, gap="large")
with left:
    st.subheader(t("overview.funnel"))
    if funnel.is_empty():
        cache.info("empty.no_leads", **when)
    else:
        cache.chart(funnel_views.funnel_chart(funnel, low_volume_n, compact=True),
                    t("funnel.caption", n=low_volume_n, **when), key="overview.funnel")
with right:
    grain = cache.overview_grain(chosen)
    st.subheader(t("overview.flow" if grain == "week" else "overview.flow_month"))
    flow = cache.flow(chosen, grain)
    if flow.is_empty():
        cache.info("empty.no_leads", **when)
    else:
        cache.chart(funnel_views.flow_chart(flow, grain, chosen.start, chosen.end, store.default_as_of, height=320),
                    t("funnel.flow_caption", grain=t(f"grain.{grain}").lower(), **when), key="overview.flow")
