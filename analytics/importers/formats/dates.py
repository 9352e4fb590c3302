"""Dates in exports: `parse_dates` reads ISO or year-first dates with `-` `.` `/` separators, optional
time, AM/PM and offset; for `12/03/2018`-style dates the day/month order is decided once per column
from the values (a first part above 12 proves day-first, a second part above 12 proves month-first). A
column where nothing decides it, and no format is configured, stops the conversion with the file,
column and an example: a date is never guessed. `date_reason` says why a value is not a date."""
from __future__ import annotations

import calendar
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone

from analytics.importers.formats import ConversionFailed

_TIME = (r"(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,6}))?)?(?:\s*([AaPp])\.?[Mm]\.?)?)?"
         r"\s*(Z|[+-]\d{2}:?\d{2})?")
_YEAR_FIRST = re.compile(r"(\d{4})[-./](\d{1,2})[-./](\d{1,2})\.?" + _TIME)
_YEAR_LAST = re.compile(r"(\d{1,2})[-./](\d{1,2})[-./](\d{4}|\d{2})" + _TIME)
ISO_TEXT = "%Y-%m-%d %H:%M:%S"


@dataclass
class Dates:
    """A parsed date column: `values` as datetimes (None when blank or bad), `text` as ISO text for the
    canonical import, `bad` the positions of values that are not dates, `note` how the order was read."""
    values: list[datetime | None]
    bad: list[int]
    note: str | None = None
    order: str | None = None  # how `12/03/2018`-style values were read: "dmy", "mdy" or a strptime format

    @property
    def text(self) -> list[str | None]:
        return [None if v is None else _iso(v) for v in self.values]


def _iso(v: datetime) -> str:
    text = v.strftime(ISO_TEXT + (".%f" if v.microsecond else ""))
    if v.tzinfo is not None:
        offset = v.utcoffset() or timedelta(0)
        minutes = int(offset.total_seconds() // 60)
        text += f"{'+' if minutes >= 0 else '-'}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
    return text


def parse_dates(values: Sequence[str | None], file: str, column: str, formats: Sequence[str] = (),
                stated: str | None = None, hint: str = "",
                also: Mapping[str, Sequence[str | None]] | None = None) -> Dates:
    """Parse one column of dates; see the module docstring for the rules.

    `stated` is a strptime format that applies to every value (ISO values are accepted too);
    `formats` (the config's timestamp_formats) settle a column whose day/month order the values
    leave open, and read values of no known shape; `also` holds the file's other date columns, whose
    values count as evidence of the order too (one file is written with one locale). Stops
    (ConversionFailed) on a column nothing decides.
    """
    out: list[datetime | None] = [None] * len(values)
    bad: list[int] = []
    year_last: list[tuple[int, re.Match]] = []
    for i, raw in enumerate(values):
        if raw is None or not raw.strip():
            continue
        v = raw.strip()
        if stated:
            out[i] = _strptime(v, (stated,)) or _year_first(v)
        elif m := _YEAR_LAST.fullmatch(v):
            year_last.append((i, m))
            continue
        else:
            out[i] = _year_first(v) or _strptime(v, formats)
        if out[i] is None:
            bad.append(i)
    note = order = None
    if year_last:
        evidence = [(column, values[i].strip(), m) for i, m in year_last]
        for other, others in (also or {}).items():
            if other != column:
                evidence += [(other, v.strip(), m) for v in others if v and (m := _YEAR_LAST.fullmatch(v.strip()))]
        order, note = _order(evidence, [values[i].strip() for i, _ in year_last], file, column, formats, hint)
        for i, m in year_last:
            out[i] = _strptime(values[i].strip(), (order,)) if order.startswith("%") else _year_last(m, order)
            if out[i] is None:
                bad.append(i)
    return Dates(out, sorted(bad), note, order)


def date_reason(value: str, order: str | None = None, example: str = "2024-03-05 14:30") -> str:
    """Why `value` is not a date/time: a value of a date's shape whose month, day or time cannot be
    ("not a calendar date: February 2026 has no 30th day"), or one in no known date form at all.
    `order` is the column's day/month order (Dates.order), needed to explain `31/02/2024`."""
    v = value.strip()
    parts = None
    if m := _YEAR_FIRST.fullmatch(v):
        parts = int(m[1]), int(m[2]), int(m[3])
    elif (m := _YEAR_LAST.fullmatch(v)) and order:
        if order.startswith("%"):
            order = "dmy" if order.find("%d") < order.find("%m") else "mdy"
        a, b, year = int(m[1]), int(m[2]), int(m[3])
        year += (2000 if year < 70 else 1900) if len(m[3]) == 2 else 0
        parts = (year, b, a) if order == "dmy" else (year, a, b)
    unreadable = f"unreadable date/time format (expected e.g. {example})"
    if parts is None:
        return unreadable
    year, month, day = parts
    if not 1 <= month <= 12:
        return f"not a calendar date: there is no month {month}"
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        return f"not a calendar date: {calendar.month_name[month]} {year} has {days} days, no {_ordinal(day)}"
    hour, minute, second, half = int(m[4] or 0), int(m[5] or 0), int(m[6] or 0), m[8]
    if hour > 23 or minute > 59 or second > 59 or (half and not 1 <= hour <= 12):
        return f"not a time of day: {m[4]}:{m[5]}" + (f" {half.upper()}M" if half else "")
    return unreadable


def _ordinal(n: int) -> str:
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


def _order(evidence: list[tuple[str, str, re.Match]], own: list[str], file: str, column: str,
           formats: Sequence[str], hint: str) -> tuple[str, str]:
    """'dmy' or 'mdy' from the evidence, else the first configured format that reads all `own` values."""
    day_first = next(((c, v) for c, v, m in evidence if int(m[1]) > 12 and int(m[2]) <= 12), None)
    month_first = next(((c, v) for c, v, m in evidence if int(m[2]) > 12 and int(m[1]) <= 12), None)
    shown = lambda found: repr(found[1]) + ("" if found[0] == column else f" in {found[0]}")  # noqa: E731
    if day_first and month_first:
        raise ConversionFailed(f"{file}: column {column}: dates are both day-first ({shown(day_first)}) and "
                               f"month-first ({shown(month_first)}); fix the file or state one format{hint}")
    if day_first or month_first:
        order, example = ("dmy", day_first) if day_first else ("mdy", month_first)
        label = "day-first (DD/MM/YYYY)" if day_first else "month-first (MM/DD/YYYY)"
        return order, f"{file}: {column} read as {label}, as {shown(example)} shows"
    for fmt in formats:
        if all(_strptime(v, (fmt,)) for v in own):
            return fmt, f"{file}: {column} read with the configured format {fmt!r}"
    raise ConversionFailed(
        f"{file}: column {column}: cannot tell whether dates such as {own[0]!r} are day-first or "
        f"month-first (no date in the file has a day above 12); state the format{hint}")


def _strptime(v: str, formats: Sequence[str]) -> datetime | None:
    for fmt in formats:
        try:
            return datetime.strptime(v, fmt)
        except ValueError:
            continue
    return None


def _year_first(v: str) -> datetime | None:
    m = _YEAR_FIRST.fullmatch(v)
    return _build(int(m[1]), int(m[2]), int(m[3]), m, 4) if m else None


def _year_last(m: re.Match, order: str) -> datetime | None:
    a, b, year = int(m[1]), int(m[2]), int(m[3])
    if len(m[3]) == 2:
        year += 2000 if year < 70 else 1900
    day, month = (a, b) if order == "dmy" else (b, a)
    return _build(year, month, day, m, 4)


def _build(year: int, month: int, day: int, m: re.Match, g: int) -> datetime | None:
    hour, minute, second, fraction, half, offset = (m[g], m[g + 1], m[g + 2], m[g + 3], m[g + 4], m[g + 5])
    h = int(hour or 0)
    if half:
        if not 1 <= h <= 12:
            return None
        h = h % 12 + (12 if half.lower() == "p" else 0)
    tz = None
    if offset:
        if offset == "Z":
            tz = UTC
        else:
            digits = offset[1:].replace(":", "")
            delta = timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
            tz = timezone(delta if offset[0] == "+" else -delta)
    try:
        return datetime(year, month, day, h, int(minute or 0), int(second or 0),
                        int((fraction or "0").ljust(6, "0")), tzinfo=tz)
    except ValueError:
        return None


# --- helpers the converters share -----------------------------------------------------------------
