"""Funnel & conversion: the stage funnel of the period's leads, cohort conversion between any two
stages broken down by a lead attribute, and the flow of stage entries over time."""
import streamlit as st

from analytics.engine import drilldown, metrics
from analytics.i18n.messages import dimension_label, fmt_int, stage_label, t
from analytics.ui import calls, lookups, state, url, widgets
from analytics.ui.store import get_store
from analytics.views import funnel as funnel_views
from analytics.views import segments as segments_views
from analytics.views import trend_by as trend_views

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
clause = t("funnel.window_clause", days=window) if window else ""
segments = calls.cached(metrics.conversion, filters=chosen, by=by, **pair)
if segments.is_empty():
    widgets.info("funnel.no_cohort", stage=stage_label(from_stage))
else:
    overall = calls.cached(metrics.conversion, filters=chosen, by=None, **pair)["rate"][0]
    widgets.chart(segments_views.breakdown_chart(segments, by, cfg.low_volume_n, overall,
                                                 label=lookups.segment_label(by)),
                  t("funnel.conversion_caption", from_stage=stage_label(from_stage), to_stage=stage_label(to_stage),
                    window=clause, n=cfg.low_volume_n, **when), key="funnel.breakdown")
    label = lookups.segment_label(by)
    row = widgets.pick_breakdown(segments, f"conversion_{from_stage}_{to_stage}_by_{by}", "conversion.segments", by,
                                 label)
    if row:
        widgets.leads_table(calls.cached(drilldown.conversion_leads, by=by, by_value=row[by], filters=chosen, **pair),
                            "conversion.segments", t("drill.behind.conversion", value=label(row[by]),
                                                     cohort=fmt_int(row["cohort"]), converted=fmt_int(row["converted"]),
                                                     from_stage=stage_label(from_stage), window=clause,
                                                     to_stage=stage_label(to_stage), **when))

st.subheader(t("drill.trend.title"))
longer = state.trend_filters(chosen)
over = state.period_text(longer.start, longer.end)
every = st.segmented_control(t("drill.trend.grain"), ["week", "month"], default="month", key="conversion.trend_grain",
                             format_func=lambda g: t(f"grain.{g}")) or "month"
st.caption(t("drill.trend.intro", by=dimension_label(by), from_stage=stage_label(from_stage),
             grain=t(f"grain.{every}").lower()))
trend = calls.cached(metrics.conversion_trend, by=by, grain=every, filters=longer, **pair)
if trend.is_empty():
    widgets.info("drill.trend.none", stage=stage_label(from_stage))
else:
    label, ranked = lookups.segment_label(by), trend_views.values_by_volume(trend, by)
    values = st.multiselect(t("drill.trend.values"), ranked, default=ranked[:5], format_func=label,
                            key=f"conversion.trend_values.{by}", help=t("drill.trend.values_help"))
    clicked = widgets.chart_pick(trend_views.trend_chart(trend, by, every, cfg.low_volume_n, values, label),
                                 t("drill.trend.caption", from_stage=stage_label(from_stage), n=cfg.low_volume_n,
                                   to_stage=stage_label(to_stage), grain=t(f"grain.{every}").lower(), window=clause,
                                   **over), key="funnel.trend_by")
    current = trend_views.period_start_of(get_store().default_as_of.date(), every)
    st.markdown(trend_views.change_text(trend, by, values, every, label, current))
    point = widgets.pick_breakdown(trend_views.trend_table(trend, by, values), f"conversion_{every}_by_{by}",
                                   "conversion.trend", by, label, months=("period_start",) if every == "month" else (),
                                   hint="drill.trend.pick_hint") or trend_views.clicked_point(trend, by, clicked)
    if point:
        widgets.leads_table(
            calls.cached(drilldown.conversion_leads, by=by, by_value=point[by], filters=longer, grain=every,
                         period_start=point["period_start"], **pair),
            "conversion.trend", t("drill.behind.trend", value=label(point[by]), cohort=fmt_int(point["cohort"]),
                                  converted=fmt_int(point["converted"]), from_stage=stage_label(from_stage),
                                  to_stage=stage_label(to_stage), window=clause,
                                  period=trend_views.period_text(point["period_start"], every)))

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
