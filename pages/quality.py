"""Lead quality: how many hand-offs sales accepts, by any lead dimension, why it rejects the others
(source × reason), and how acceptance moves month by month: marketing's feedback loop."""
import streamlit as st

from analytics.engine import handoff
from analytics.i18n.messages import dimension_label, t
from analytics.ui import calls, lookups, state, url, widgets
from analytics.ui.store import get_store
from analytics.views import handoff as handoff_views
from analytics.views import labels as labels_views
from analytics.views import segments as segments_views

state.ensure_frame()

store = get_store()
low_volume_n = store.cfg.low_volume_n
chosen = state.filters()
when = state.period_text(chosen.start, chosen.end)

st.title(t("quality.title"))
st.caption(t("quality.intro"))

st.subheader(t("quality.acceptance"))
dims = calls.cached(handoff.handoff_dimensions)
by = url.choice(st.selectbox, "by", t("funnel.by"), dims, index=dims.index("source"), format_func=dimension_label,
                key="quality.by", help=t("quality.by_help"))
accepted = calls.cached(handoff.quality, by=by, filters=chosen)
if accepted.is_empty():
    widgets.info("quality.no_handoffs", **when)
else:
    overall = calls.cached(handoff.quality, by=None, filters=chosen)["acceptance_rate"][0]
    widgets.chart(handoff_views.acceptance_chart(accepted, by, low_volume_n, overall, label=lookups.segment_label(by)),
                  t("quality.acceptance_caption", n=low_volume_n, **when), key="quality.acceptance")
    if note := labels_views.missing(lookups.tables_present(), "feedback"):
        st.info(note, icon=":material/info:")
    widgets.table(accepted.drop("decided"), f"quality_by_{by}")

st.subheader(t("quality.reasons"))
reasons = calls.cached(handoff.rejection_reasons, by="source", filters=chosen)
if note := labels_views.missing(lookups.tables_present(), "feedback"):
    st.info(note, icon=":material/info:")
elif reasons.is_empty():
    widgets.info("quality.no_rejections", **when)
else:
    st.markdown(segments_views.worst_cells_text(reasons, "source", "rejections", "quality.worst", "quality.cell"))
    widgets.chart(segments_views.reason_heatmap(reasons, "source", "rejections"), t("quality.reasons_caption", **when),
                  key="quality.reasons")
    widgets.table(reasons, "rejection_reasons_by_source")

st.subheader(t("quality.trend"))
longer = state.trend_filters(chosen)
trend = calls.cached(handoff.quality_trend, filters=longer)
if trend.is_empty():
    widgets.info("quality.no_handoffs", **state.period_text(longer.start, longer.end))
else:
    widgets.chart(handoff_views.quality_trend_chart(trend, low_volume_n),
                  t("quality.trend_caption", n=low_volume_n, **state.period_text(longer.start, longer.end)),
                  key="quality.trend")
    widgets.table(trend.drop("decided"), "quality_trend")
