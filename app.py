"""Closed Loop dashboard: the frame (page config, shared sidebar filters, the data's as-of) and the
router. Pages live in pages/; they read the filters with `cache.filters()`."""
import streamlit as st

from analytics.core.filters import Filters
from analytics.i18n.messages import LANGUAGES, fmt_datetime, t
from analytics.store.db import NotADatabase, default_db_path
from analytics.ui import cache

language = cache.use_language()  # the session's language (sidebar switch or ?lang=), before any text
st.set_page_config(page_title=t("app.title"), page_icon="🔁", layout="wide")
cache.require_login()

try:
    store = cache.get_store()
except NotADatabase as error:
    st.error(t("store.missing", error=error), icon=":material/database:")
    st.info(t("store.how", path=default_db_path()))
    st.stop()

page = st.navigation({
    t("nav.review"): [
        st.Page("pages/weekly.py", title=t("weekly.page"), icon=":material/event_note:"),
        st.Page("pages/overview.py", title=t("page.overview"), icon=":material/dashboard:", default=True),
        st.Page("pages/funnel.py", title=t("page.funnel"), icon=":material/filter_alt:"),
        st.Page("pages/velocity.py", title=t("page.velocity"), icon=":material/speed:"),
    ],
    t("monthly.nav"): [
        st.Page("pages/monthly.py", title=t("monthly.page"), icon=":material/calendar_month:"),
        st.Page("pages/content.py", title=t("content.page"), icon=":material/article:"),
    ],
    t("journey.nav"): [
        st.Page("pages/journey.py", title=t("journey.page"), icon=":material/timeline:"),
    ],
    t("handoff.nav"): [
        st.Page("pages/quality.py", title=t("quality.page"), icon=":material/thumbs_up_down:"),
        st.Page("pages/sla.py", title=t("sla.page"), icon=":material/timer:"),
        st.Page("pages/recycling.py", title=t("recycling.page"), icon=":material/recycling:"),
    ],
    t("revenue.nav"): [
        st.Page("pages/winloss.py", title=t("winloss.page"), icon=":material/emoji_events:"),
        st.Page("pages/revenue.py", title=t("revenue.page"), icon=":material/payments:"),
        st.Page("pages/targets.py", title=t("targets.page"), icon=":material/flag:"),
    ],
    t("nav.data"): [
        st.Page("pages/data.py", title=t("page.data"), icon=":material/database:"),
    ],
}, expanded=True)  # every page in sight (and no untranslated "View more" link)

values = cache.filter_values()
last = cache.recent_period(store)[1]  # the as-of date: no period ends later
default = cache.default_period(store)  # the latest days with leads
moved = cache.default_moved_text(store)
cache.filters_within_data(values, cache.earliest_date(store), default, last)
cache.filters_from_url(values, cache.earliest_date(store), last)  # a shared link's filters, once
if "filter.period" not in st.session_state:
    st.session_state["filter.period"] = default


def use_preset() -> None:
    days = st.session_state.get("filter.preset")
    if days:
        st.session_state["filter.period"] = cache.recent_period(store, days)


with st.sidebar:
    st.radio(t("lang.label"), list(LANGUAGES), format_func=LANGUAGES.get, key=cache.LANG_KEY, horizontal=True)
    st.header(t("filter.header"))
    st.segmented_control(t("filter.quick"), cache.PRESET_DAYS, format_func=lambda d: t(f"filter.last.{d}"),
                         default=None if moved else cache.DEFAULT_DAYS, key="filter.preset", on_change=use_preset)
    period = st.date_input(t("filter.period"), min_value=cache.earliest_date(store), max_value=last,
                           format="YYYY-MM-DD", help=t("filter.period_help"), key="filter.period",
                           on_change=lambda: st.session_state.update({"filter.preset": None}))
    if moved and tuple(period or ()) == default:
        st.caption(moved)
    chosen = {name: tuple(st.multiselect(t(f"filter.{name}"), values[name], key=f"filter.{name}",
                                         placeholder=t("filter.all"),
                                         format_func=cache.rep_label if name == "owners" else str))
              for name in ("sources", "regions", "industries", "owners")}
    currencies = store.currencies()
    currency = None
    if len(currencies) > 1:  # some amounts have no rate to the corporate currency: one currency at a time
        cache.from_url("currency", "filter.currency", parse=lambda c: c if c in currencies else currencies[0])
        currency = st.selectbox(t("filter.currency"), currencies, key="filter.currency",
                                help=t("filter.currency_help", corporate=store.cfg.currency))
        st.caption(t("sidebar.money_split", currency=currency, corporate=store.cfg.currency,
                     others=", ".join(c for c in currencies if c != currency)))
    elif "opportunities" in store.tables_present():
        st.caption(t("sidebar.money", currency=currencies[0]))
    st.caption(t("sidebar.as_of", as_of=fmt_datetime(store.default_as_of), version=store.data_version[:8]),
               help=t("sidebar.as_of_help"))

# while a range is being picked the widget holds one date: use it as a one-day period
start, end = (tuple(period) * 2)[:2] if period else default
cache.set_filters(Filters(**chosen, start=start, end=end, currency=currency))
cache.filters_to_url(cache.filters(), language)  # the address bar always holds a shareable view
page.run()
