"""Funnel & conversion: the stage funnel of the period's leads, cohort conversion between any two
stages broken down by a lead attribute, and the flow of stage entries over time."""
import streamlit as st

from analytics.engine import metrics
from analytics.i18n.messages import dimension_label, stage_label, t
from analytics.ui import calls, lookups, state, url, widgets
from analytics.ui.store import get_store
from analytics.views import funnel as funnel_views
from analytics.views import segments as segments_views

state.ensure_frame()

cfg = get_store().cfg
chosen = state.filters()
when = state.period_text(chosen.start, chosen.end)

st.title(t("funnel.title"))
with st.expander(t("funnel.cohort_vs_flow"), icon=":material/help:"):
    st.markdown(t("funnel.cohort_vs_flow_body"))

st.subheader(t("funnel.stages"))
funnel = calls.cached(metrics.funnel, filters=chosen)
if funnel.is_empty():
    widgets.info("empty.no_leads", **when)
else:
    widgets.low_volume_note(funnel)
    widgets.chart(funnel_views.funnel_chart(funnel, cfg.low_volume_n), t("funnel.caption", n=cfg.low_volume_n, **when),
                  key="funnel.stages")
    widgets.table(funnel, "funnel")

st.subheader(t("funnel.conversion"))
stages, dims = list(cfg.main_stages), lookups.dimensions()
pick_from, pick_to, pick_by, pick_window = st.columns(4)
from_stage = url.choice(pick_from.selectbox, "from_stage", t("funnel.from"), stages[:-1], key="conversion.from",
                        index=stages.index(cfg.handoff_stage), format_func=stage_label)
later = stages[stages.index(from_stage) + 1:]
to_stage = url.choice(pick_to.selectbox, "to_stage", t("funnel.to"), later, format_func=stage_label,
                      key="conversion.to",
                      index=later.index(cfg.qualified_stage) if cfg.qualified_stage in later else 0)
by = url.choice(pick_by.selectbox, "by", t("funnel.by"), dims, index=dims.index("source") if "source" in dims else 0,
                format_func=dimension_label, key="conversion.by")
window = url.bound(pick_window.number_input, "window", t("funnel.window"), min_value=0, max_value=3650, value=0,
                   step=7, help=t("funnel.window_help"), key="conversion.window")
pair = {"from_stage": from_stage, "to_stage": to_stage, "window_days": window or None}
segments = calls.cached(metrics.conversion, filters=chosen, by=by, **pair)
if segments.is_empty():
    widgets.info("funnel.no_cohort", stage=stage_label(from_stage))
else:
    overall = calls.cached(metrics.conversion, filters=chosen, by=None, **pair)["rate"][0]
    clause = t("funnel.window_clause", days=window) if window else ""
    widgets.chart(segments_views.breakdown_chart(segments, by, cfg.low_volume_n, overall,
                                                 label=lookups.segment_label(by)),
                  t("funnel.conversion_caption", from_stage=stage_label(from_stage), to_stage=stage_label(to_stage),
                    window=clause, n=cfg.low_volume_n, **when), key="funnel.breakdown")
    widgets.table(segments, f"conversion_{from_stage}_{to_stage}_by_{by}")

st.subheader(t("funnel.flow"))
grain = url.choice(st.segmented_control, "grain", t("funnel.grain"), ["week", "month"], default="week",
                   key="flow.grain", format_func=lambda g: t(f"grain.{g}")) or "week"
flow = calls.cached(metrics.flow, filters=chosen, grain=grain)
if flow.is_empty():
    widgets.info("empty.no_leads", **when)
else:
    widgets.chart(funnel_views.flow_chart(flow, grain, chosen.start, chosen.end, get_store().default_as_of),
                  t("funnel.flow_caption", grain=t(f"grain.{grain}").lower(), **when), key="funnel.flow")
    widgets.table(funnel_views.flow_table(flow), f"flow_{grain}")
