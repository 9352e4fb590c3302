"""Lead quality: how many hand-offs sales accepts, by any lead dimension, why it rejects the others
(source × reason), and how acceptance moves month by month: marketing's feedback loop."""
import streamlit as st

from analytics.engine import drilldown, handoff
from analytics.i18n.messages import dimension_label, fmt_int, t
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
    label = lookups.segment_label(by)
    row = widgets.pick_breakdown(accepted.drop("decided"), f"quality_by_{by}", "quality.segments", by, label)
    if row:
        widgets.leads_table(calls.cached(drilldown.handoff_leads, by=by, by_value=row[by], filters=chosen),
                            "quality.segments",
                            t("drill.behind.quality", value=label(row[by]), n=fmt_int(row["handed_off"]),
                              accepted=fmt_int(row["accepted"]), rejected=fmt_int(row["rejected"]),
                              pending=fmt_int(row["pending"]), **when))

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
    cell = widgets.pick_breakdown(reasons, "rejection_reasons_by_source", "quality.reason_rows")
    if cell:
        widgets.leads_table(calls.cached(drilldown.rejection_leads, "source", cell["source"], cell["reason"],
                                         filters=chosen), "quality.reason_rows",
                            t("drill.behind.rejections", n=fmt_int(cell["rejections"]), value=cell["source"],
                              reason=cell["reason"], **when))

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
