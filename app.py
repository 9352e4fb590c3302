"""Closed Loop dashboard: the frame (page config, login, the shared sidebar filters) and the router.
Pages live in pages/; they read the filters with `analytics.ui.state.filters()`."""
import streamlit as st

from analytics.i18n.messages import t
from analytics.ui import auth, sidebar, url
from analytics.ui.store import store_or_explain

language = url.use_language()  # the session's language (sidebar switch or ?lang=), before any text
st.set_page_config(page_title=t("app.title"), page_icon="🔁", layout="wide")
auth.require_login()

store = store_or_explain()

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
    t("strategy.nav"): [
        st.Page("pages/strategy.py", title=t("strategy.page"), icon=":material/insights:"),
    ],
    t("nav.data"): [
        st.Page("pages/data.py", title=t("page.data"), icon=":material/database:"),
    ],
}, expanded=True)  # every page in sight (and no untranslated "View more" link)

sidebar.draw(store, language)
page.run()
