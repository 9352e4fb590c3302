"""Win / loss: which factors really separate won from lost deals (significant first, low volume
marked), why deals are lost and won, loss reasons by source, and the ideal customer profile."""
import streamlit as st

from analytics.engine import drilldown, winloss
from analytics.i18n.messages import dimension_label, fmt_int, fmt_pct, t
from analytics.ui import calls, lookups, state, url, widgets
from analytics.ui.store import get_store
from analytics.views import labels as labels_views
from analytics.views import segments as segments_views
from analytics.views import style as style_views
from analytics.views import winloss as winloss_views
from analytics.views.labels import method_columns

state.ensure_frame()

store = get_store()
low_volume_n, chosen = store.cfg.low_volume_n, state.filters()
when = state.period_text(chosen.start, chosen.end)

st.title(t("winloss.title"))
st.caption(t("winloss.intro"))
if note := labels_views.missing(lookups.tables_present(), "opportunities"):
    st.info(note, icon=":material/info:")
    st.stop()
widgets.caveats("amount")
overall = calls.cached(winloss.winloss, by=None, filters=chosen)
if overall.is_empty():
    widgets.info("winloss.no_deals", **when)
    st.stop()
row = overall.row(0, named=True)
st.markdown(t("winloss.overall", won=fmt_int(row["won"]), closed=fmt_int(row["closed"]), rate=fmt_pct(row["win_rate"]),
              low=fmt_pct(row["ci_low"]), high=fmt_pct(row["ci_high"]), **when))

st.subheader(t("winloss.factors"))
label = lambda f, v: lookups.segment_label(f)(v)  # noqa: E731 — a rep or campaign by its name
factors = calls.cached(winloss.all_factors, filters=chosen)
if factors.is_empty():
    widgets.info("winloss.no_factors", **when)
else:
    names = [None, *factors["factor"].unique().sort().to_list()]
    factor = url.choice(st.selectbox, "factor", t("winloss.factor"), names, key="winloss.factor",
                        format_func=lambda f: dimension_label(f) if f else t("all"))
    shown = winloss_views.rank_factors(factors if factor is None else factors.filter(factors["factor"] == factor))
    st.markdown(winloss_views.significant_text(shown, row["win_rate"], label=label))
    show_all = st.toggle(t("winloss.show_all"), key="winloss.show_all")
    widgets.chart(winloss_views.factor_chart(winloss_views.focused(shown, show_all), row["win_rate"], low_volume_n,
                                             label=label, max_rows=shown.height if show_all else 20),
                  t("winloss.factors_plain", n=low_volume_n, **when), key="winloss.factors")
    named = winloss_views.with_value_names(shown, label)  # the codes stay in the data and the CSV
    method = method_columns(named)
    # the names on screen and in the CSV, the codes beside them in the CSV (and the picked row)
    picked = widgets.pick_breakdown(named, "winloss_factors", "winloss.factor_rows", hint="drill.pick_hint_deals",
                                    hidden=("factor", "value", *method))
    widgets.how_tested(named, method, low_volume_n, t("winloss.factors_method", q=winloss_views.SIGNIFICANT_Q))
    if picked:
        widgets.leads_table(calls.cached(drilldown.factor_deals, picked["factor"], picked["value"], filters=chosen),
                            "winloss.factor_rows",
                            t("drill.behind.winloss", n=fmt_int(picked["closed"]), won=fmt_int(picked["won"]),
                              factor=dimension_label(picked["factor"]), value=label(picked["factor"],
                                                                                      picked["value"]), **when))

st.subheader(t("winloss.reasons"))
outcome_colors = (style_views.BAD, style_views.GOOD)
bars = {}  # the picked reason of each Pareto; its deals below both, full width
for column, outcome, color in zip(st.columns(2, gap="large"), ("lost", "won"), outcome_colors, strict=True):
    with column:
        st.markdown(f"**{t(f'winloss.reasons.{outcome}')}**")
        pareto = winloss_views.reasons_in_words(calls.cached(winloss.reasons, outcome, filters=chosen))
        if pareto.is_empty():
            widgets.info(f"winloss.no_{outcome}", **when)
        else:
            widgets.chart(winloss_views.pareto_chart(pareto, color), t("winloss.pareto_caption", **when),
                          key=f"winloss.pareto.{outcome}")
            bars[outcome] = widgets.pick_breakdown(pareto, f"{outcome}_reasons", f"winloss.reasons.{outcome}",
                                                   hint="drill.pick_hint_deals", hidden=("reason_code",))
for outcome, bar in bars.items():
    if bar:
        widgets.leads_table(calls.cached(drilldown.reason_deals, outcome, bar["reason_code"], filters=chosen),
                            f"winloss.reasons.{outcome}",
                            t(f"drill.behind.reason.{outcome}", n=fmt_int(bar["deals"]), reason=bar["reason"], **when))

st.subheader(t("winloss.by_source"))
by_source = calls.cached(winloss.loss_reasons_by, "source", filters=chosen)
if by_source.is_empty():
    widgets.info("winloss.no_lost", **when)
else:
    st.markdown(segments_views.worst_cells_text(by_source, "source", "deals", "winloss.worst", "winloss.cell"))
    widgets.chart(segments_views.reason_heatmap(by_source, "source", "deals"), t("winloss.by_source_caption", **when),
                  key="winloss.by_source")
    cell = widgets.pick_breakdown(by_source, "loss_reasons_by_source", "winloss.loss_rows",
                                  hint="drill.pick_hint_deals")
    if cell:
        lost = calls.cached(drilldown.lost_deals, "source", cell["source"], cell["reason"], filters=chosen)
        widgets.leads_table(lost, "winloss.loss_rows", t("drill.behind.lost", n=fmt_int(cell["deals"]),
                                                         value=cell["source"], reason=cell["reason"], **when))

st.subheader(t("winloss.icp"))
icp = calls.cached(winloss.ideal_customer_profile, filters=chosen)
if icp.is_empty():
    widgets.info("winloss.no_icp", n=low_volume_n, **when)
else:
    icp = winloss_views.profile_in_words(icp, label)
    widgets.chart(winloss_views.icp_chart(icp, low_volume_n, row["win_rate"]),
                  t("winloss.icp_caption", n=low_volume_n, **when), key="winloss.icp")
    segment = widgets.pick_breakdown(icp, "ideal_customer_profile", "winloss.icp_rows", hint="drill.pick_hint_deals",
                                     hidden=("segment", *winloss_views.PAIR_COLUMNS))
    if segment:
        pair = {segment["first_factor"]: segment["first_value"], segment["second_factor"]: segment["second_value"]}
        widgets.leads_table(calls.cached(drilldown.profile_deals, pair, filters=chosen), "winloss.icp_rows",
                            t("drill.behind.profile", n=fmt_int(segment["closed"]), won=fmt_int(segment["won"]),
                              segment=segment["profile"], **when))
