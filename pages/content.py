"""Content that moves deals: for each content item and the stage a lead was in when it touched it,
forward conversion against the leads in that stage that did not touch it (lift with a 95% interval);
a recommendation per sales stage; and the middle/bottom-of-funnel content sales leaves unused."""
import polars as pl
import streamlit as st

from analytics.engine import content, drilldown
from analytics.engine.content import MIN_TOUCHED, recommendations, unused_late_content
from analytics.i18n.messages import fmt_int, stage_label, t
from analytics.ui import calls, lookups, state, url, widgets
from analytics.ui.store import get_store
from analytics.views import content as content_views
from analytics.views import labels as labels_views

state.ensure_frame()

store = get_store()
cfg = store.cfg
chosen = state.lead_filters(state.filters())  # every touch up to the as-of: the period does not apply
as_of = store.default_as_of

st.title(t("content.title"))
st.caption(t("content.intro", scope=url.filters_text(chosen) or t("weekly.all_leads")))
if "touches" not in lookups.tables_present():
    widgets.info("content.needs_touches")
    st.stop()


def named(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.with_columns(pl.col("title").fill_null(pl.col("content_id")))


lift = named(calls.cached(content.content_lift, chosen))
if lift.is_empty():
    widgets.info("content.no_lift")
    st.stop()

# --- recommendations ----------------------------------------------------------------------------
st.subheader(t("content.recommend"))
st.caption(t("content.recommend_caption", n=MIN_TOUCHED))
best = named(recommendations(lift))
stages = [s for s in cfg.main_stages if s in set(lift["stage"])]
missing = [stage_label(s) for s in stages if s not in set(best["stage"])]
if best.is_empty():
    widgets.info("content.no_recommendation")
else:
    shown = content_views.recommendations_shown(best)
    picked = widgets.pick(best, "content_recommendations", "content.best", shown=shown,
                          labels={c: t(f"content.col.{c}") for c in shown.columns if c != "stage"})
    if picked:
        following = cfg.main_stages[cfg.main_stages.index(picked["stage"]) + 1]
        leads = calls.cached(drilldown.content_leads, picked["content_id"], (picked["stage"],), chosen, as_of)
        widgets.leads_table(leads, "content.best",
                            t("content.behind", title=picked["title"], stage=stage_label(picked["stage"]),
                              next=stage_label(following)))
if missing:
    st.caption(t("content.no_recommendation_in", stages=", ".join(missing), n=MIN_TOUCHED))

# --- lift per stage -----------------------------------------------------------------------------
st.subheader(t("content.lift"))
# start on the first sales stage (from the hand-off on) with a recommendation: what sales asks for
sales = [s for s in stages if cfg.main_stages.index(s) >= cfg.main_stages.index(cfg.handoff_stage)]
default = next((s for s in sales if s in set(best["stage"])), sales[0] if sales else stages[0])
stage = url.choice(st.segmented_control, "stage", t("content.stage"), stages, format_func=stage_label,
                   key="content.stage", default=default) or default
part = lift.filter(pl.col("stage") == stage).sort("lift", descending=True, nulls_last=True)
after = cfg.main_stages[cfg.main_stages.index(stage) + 1]
widgets.chart(content_views.lift_chart(part),
              t("content.lift_caption", stage=stage_label(stage), next=stage_label(after), n=MIN_TOUCHED),
              key="content.lift_chart")
part = part.sort(["is_low_volume", "lift"], descending=[False, True], nulls_last=True)
shown = content_views.lift_shown(part)
picked = widgets.pick(part, f"content_lift_{stage}", f"content.lift.{stage}", shown=shown,
                      labels={c: t(f"content.col.{c}") for c in shown.columns},
                      percent=("touched_rate", "untouched_rate"))
if picked:
    widgets.leads_table(calls.cached(drilldown.content_leads, picked["content_id"], (stage,), chosen, as_of),
                        "content.lift", t("content.behind", title=picked["title"], stage=stage_label(stage),
                                          next=stage_label(after)))
else:
    st.caption(t("content.pick_hint"))

# --- unused late content ------------------------------------------------------------------------
st.subheader(t("content.unused"))
late = (cfg.qualified_stage, cfg.opportunity_stage)
unused = named(unused_late_content(store, lift, late))
if unused.is_empty():
    st.success(t("content.all_used"), icon=":material/check_circle:")
else:
    st.warning(t("content.unused_note", n=fmt_int(unused.height), stages=" / ".join(stage_label(s) for s in late)),
               icon=":material/campaign:")
    shown = labels_views.relabel(labels_views.relabel(unused, "content_type", content_views.type_label),
                                 "funnel_stage", content_views.funnel_label)
    picked = widgets.pick(unused, "unused_late_content", "content.unused", shown=shown,
                          labels={c: t(f"content.col.{c}") for c in unused.columns})
    if picked:
        widgets.leads_table(calls.cached(drilldown.content_leads, picked["content_id"], tuple(late), chosen, as_of),
                            "content.unused", t("content.behind_late", title=picked["title"]))
