"""Figures of the data health page: rows loaded and rejected per table at import, and the reasons rows
were rejected, in the session's language."""
from __future__ import annotations

import calendar
import re
from datetime import date

import plotly.graph_objects as go
import polars as pl

from analytics.i18n.messages import MESSAGES, column_label, fmt_int, has, t
from analytics.views.style import BAD, PRIMARY, figure


def import_chart(frame: pl.DataFrame) -> go.Figure:
    """Rows loaded and rejected per table at import."""
    fig = figure(90 + 34 * frame.height)
    for column, color in (("rows_loaded", PRIMARY), ("rows_rejected", BAD)):
        fig.add_trace(go.Bar(x=frame[column].to_list(), y=frame["table_name"].to_list(), orientation="h",
                             name=column_label(column), marker_color=color,
                             text=[fmt_int(v) if v else "" for v in frame[column]], textposition="outside",
                             cliponaxis=False,
                             hovertemplate="%{y}: %{x:,}<extra></extra>"))
    fig.update_yaxes(autorange="reversed", showgrid=False)
    fig.update_xaxes(title_text=t("data.rows_axis"), rangemode="tozero")
    fig.update_layout(barmode="group")
    return fig


# --- the import's reject reasons in the session's language. The importer stores each reason in English
# (the `reason` column, kept as it is: tests, CSVs and other tools read it); a page shows it through a
# message per reason: a fixed reason is the English text of its reject.* message, a reason with variable
# parts is matched here and its parts filled into the message.
_PATTERNS = [
    (re.compile(r"not a valid (?P<kind>\w+)"), "reject.not_valid"),
    (re.compile(r"(?P<kind>\w+) outside the years (?P<first>\d+)–(?P<last>\d+)"), "reject.out_of_years"),
    (re.compile(r"duplicate (?P<column>\w+) with different content"), "reject.duplicate_different"),
    (re.compile(r"expected (?P<expected>\d+) fields, found (?P<found>\d+)"), "reject.fields"),
    (re.compile(r"unreadable date/time format \(expected e\.g\. (?P<example>.+)\)"), "reject.date_unreadable"),
    (re.compile(r"not a calendar date: there is no month (?P<month>\d+)"), "reject.no_month"),
    (re.compile(r"not a calendar date: (?P<month_name>[A-Z][a-z]+) (?P<year>\d+) has (?P<days>\d+) days, "
                r"no (?P<day_ordinal>(?P<day>\d+)\w*)"), "reject.no_day"),
    (re.compile(r"not a time of day: (?P<time>.+)"), "reject.no_time"),
]
IGNORED = " (value ignored)"  # a bad optional value: the row is kept without it


def _fixed() -> dict[str, str]:
    """English reason -> its message key: the reject.* messages without variable parts."""
    return {text: key for key, text in MESSAGES["en"].items()
            if key.startswith("reject.") and not key.startswith(("reject.kind.", "reject.fmt.")) and "{" not in text}


def reason_text(reason: str | None) -> str | None:
    """A stored (English) reject reason in the session's language; one no message knows stays as it is."""
    if not reason:
        return reason
    if reason.endswith(IGNORED):
        return t("reject.value_ignored", reason=reason_text(reason.removesuffix(IGNORED)))
    if key := _fixed().get(reason):
        return t(key)
    for pattern, key in _PATTERNS:
        if m := pattern.fullmatch(reason):
            parts = m.groupdict()
            if "kind" in parts and has(f"reject.kind.{parts['kind']}"):
                parts["kind"] = t(f"reject.kind.{parts['kind']}")
            if "month_name" in parts:
                month = date(int(parts["year"]), list(calendar.month_name).index(parts["month_name"]), 1)
                parts["month_name"] = month.strftime(t("reject.fmt.month"))
                day = t("reject.fmt.day")
                parts["day_ordinal"] = day.replace("%o", parts["day_ordinal"]).replace("%d", parts["day"])
            return t(key, **parts)
    return reason


def reasons_in_words(frame: pl.DataFrame) -> pl.DataFrame:
    """A frame of rejects with `reason_text` (the reason in the session's language) just before the stored
    `reason` (which the page hides and the CSV keeps)."""
    if "reason" not in frame.columns:
        return frame
    words = pl.Series("reason_text", [reason_text(r) for r in frame["reason"]], dtype=pl.String)
    at = frame.columns.index("reason")
    return frame.insert_column(at, words)
