"""Recycling & sales-ready: what happens to the leads sales rejects (back to nurture, how fast, how
many come back and how they convert then), and where the score threshold for "sales-ready" should
sit — with what last quarter would have looked like under the suggestion."""
import streamlit as st

from analytics.engine import drilldown, handoff
from analytics.i18n.messages import dimension_label, fmt_date, fmt_int, stage_label, t
from analytics.ui import calls, lookups, state, url, widgets
from analytics.ui.store import get_store
from analytics.views import handoff as handoff_views

state.ensure_frame()

store = get_store()
cfg, chosen = store.cfg, state.filters()
when = state.period_text(chosen.start, chosen.end)

st.title(t("recycling.title"))
st.caption(t("recycling.intro"))

st.subheader(t("recycling.loop"))
whole = calls.cached(handoff.recycling, by=None, filters=chosen)
if whole.is_empty() or not whole["handed_off"][0]:
    widgets.info("quality.no_handoffs", **when)
else:
    for column, tile in zip(st.columns(5), handoff_views.recycling_tiles(whole.row(0, named=True)), strict=True):
        column.metric(**tile, border=True)
    dims = [*calls.cached(handoff.handoff_dimensions), "rejection_reason"]
    by = url.choice(st.selectbox, "by", t("funnel.by"), dims, index=dims.index("source"), format_func=dimension_label,
                    key="recycling.by")
    loop = calls.cached(handoff.recycling, by=by, filters=chosen)
    rate, quality = st.columns(2, gap="large")
    with rate:
        if loop["ever_rejected"].sum():
            widgets.chart(handoff_views.recycle_chart(loop, by, cfg.low_volume_n, label=lookups.segment_label(by)),
                          t("recycling.rate_caption", days=f"{cfg.recycle_days:g}", n=cfg.low_volume_n, **when),
                          key="recycling.rate")
        else:
            widgets.info("recycling.no_rejections", **when)
    with quality:
        widgets.chart(handoff_views.returned_chart(loop, by, cfg.low_volume_n, label=lookups.segment_label(by)),
                      t("recycling.returned_caption", stage=stage_label(cfg.qualified_stage), n=cfg.low_volume_n,
                        **when),
                      key="recycling.returned")
    label = lookups.segment_label(by)
    row = widgets.pick_breakdown(loop, f"recycling_by_{by}", "recycling.segments", by, label)
    if row:
        widgets.leads_table(calls.cached(drilldown.recycling_leads, by=by, by_value=row[by], filters=chosen),
                            "recycling.segments",
                            t("drill.behind.recycling", value=label(row[by]), n=fmt_int(row["handed_off"]),
                              rejected=fmt_int(row["ever_rejected"]), recycled=fmt_int(row["recycled"]),
                              returned=fmt_int(row["returned"]), **when))

st.subheader(t("threshold.title"))
curve = calls.cached(handoff.threshold, filters=chosen)
if curve.is_empty() or not curve["handed_off"].max():
    widgets.info("quality.no_handoffs", **when)
else:
    suggested = next(iter(curve.filter(curve["is_suggested"])["threshold"]), None)
    widgets.chart(handoff_views.threshold_chart(curve, cfg.score_threshold, suggested),
                  t("threshold.caption", **when), key="threshold.curve")
    widgets.table(curve, "score_threshold")
    picks = curve["threshold"].to_list()
    pick = url.choice(st.select_slider, "threshold", t("threshold.try"), picks, key="threshold.try",
                      value=suggested if suggested in picks else picks[0], format_func=fmt_int,
                      help=t("threshold.try_help"))
    impact = calls.cached(handoff.threshold_impact, pick, filters=chosen)
    st.markdown(t("threshold.impact", value=fmt_int(pick), since=fmt_date(impact["from"]), as_of=when["as_of"]))
    tiles = handoff_views.impact_tiles(impact, curve.filter(curve["threshold"] == pick).row(0, named=True))
    for column, tile in zip(st.columns(3), tiles, strict=True):
        column.metric(**tile, border=True)
