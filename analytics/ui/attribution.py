"""The Revenue contribution page's data-driven attribution and account-based sections (issue 18): kept
apart from the page's other sections so each can change on its own."""
from __future__ import annotations

import streamlit as st

from analytics.core.filters import Filters
from analytics.engine import datadriven
from analytics.i18n.messages import fmt_int, fmt_money, fmt_pct, t
from analytics.ui import calls, lookups, url, widgets
from analytics.views import revenue as revenue_views


def data_driven_section(chosen: Filters, basis: str, by: str, when: dict) -> None:
    """The chosen data-driven model's credit with bootstrap error bars and its warnings; the model, the
    Markov order and the buyer (lead or account) live in the URL."""
    st.subheader(t("attribution.data_driven"))
    st.caption(t("attribution.intro"))
    pick_model, pick_order, pick_grain = st.columns(3)
    model = url.choice(pick_model.segmented_control, "dd", t("attribution.dd_model"), list(datadriven.DATA_DRIVEN),
                       default="markov", key="revenue.dd_model", format_func=lambda m: t(f"col.{m}")) or "markov"
    order = url.choice(pick_order.segmented_control, "order", t("attribution.order"), list(datadriven.ORDERS),
                       default=1, key="revenue.order", help=t("attribution.order_help"),
                       disabled=model != "markov") or 1
    grain = url.choice(pick_grain.segmented_control, "buyer", t("attribution.grain"), list(datadriven.GRAINS),
                       default="lead", key="revenue.grain", format_func=lambda g: t(f"attribution.grain.{g}"),
                       help=t("attribution.grain_help")) or "lead"
    result = calls.cached(datadriven.data_driven, model, basis, by, filters=chosen, grain=grain,
                          order=order if model == "markov" else 1, draws=datadriven.BOOTSTRAP_DRAWS)
    frame = result.frame
    if frame.is_empty():
        widgets.info("attribution.nothing", **when)
        return
    label = lookups.segment_label(by)
    widgets.chart(revenue_views.data_driven_chart(frame, by, model, label=label),
                  t("attribution.chart_caption", model=t(f"revenue.model.{model}"),
                    basis=t(f"revenue.basis.{basis}").lower(), draws=datadriven.BOOTSTRAP_DRAWS,
                    paths=fmt_int(result.converting), nulls=fmt_int(result.non_converting),
                    total=f"{frame['credit'].sum():,.2f}", **when),
                  key="revenue.data_driven", method=t("attribution.method"))
    if "few_non_converting" in result.warnings:
        st.warning(t("attribution.few_non_converting", nulls=fmt_int(result.non_converting),
                     minimum=datadriven.MIN_NON_CONVERTING), icon=":material/warning:")
    if "noise" in result.warnings:
        noisy = [label(v) for v in frame.filter(frame["is_noise"])[by]]
        st.warning(t("attribution.noise", values=", ".join(noisy)), icon=":material/warning:")
    exact = not (frame["sampling_error"] > 0).any()  # Markov, and Shapley with no path beyond the exact limit
    widgets.table(frame.drop("sampling_error") if exact else frame, f"{model}_{basis}_by_{by}_{grain}")


def account_section(chosen: Filters, when: dict) -> None:
    """Accounts engaged → with an opportunity → won, and the won revenue bought by a committee."""
    st.subheader(t("attribution.accounts"))
    st.caption(t("attribution.accounts_intro"))
    funnel = calls.cached(datadriven.account_funnel, filters=chosen)
    cols = st.columns(4)
    cols[0].metric(t("attribution.accounts_engaged"), fmt_int(funnel["accounts_engaged"]))
    cols[1].metric(t("attribution.accounts_with_opportunity"), fmt_int(funnel["accounts_with_opportunity"]))
    cols[2].metric(t("attribution.accounts_won"), fmt_int(funnel["accounts_won"]))
    share = funnel["committee_share"]
    cols[3].metric(t("attribution.committee_share"), fmt_pct(share) if share is not None else "–")
    st.caption(t("attribution.accounts_caption", committee=fmt_money(funnel["committee_won_amount"]),
                 won=fmt_money(funnel["won_amount"]), **when))
