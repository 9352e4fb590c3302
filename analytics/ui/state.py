"""The session's filters and periods: the sidebar puts its Filters in session state, pages read them
with `filters()`; every period ends at the data's as-of, never the wall clock."""
from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from analytics.core.filters import Filters
from analytics.core.filters import default_period as default_period_of
from analytics.engine import health, metrics
from analytics.i18n.messages import fmt_date, fmt_datetime, t
from analytics.store.db import Store
from analytics.ui.calls import cached
from analytics.ui.store import get_store

DEFAULT_DAYS = 90
PRESET_DAYS = (7, 28, 90, 365)  # the sidebar's quick periods, each ending at the data's as-of
TREND_DAYS = 365
FILTERS_KEY = "closed_loop.filters"


def ensure_frame() -> None:
    """Make sure the page runs inside app.py. On a fresh server, when the first request is a deep
    link (/funnel, /velocity…), Streamlit sees the pages/ folder and runs that file alone in its
    legacy multipage mode, without the frame (no filters, no wide layout) until some run has called
    st.navigation. Switch the legacy mode off, as st.navigation does, and rerun through app.py."""
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


def recent_period(store: Store, days: int = DEFAULT_DAYS) -> tuple[date, date]:
    """The last `days` days up to the data's as-of (never the wall clock)."""
    end = store.default_as_of.date() if store.default_as_of else date.today()
    return end - timedelta(days=days - 1), end


def default_period(store: Store) -> tuple[date, date]:
    """The period a session starts with: the last DEFAULT_DAYS days up to as-of or, when they hold no
    new lead, the DEFAULT_DAYS days up to the last lead created (filters.default_period)."""
    last_lead = cached(health.last_lead_at)
    return default_period_of(recent_period(store)[1], last_lead.date() if last_lead else None, DEFAULT_DAYS)


def default_moved_text(store: Store) -> str | None:
    """What the sidebar says when the default period is not the last days before as-of (else None)."""
    start, end = default_period(store)
    if end == recent_period(store)[1]:
        return None
    return t("filter.default_moved", days=DEFAULT_DAYS, as_of=fmt_date(store.default_as_of), start=fmt_date(start),
             end=fmt_date(end))


def earliest_date(store: Store) -> date:
    """The first date the period picker offers: the first lead, or earlier for the longest preset."""
    first = recent_period(store, max(PRESET_DAYS))[0]
    return min(first, store.first_lead_at.date()) if store.first_lead_at else first


def set_filters(filters: Filters) -> None:
    st.session_state[FILTERS_KEY] = filters


def filters() -> Filters:
    """The Filters chosen in the sidebar (the default period when the sidebar has not run)."""
    chosen = st.session_state.get(FILTERS_KEY)
    if chosen is None:
        start, end = default_period(get_store())
        chosen = Filters(start=start, end=end)
    return chosen


def lead_filters(filters: Filters) -> Filters:
    """Only the lead filters (source, region, industry, owner): for views the period does not apply to."""
    return filters.over()


def trend_filters(filters: Filters) -> Filters:
    """The chosen filters over at least the last TREND_DAYS days up to the period's end."""
    return replace(filters, start=min(filters.start, filters.end - timedelta(days=TREND_DAYS - 1)))


def period_text(start: date, end: date) -> dict[str, str]:
    return {"start": fmt_date(start), "end": fmt_date(end), "as_of": fmt_datetime(get_store().default_as_of)}


def compare_text(filters: Filters) -> str:
    start, end = metrics.previous_period(filters.start, filters.end)
    return t("period.compare", days=(filters.end - filters.start).days + 1, start=fmt_date(start), end=fmt_date(end))


def overview_grain(filters: Filters) -> str:
    """Weeks for a quarter or less, months beyond (so the overview's flow stays readable)."""
    return "week" if (filters.end - filters.start).days < 120 else "month"
