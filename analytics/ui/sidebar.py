"""The shared sidebar: language, period (quick presets, kept inside the data's dates), lead filters,
currency and the data's as-of. A shared link's filters go in first; the chosen ones go back to the URL."""
from __future__ import annotations

import streamlit as st

from analytics.core.filters import Filters
from analytics.i18n.messages import LANGUAGES, fmt_datetime, t
from analytics.store.db import Store
from analytics.ui import lookups, state, url


def draw(store: Store, language: str) -> Filters:
    """Draw the sidebar, keep its Filters in the session (state.filters()) and the URL; returns them."""
    values = lookups.filter_values()
    last = state.recent_period(store)[1]  # the as-of date: no period ends later
    default = state.default_period(store)  # the latest days with leads
    moved = state.default_moved_text(store)
    earliest = state.earliest_date(store)
    url.filters_within_data(values, earliest, default, last)
    url.filters_from_url(values, earliest, last)  # a shared link's filters, once
    if "filter.period" not in st.session_state:
        st.session_state["filter.period"] = default

    def use_preset() -> None:
        days = st.session_state.get("filter.preset")
        if days:
            st.session_state["filter.period"] = state.recent_period(store, days)

    with st.sidebar:
        st.radio(t("lang.label"), list(LANGUAGES), format_func=LANGUAGES.get, key=url.LANG_KEY, horizontal=True)
        st.header(t("filter.header"))
        # a pasted link's period has set the preset already: no default beside it (Streamlit warns of both)
        preset_default = {} if "filter.preset" in st.session_state else {
            "default": None if moved else state.DEFAULT_DAYS}
        st.segmented_control(t("filter.quick"), state.PRESET_DAYS, format_func=lambda d: t(f"filter.last.{d}"),
                             key="filter.preset", on_change=use_preset, **preset_default)
        period = st.date_input(t("filter.period"), min_value=earliest, max_value=last,
                               format="YYYY-MM-DD", help=t("filter.period_help"), key="filter.period",
                               on_change=lambda: st.session_state.update({"filter.preset": None}))
        if moved and tuple(period or ()) == default:
            st.caption(moved)
        chosen = {name: tuple(st.multiselect(t(f"filter.{name}"), values[name], key=f"filter.{name}",
                                             placeholder=t("filter.all"),
                                             format_func=lookups.rep_label if name == "owners" else str))
                  for name in ("sources", "regions", "industries", "owners")}
        currency = _currency(store)
        st.caption(t("sidebar.as_of", as_of=fmt_datetime(store.default_as_of), version=store.data_version[:8]),
                   help=t("sidebar.as_of_help"))

    # while a range is being picked the widget holds one date: use it as a one-day period
    start, end = (tuple(period) * 2)[:2] if period else default
    state.set_filters(Filters(**chosen, start=start, end=end, currency=currency))
    url.filters_to_url(state.filters(), language)  # the address bar always holds a shareable view
    return state.filters()


def _currency(store: Store) -> str | None:
    """The currency picker when some amounts have no rate to the corporate currency (one at a time)."""
    currencies = store.currencies()
    if len(currencies) > 1:
        url.from_url("currency", "filter.currency", parse=lambda c: c if c in currencies else currencies[0])
        currency = st.selectbox(t("filter.currency"), currencies, key="filter.currency",
                                help=t("filter.currency_help", corporate=store.cfg.currency))
        st.caption(t("sidebar.money_split", currency=currency, corporate=store.cfg.currency,
                     others=", ".join(c for c in currencies if c != currency)))
        return currency
    if "opportunities" in store.tables_present():
        st.caption(t("sidebar.money", currency=currencies[0]))
    return None
