"""Targets & velocity: actual vs target per period and metric (attainment, pacing), pipeline
coverage of the won target still to win, and the four levers of sales velocity month by month,
with the lever that moved it."""
import streamlit as st

from analytics.engine import drilldown, revenue
from analytics.engine.revenue import biggest_lever
from analytics.i18n.messages import fmt_date, fmt_int, fmt_money, t
from analytics.ui import calls, lookups, state, url, widgets
from analytics.ui import pipeline as pipeline_ui
from analytics.ui.store import get_store
from analytics.views import labels as labels_views
from analytics.views import targets as targets_views
from analytics.views import trend_by as trend_views

state.ensure_frame()

store = get_store()
as_of = store.default_as_of

st.title(t("targets.title"))
st.caption(t("targets.intro", as_of=state.period_text(as_of.date(), as_of.date())["as_of"]))
widgets.caveats("money")  # targets count amounts in the corporate currency

st.subheader(t("targets.progress"))
targets = calls.cached(revenue.targets)
if targets.is_empty():
    st.info(labels_views.needs_text(["targets"]), icon=":material/info:")
else:
    teams = [None, *targets["team"].drop_nulls().unique().sort().to_list()]
    team = url.choice(st.selectbox, "team", t("targets.team"), teams, format_func=lambda v: v or t("targets.company"),
                      key="targets.team")
    current = targets_views.current_targets(targets, as_of, team)
    if current.is_empty():
        widgets.info("targets.no_current")
    else:
        st.markdown(t("targets.current", start=fmt_date(current["period_start"][0]),
                      end=fmt_date(current["period_end"][0])))
        tiles = targets_views.target_tiles(current, targets_views.metric_order(current))
        for at in range(0, len(tiles), 3):
            for column, tile in zip(st.columns(3), tiles[at:at + 3], strict=False):
                column.metric(**tile, border=True)
    metrics = targets_views.metric_order(targets)
    metric = url.choice(st.segmented_control, "metric", t("targets.metric"), metrics, default=metrics[0],
                        key="targets.metric", format_func=lambda m: t(f"targets.metric.{m}")) or metrics[0]
    widgets.chart(targets_views.target_chart(targets, metric, team), t("targets.chart_caption"), key="targets.chart")
    newest = targets.sort("period_start", descending=True, maintain_order=True)  # newest first
    target = widgets.pick_breakdown(newest, "targets", "targets.rows", hint="drill.pick_hint_targets")
    if target:
        metric_words = t(f"targets.metric.{target['metric']}")
        team_words = t("drill.behind.team", team=target["team"]) if target["team"] else ""
        behind = calls.cached(drilldown.target_leads, target)
        dates = {"start": fmt_date(target["period_start"]), "end": fmt_date(target["period_end"])}
        if target["metric"] in revenue.STAGE_METRICS:
            caption = t("drill.behind.target_leads", n=fmt_int(behind.height), metric=metric_words, team=team_words,
                        **dates)
        else:
            caption = t("drill.behind.target_deals", n=fmt_int(behind.height), metric=metric_words, team=team_words,
                        actual=fmt_money(target["actual"]), **dates)
        widgets.leads_table(behind, "targets.rows", caption)

st.subheader(t("targets.coverage_title"))
no_deals = labels_views.missing(lookups.tables_present(), "opportunities")
if no_deals:
    st.info(no_deals, icon=":material/info:")
else:
    for column, tile in zip(st.columns(3), targets_views.coverage_tiles(calls.cached(revenue.pipeline_coverage)),
                            strict=True):
        column.metric(**tile, border=True)
    st.caption(t("targets.coverage_caption"))

st.subheader(t("targets.velocity"))
velocity = calls.cached(revenue.sales_velocity, currency=state.filters().currency)
months = velocity.filter(velocity["log_change"].is_finite())["month_start"].to_list()
if no_deals:
    st.info(no_deals, icon=":material/info:")
elif velocity["velocity_per_day"].drop_nulls().is_empty():
    widgets.info("targets.no_velocity")
else:
    widgets.chart(targets_views.velocity_chart(velocity), t("targets.velocity_caption"), key="targets.velocity")
    if months:
        month = url.choice(st.selectbox, "month", t("targets.month"), months[::-1],
                           format_func=lambda d: trend_views.period_text(d, "month"), key="targets.month")
        row = velocity.filter(velocity["month_start"] == month).row(0, named=True)
        previous = velocity.filter(velocity["month_start"] < month).row(-1, named=True)
        st.markdown(targets_views.velocity_text(row, previous, biggest_lever(row)))
        widgets.chart(targets_views.lever_waterfall(row, previous), t("targets.waterfall_caption"),
                      key="targets.waterfall")
    newest = velocity.sort("month_start", descending=True)  # newest first
    month_row = widgets.pick_breakdown(newest, "sales_velocity", "targets.velocity_rows", hint="drill.pick_hint_deals",
                                       months=("month_start",))
    if month_row:
        closed = calls.cached(drilldown.velocity_deals, month_row["month_start"])
        widgets.leads_table(closed, "targets.velocity_rows",
                            t("drill.behind.velocity", n=fmt_int(closed.height), won=fmt_int(month_row["won_deals"]),
                              month=trend_views.period_text(month_row["month_start"], "month")))

# the bookings forecast with its track record, and what moved the pipeline (analytics/ui/pipeline.py)
if not no_deals:
    pipeline_ui.forecast_section(state.filters().currency)
    pipeline_ui.movement_section(state.lead_filters(state.filters()), as_of.date())
