"""Revenue contribution: what marketing sourced and influenced, the six attribution models side by
side (with the tie-out that proves each credits exactly the booked amount), and campaign ROI."""
import streamlit as st

from analytics.engine import drilldown, revenue
from analytics.engine.revenue import ALL_MODELS
from analytics.i18n.messages import column_label, dimension_label, fmt_int, fmt_money, t
from analytics.ui import attribution as attribution_sections
from analytics.ui import calls, lookups, state, url, widgets
from analytics.views import labels as labels_views
from analytics.views import revenue as revenue_views

state.ensure_frame()

chosen = state.filters()
when = state.period_text(chosen.start, chosen.end)
present = lookups.tables_present()

st.title(t("revenue.title"))
st.caption(t("revenue.intro"))
if note := labels_views.missing(present, "opportunities"):
    st.info(note, icon=":material/info:")
    st.stop()
widgets.caveats("amount")
widgets.caveats("money")

st.subheader(t("revenue.sourcing"))
sourcing = calls.cached(revenue.sourcing, filters=chosen)
if not sourcing["won_deals"].sum() and not sourcing["opportunities"].sum():
    widgets.info("revenue.no_deals", **when)
else:
    widgets.chart(revenue_views.sourcing_chart(sourcing), t("revenue.sourcing_caption", **when), key="revenue.sourcing")
    row = widgets.pick_breakdown(sourcing, "sourcing", "revenue.sourcing_rows", hint="drill.pick_hint_deals")
    if row:
        widgets.leads_table(calls.cached(drilldown.sourcing_deals, row["category"], filters=chosen),
                            "revenue.sourcing_rows",
                            t("drill.behind.sourcing", category=t(f"revenue.category.{row['category']}"),
                              won=fmt_int(row["won_deals"]), won_amount=fmt_money(row["won_amount"]),
                              created=fmt_int(row["opportunities"]), pipeline_amount=fmt_money(row["pipeline_amount"]),
                              **when))

st.subheader(t("revenue.models"))
if note := labels_views.missing(present, "touches"):
    st.info(note, icon=":material/info:")
pick_basis, pick_by = st.columns(2)
basis = url.choice(pick_basis.segmented_control, "basis", t("revenue.basis"), ["won", "pipeline"], default="won",
                   key="revenue.basis", format_func=lambda b: t(f"revenue.basis.{b}"),
                   help=t("revenue.basis_help")) or "won"
dims = calls.cached(revenue.attribution_dimensions)
by = url.choice(pick_by.selectbox, "by", t("revenue.by"), dims, format_func=dimension_label, key="revenue.by")
wide, tie_out = calls.cached(revenue.attribution_models, basis=basis, by=by, filters=chosen, models=ALL_MODELS)
if wide.is_empty():
    widgets.info("revenue.no_basis", basis=t(f"revenue.basis.{basis}").lower(), **when)
else:
    widgets.chart(revenue_views.models_chart(wide, by), t(f"revenue.models_caption.{basis}", **when),
                  key="revenue.models")
    models = {m: t(f"revenue.model.{m}") for m in revenue.MODELS}
    row = widgets.pick_breakdown(wide, f"attribution_{basis}_by_{by}", "revenue.models_rows", by,
                                 lookups.segment_label(by), hint="drill.pick_hint_deals", labels=models)
    if row:
        widgets.leads_table(calls.cached(drilldown.attribution_deals, basis, by, row[by], filters=chosen),
                            "revenue.models_rows",
                            t("drill.behind.attribution", value=lookups.segment_label(by)(row[by]), **when),
                            labels=models)
    exact, sentence = revenue_views.tie_out_text(tie_out, wide, by, basis)
    (st.success if exact else st.error)(sentence, icon=":material/check_circle:" if exact else ":material/error:")
    widgets.table(tie_out, f"attribution_{basis}_tie_out")
    attribution_sections.data_driven_section(chosen, basis, by, when)

if "touches" in present:
    attribution_sections.account_section(chosen, when)

st.subheader(t("revenue.roi"))
if note := labels_views.missing(present | ({"campaigns"} if "spend" in present else set()), "campaigns", "touches"):
    st.info(note, icon=":material/info:")
pick_model, pick_sort = st.columns(2)
model = url.choice(pick_model.selectbox, "model", t("revenue.model"), ALL_MODELS, index=ALL_MODELS.index("linear"),
                   key="revenue.roi_model", format_func=lambda m: t(f"revenue.model.{m}"))
order = ["roi", "attributed_won_amount", "cost", "cost_per_won", "cost_per_opportunity", "cost_per_sql", "cost_per_mql"]
sort_by = url.choice(pick_sort.selectbox, "sort", t("revenue.sort"), order, format_func=column_label,
                     key="revenue.roi_sort")
roi = calls.cached(revenue.campaign_roi, model, filters=chosen).sort(sort_by, descending=True, nulls_last=True)
if roi.filter(roi["roi"].is_not_null()).is_empty() or not (
        roi["attributed_won_amount"].sum() or roi["open_pipeline_amount"].sum()):
    widgets.info("revenue.no_roi")
else:
    widgets.chart(revenue_views.roi_chart(roi, sort_by),
                  t("revenue.roi_caption", model=t(f"revenue.model.{model}"), **when),
                  key="revenue.roi")
if not roi.is_empty():
    widgets.table(roi, f"campaign_roi_{model}")
    st.caption(t("revenue.roi_table_caption"))
