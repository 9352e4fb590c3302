"""Monthly improvement review: 12-month trends (conversion, acceptance, follow-up SLA compliance, win
rate, days through the funnel), the cohort heatmap, the definitions on the table, progress toward the
shared targets, and the review pack."""
import polars as pl
import streamlit as st

from analytics.engine import drilldown, monthly
from analytics.i18n.messages import fmt_datetime, stage_label, t
from analytics.ui import calls, meeting, state, url, widgets
from analytics.ui.store import get_store
from analytics.views import labels as labels_views
from analytics.views import monthly as monthly_views
from analytics.views import targets as targets_views

state.ensure_frame()

store = get_store()
cfg = store.cfg
chosen = state.lead_filters(state.filters())  # always the last 12 months: the period does not apply
as_of = store.default_as_of
STAGES = {"handoff": cfg.handoff_stage, "qualified": cfg.qualified_stage}


def trends() -> None:
    st.subheader(t("monthly.trends"))
    frame = calls.cached(monthly.trends, filters=chosen)
    if frame.is_empty():
        widgets.info("monthly.no_trends")
        return
    widgets.chart(monthly_views.trends_chart(frame, as_of, cfg.low_volume_n),
                  t("monthly.trends_caption", stage=stage_label(STAGES["handoff"]),
                    to=stage_label(STAGES["qualified"]), n=cfg.low_volume_n), key="monthly.trends_chart")
    wide = monthly_views.trends_wide(frame)
    rates = [m for m in monthly_views.TREND_RATES if m in wide.columns]
    metric = url.choice(st.segmented_control, "metric", t("monthly.drill_metric"), rates,
                        default=rates[0] if rates else None, format_func=monthly_views.metric_label,
                        key="monthly.drill_metric") or (rates or [None])[0]
    shown = monthly_views.trends_shown(wide)
    picked = widgets.pick(wide, "monthly_trends", "monthly.trends", shown=shown, months=("month_start",),
                          labels={"month_start": t("monthly.col.month"),
                                  **{c: monthly_views.metric_label(c) for c in shown.columns if c != "month_start"}})
    if picked and metric:
        widgets.leads_table(calls.cached(drilldown.trend_leads, metric, picked["month_start"], chosen, as_of),
                            "monthly.trends", t("monthly.behind", metric=monthly_views.metric_label(metric),
                                                month=picked["month_start"].strftime(t("monthly.fmt.month"))))
    else:
        st.caption(t("monthly.pick_hint"))


def cohorts() -> None:
    st.subheader(t("monthly.cohorts"))
    targets = [s for s in (cfg.qualified_stage, cfg.opportunity_stage, cfg.main_stages[-1]) if s in cfg.main_stages]
    stage = url.choice(st.segmented_control, "stage", t("monthly.cohort_stage"), targets, default=targets[0],
                       format_func=stage_label, key="monthly.cohort_stage") or targets[0]
    matrix = calls.cached(monthly.cohort_matrix, stage, chosen)
    if matrix.is_empty():
        widgets.info("monthly.no_cohorts")
        return
    widgets.chart(monthly_views.cohort_heatmap(matrix, stage), t("monthly.cohorts_caption", stage=stage_label(stage)),
                  key="monthly.heatmap")
    wide = monthly_views.cohort_wide(matrix)
    after = tuple(c for c in wide.columns if c.startswith("m"))
    picked = widgets.pick(wide, f"cohorts_{stage}", f"monthly.cohorts.{stage}", percent=after,
                          months=("cohort_month",),
                          labels={"cohort_month": t("monthly.col.cohort_month"), "leads": t("col.leads"),
                                  **{c: t("monthly.col.after", k=c[1:]) for c in after}})
    if picked:
        widgets.leads_table(calls.cached(drilldown.cohort_leads, picked["cohort_month"], stage, chosen, as_of),
                            "monthly.cohorts",
                            t("monthly.behind_cohort", month=picked["cohort_month"].strftime(t("monthly.fmt.month")),
                              stage=stage_label(stage)))


def definitions() -> None:
    st.subheader(t("monthly.definitions"))
    st.caption(t("monthly.definitions_caption"))
    frame = calls.cached(monthly.definitions, chosen)
    shown = monthly_views.definitions_shown(frame)
    widgets.pick(frame, "definitions", "monthly.definitions", shown=shown,
                 labels={c: t(f"monthly.col.{c}") for c in shown.columns})


def targets() -> None:
    st.subheader(t("monthly.targets"))
    progress = calls.cached(monthly.target_progress)
    if progress.is_empty():
        widgets.info("monthly.no_targets")
        return
    widgets.chart(monthly_views.targets_chart(progress), t("monthly.targets_caption"), key="monthly.targets_chart")
    order = {m: i for i, m in enumerate(targets_views.TARGET_ORDER)}
    progress = progress.sort(pl.col("period_start"), pl.col("metric").replace_strict(order, default=99),
                             descending=[True, False])
    shown = labels_views.relabel(progress, "metric", monthly_views.metric_label).with_columns(
        pl.col("elapsed_share", "attainment", "pacing").round(3))
    picked = widgets.pick(progress, "target_progress", "monthly.targets", shown=shown,
                          percent=("elapsed_share", "attainment", "pacing"),
                          labels={c: t(f"monthly.col.{c}") for c in ("metric", "target", "actual", "elapsed_share",
                                                                     "attainment", "pacing")})
    if not picked:
        return
    if picked["team"] or picked["segment"]:
        widgets.info("monthly.team_target")
    else:
        meeting.target_leads(store, picked["metric"], picked["period_start"], picked["period_end"], "monthly.targets")


def review_pack() -> None:
    st.subheader(t("monthly.pack"))
    st.caption(t("monthly.pack_caption"))
    widgets.pack_downloads("monthly", None, chosen, "closed-loop-monthly")


st.title(t("monthly.title"))
st.caption(t("monthly.intro", as_of=fmt_datetime(as_of), scope=url.filters_text(chosen) or t("weekly.all_leads")))
meeting.month_headline(store)
trends()
cohorts()
definitions()
targets()
review_pack()
