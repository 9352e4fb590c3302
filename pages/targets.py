"""Targets & velocity: actual vs target per period and metric (attainment, pacing), pipeline
coverage of the won target still to win, and the four levers of sales velocity month by month,
with the lever that moved it."""
import streamlit as st

from analytics.engine.revenue import biggest_lever
from analytics.i18n.messages import fmt_date, t
from analytics.ui import cache
from analytics.views import labels as labels_views
from analytics.views import targets as targets_views

cache.ensure_frame()

store = cache.get_store()
as_of = store.default_as_of

st.title(t("targets.title"))
st.caption(t("targets.intro", as_of=cache.period_text(as_of.date(), as_of.date())["as_of"]))
cache.caveats("money")  # targets count amounts in the corporate currency

st.subheader(t("targets.progress"))
targets = cache.call("revenue", "targets")
if targets.is_empty():
    st.info(labels_views.needs_text(["targets"]), icon=":material/info:")
else:
    teams = [None, *targets["team"].drop_nulls().unique().sort().to_list()]
    team = st.selectbox(t("targets.team"), teams, format_func=lambda v: v or t("targets.company"), key="targets.team")
    current = targets_views.current_targets(targets, as_of, team)
    if current.is_empty():
        cache.info("targets.no_current")
    else:
        st.markdown(t("targets.current", start=fmt_date(current["period_start"][0]),
                      end=fmt_date(current["period_end"][0])))
        tiles = targets_views.target_tiles(current, targets_views.metric_order(current))
        for at in range(0, len(tiles), 3):
            for column, tile in zip(st.columns(3), tiles[at:at + 3], strict=False):
                column.metric(**tile, border=True)
    metrics = targets_views.metric_order(targets)
    metric = st.segmented_control(t("targets.metric"), metrics, default=metrics[0], key="targets.metric",
                                  format_func=lambda m: t(f"targets.metric.{m}")) or metrics[0]
    cache.chart(targets_views.target_chart(targets, metric, team), t("targets.chart_caption"), key="targets.chart")
    cache.table(targets, "targets")

st.subheader(t("targets.coverage_title"))
no_deals = labels_views.missing(cache.tables_present(), "opportunities")
if no_deals:
    st.info(no_deals, icon=":material/info:")
else:
    for column, tile in zip(st.columns(3), targets_views.coverage_tiles(cache.call("revenue", "pipeline_coverage")),
                            strict=True):
        column.metric(**tile, border=True)
    st.caption(t("targets.coverage_caption"))

st.subheader(t("targets.velocity"))
velocity = cache.call("revenue", "sales_velocity", currency=cache.filters().currency)
months = velocity.filter(velocity["log_change"].is_finite())["month_start"].to_list()
if no_deals:
    st.info(no_deals, icon=":material/info:")
elif velocity["velocity_per_day"].drop_nulls().is_empty():
    cache.info("targets.no_velocity")
else:
    cache.chart(targets_views.velocity_chart(velocity), t("targets.velocity_caption"), key="targets.velocity")
    if months:
        month = st.selectbox(t("targets.month"), months[::-1], format_func=lambda d: d.strftime("%B %Y"),
                             key="targets.month")
        row = velocity.filter(velocity["month_start"] == month).row(0, named=True)
        previous = velocity.filter(velocity["month_start"] < month).row(-1, named=True)
        st.markdown(targets_views.velocity_text(row, previous, biggest_lever(row)))
        cache.chart(targets_views.lever_waterfall(row, previous), t("targets.waterfall_caption"),
                    key="targets.waterfall")
    cache.table(velocity, "sales_velocity")
