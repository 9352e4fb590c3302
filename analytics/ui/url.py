"""The address bar: the sidebar filters, the language and every page-level choice (week, lead, from/to
stage, breakdown, window, grain, measure, model, basis, sort…) live in st.query_params, so a link pasted
in the meeting chat opens the same view. A page draws such a widget through `choice` (a pick among
options) or `bound` (a number); a URL value that is not one of the options falls back to the default.

A value in the URL that the session has not taken in yet (a pasted link, a drill-down link) goes into
its widget before the widget is drawn; after that the widgets are the truth and are written back."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from urllib.parse import urlencode

import streamlit as st

from analytics.core.filters import Filters
from analytics.i18n import messages
from analytics.ui.state import DEFAULT_DAYS

URL_FILTERS = {"sources": "source", "regions": "region", "industries": "industry", "owners": "owner"}
URL_SHARED = (*URL_FILTERS.values(), "from", "to", "currency", "lang")  # what every link to another page carries
LANG_KEY = "ui.lang"
_URL_SEEN = "closed_loop.url_seen"


def _url_raw(name: str, multi: bool = False):
    return tuple(st.query_params.get_all(name)) if multi else st.query_params.get(name)


def from_url(name: str, key: str, parse: Callable = str, multi: bool = False) -> bool:
    """Before widget `key` is drawn: take URL value `name` into it when the session has not seen that
    value yet (or the widget has no state); an unreadable value is ignored. True when it was taken."""
    raw = _url_raw(name, multi)
    seen = st.session_state.setdefault(_URL_SEEN, {})
    taken = False
    if raw and (raw != seen.get(name) or key not in st.session_state):
        try:
            st.session_state[key] = parse(raw)
            taken = True
        except (ValueError, TypeError, KeyError):
            pass
    seen[name] = raw
    return taken


def to_url(**values) -> None:
    """Write state to the URL: a text, a list of texts (a repeated parameter), or None/empty to drop it."""
    seen = st.session_state.setdefault(_URL_SEEN, {})
    for name, value in values.items():
        multi = isinstance(value, list | tuple)
        wanted = tuple(str(v) for v in value) if multi else (str(value) if value not in (None, "") else None)
        if not wanted:
            if name in st.query_params:
                del st.query_params[name]
            seen[name] = None
            continue
        if _url_raw(name, multi) != wanted:
            st.query_params[name] = list(wanted) if multi else wanted
        seen[name] = wanted


def use_language() -> str:
    """The session's language (the sidebar switch, else ?lang=, else CLOSED_LOOP_LANG), set for t()
    in this run; call first thing in app.py."""
    from_url("lang", LANG_KEY, parse=lambda code: code if code in messages.LANGUAGES else messages.DEFAULT_LANGUAGE)
    return messages.set_language(st.session_state.setdefault(LANG_KEY, messages.DEFAULT_LANGUAGE))


def filters_within_data(values: dict[str, list[str]], earliest: date, default: tuple[date, date],
                        last: date) -> None:
    """A session's filters that the data no longer has (another export was imported while it was
    open) are dropped, and its period is kept inside the data's dates, earliest to last (else the
    widgets refuse them); a period wholly outside them becomes the default."""
    for name in URL_FILTERS:
        key = f"filter.{name}"
        if st.session_state.get(key):
            st.session_state[key] = [v for v in st.session_state[key] if v in values[name]]
    period = tuple(st.session_state.get("filter.period") or ())
    if any(d < earliest or d > last for d in period):  # (a range being picked holds one date)
        start, end = max(period[0], earliest), min(period[-1], last)
        if start > end:
            start, end = default
            st.session_state["filter.preset"] = DEFAULT_DAYS if end == last else None
        st.session_state["filter.period"] = (start, end)


def filters_from_url(values: dict[str, list[str]], first: date, last: date) -> None:
    """Before the sidebar is drawn: the filters of a shared link (?source=Webinar&from=…&to=…); values
    the data does not have are dropped, dates are kept inside the data's range."""
    for name, param in URL_FILTERS.items():
        from_url(param, f"filter.{name}", lambda raw, known=values[name]: [v for v in raw if v in known], multi=True)
    start, end = st.query_params.get("from"), st.query_params.get("to")
    raw = (start, end) if start or end else None
    seen = st.session_state.setdefault(_URL_SEEN, {})
    if raw and raw != seen.get("period"):
        try:
            chosen = (max(date.fromisoformat(start) if start else first, first),
                      min(date.fromisoformat(end) if end else last, last))
        except ValueError:
            chosen = None
        if chosen and chosen[0] <= chosen[1]:
            st.session_state["filter.period"] = chosen
            st.session_state["filter.preset"] = None
    seen["period"] = raw


def filters_to_url(filters: Filters, language: str) -> None:
    """After the sidebar: the chosen filters and language into the URL."""
    to_url(**{param: list(getattr(filters, name)) for name, param in URL_FILTERS.items()},
           **{"from": filters.start.isoformat() if filters.start else None,
              "to": filters.end.isoformat() if filters.end else None},
           currency=filters.currency,
           lang=None if language == messages.DEFAULT_LANGUAGE else language)
    st.session_state[_URL_SEEN]["period"] = (st.query_params.get("from"), st.query_params.get("to"))


def link_params(**extra) -> dict[str, str | list[str]]:
    """The filters and language of the current URL plus `extra`: the query of a link to another page."""
    params = {name: st.query_params.get_all(name) for name in URL_SHARED if name in st.query_params}
    return {**{k: v[0] if len(v) == 1 else v for k, v in params.items()},
            **{k: str(v) for k, v in extra.items() if v not in (None, "")}}


def link_url(path: str, **extra) -> str:
    """A relative link to page `path` (its url path, e.g. "journey") with the current filters."""
    return f"{path}?{urlencode(link_params(**extra), doseq=True)}"


def journey_links(leads) -> list[str | None]:
    """A journey link (with the current filters) for each lead id, None for a missing one: the URL's
    filters read once for the whole list (a list can be a thousand rows)."""
    shared = link_params()
    return [f"journey?{urlencode({**shared, 'lead': str(lead)}, doseq=True)}" if lead not in (None, "") else None
            for lead in leads]


def filters_text(filters: Filters) -> str:
    """The lead filters as one stable line ('source=Webinar; region=EMEA,NA'; '' = all leads): what a
    snapshot was frozen for."""
    return "; ".join(f"{param}={','.join(sorted(getattr(filters, name)))}"
                     for name, param in URL_FILTERS.items() if getattr(filters, name))


_DEFAULTS = ("index", "default", "value")  # how a widget is told its first value


def _text(option) -> str:
    """An option as the URL writes it: a stage, dimension or model code (short, readable), a number,
    an ISO date; None (the "all" option) as 'all'."""
    if option is None:
        return "all"
    return option.isoformat() if hasattr(option, "isoformat") else str(option)


def choice(widget: Callable, param: str, label: str, options: Sequence, *, key: str, multi: bool = False, **kwargs):
    """Draw `widget(label, options, key=key, **kwargs)` (a selectbox, segmented control, pills,
    select slider…) whose choice lives in URL parameter `param`: a pasted link's value is taken when it
    is one of `options` (else the widget keeps its default), and the shown choice is written back.
    Returns the widget's value."""
    by_text = {_text(o): o for o in options}

    def parse(raw):
        if multi:
            return [by_text[r] for r in raw if r in by_text]
        return by_text[raw]  # KeyError: not an option, ignored

    _take(param, key, parse, multi, kwargs)
    value = widget(label, options, key=key, **kwargs)
    _write(param, [_text(v) for v in value or ()] if multi else None if value is None and
           None not in options else _text(value))
    return value


def bound(widget: Callable, param: str, label: str, *, key: str, min_value: int, max_value: int, **kwargs):
    """Draw a number widget (`number_input`) whose value lives in URL parameter `param`: a pasted
    whole number within min_value..max_value is taken, anything else leaves the default."""
    def parse(raw: str) -> int:
        number = int(raw)
        if not min_value <= number <= max_value:
            raise ValueError(raw)
        return number

    _take(param, key, parse, False, kwargs)
    value = widget(label, key=key, min_value=min_value, max_value=max_value, **kwargs)
    _write(param, None if value is None else str(value))
    return value


def _take(param: str, key: str, parse: Callable, multi: bool, kwargs: dict) -> None:
    """A URL value new to this session goes into the widget's state; the widget is then drawn without
    its default (Streamlit warns when a widget gets both)."""
    if from_url(param, key, parse, multi):
        for name in _DEFAULTS:
            kwargs.pop(name, None)


def _write(param: str, value) -> None:
    to_url(**{param: value})

