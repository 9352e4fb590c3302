"""Overview: the period's headline figures vs the period before, the funnel of its new leads, and
its flow of stage entries."""
import streamlit as st

from analytics.engine import metrics
from analytics.i18n.messages import t
from analytics.ui import calls, lookups, state, widgets
from analytics.ui.store import get_store
from analytics.views import funnel as funnel_views
from analytics.views import tiles

state.ensure_frame()

store = get_store()
low_volume_n = store.cfg.low_volume_n
chosen = state.filters()
when = state.period_text(chosen.start, chosen.end)

st.title(t("overview.title"))
st.caption(t("overview.intro"))

before = metrics.previous_period(chosen.start, chosen.end)
now = calls.cached(metrics.kpis, filters=chosen, start=chosen.start, end=chosen.end)
headline = tiles.headline(now,
                          calls.cached(metrics.kpis, filters=chosen, start=before[0], end=before[1]),
                          store.cfg, "opportunities" in lookups.tables_present())
for row in (headline[:4], headline[4:]):
    for column, tile in zip(st.columns(4), row, strict=True):
        column.metric(**tile, border=True)
st.caption(state.compare_text(chosen))

funnel = calls.cached(metrics.funnel, filters=chosen)
widgets.low_volume_note(funnel)
if not funnel.is_empty():  # two honest counts of one stage: say which is which, and which to quote
    st.info(funnel_views.which_to_quote(now, funnel, store.cfg.handoff_stage), icon=":material/info:")
left, right = st.columns(2, gap="large")
with left:
    st.subheader(t("overview.funnel_cohort"))
    if funnel.is_empty():
        widgets.info("empty.no_leads", **when)
    else:
        widgets.chart(funnel_views.funnel_chart(funnel, low_volume_n, compact=True),
                      t("funnel.caption", n=low_volume_n, **when), key="overview.funnel")
with right:
    grain = state.overview_grain(chosen)
    st.subheader(t("overview.flow_counts" if grain == "week" else "overview.flow_counts_month"))
    flow = calls.cached(metrics.flow, filters=chosen, grain=grain)
    if flow.is_empty():
        widgets.info("empty.no_leads", **when)
    else:
        widgets.chart(funnel_views.flow_chart(flow, grain, chosen.start, chosen.end, store.default_as_of, height=320),
                      t("funnel.flow_caption", grain=t(f"grain.{grain}").lower(), **when), key="overview.flow")
