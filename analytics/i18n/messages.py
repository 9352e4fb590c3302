"""Every user-facing sentence of the dashboard, in one table, plus the number and date formats.

Pages and charts ask `t("key", **values)`. The table is written one file per language and product area
(analytics/i18n/en/<area>.py, analytics/i18n/zh/<area>.py: the same areas and keys in both), merged here
into MESSAGES; a key may be defined only once per language, and a key missing in a language falls back
to English. Stage and column names come from the data, so `stage_label` and `column_label` fall back to
the raw name when the table has no entry for it. A new language is a folder like analytics/i18n/zh
beside en, listed in LANGUAGES.
"""
from __future__ import annotations

import os
from contextvars import ContextVar
from datetime import date, datetime
from types import ModuleType

from analytics.i18n import en, zh


def _table(areas: tuple[ModuleType, ...]) -> dict[str, str]:
    """One language's areas (each a module with a TEXT dict) as one table; a key defined twice is an error."""
    table: dict[str, str] = {}
    for area in areas:
        clash = table.keys() & area.TEXT.keys()
        if clash:
            raise KeyError(f"{area.__name__} redefines message keys {sorted(clash)[:5]}")
        table.update(area.TEXT)
    return table


MESSAGES: dict[str, dict[str, str]] = {"en": _table(en.AREAS), "zh": _table(zh.AREAS)}

LANGUAGES = {"en": "English", "zh": "简体中文"}  # code -> the language's own name (the switch's options)
DEFAULT_LANGUAGE = os.environ.get("CLOSED_LOOP_LANG", "en")
# The language of the current context (a Streamlit session's script thread): set per run with
# set_language, so two sessions of one app process each keep their own. Threads that inherit no
# context (Polars' workers running map_elements) fall back to the process default.
_LANGUAGE: ContextVar[str | None] = ContextVar("closed_loop_language", default=None)
_PROCESS = {"language": DEFAULT_LANGUAGE}


def set_language(code: str | None, process: bool = False) -> str:
    """Use `code` (en, zh) for t() in this context from now on (unknown: English); process=True also
    makes it the whole process's default (the CLI: one user, one language)."""
    code = code if code in LANGUAGES else "en"
    _LANGUAGE.set(code)
    if process:
        _PROCESS["language"] = code
    return code


def language() -> str:
    return _LANGUAGE.get() or _PROCESS["language"]


def t(key: str, **values) -> str:
    """The message `key` in the current language (English when missing), filled with values."""
    text = MESSAGES.get(language(), {}).get(key) or MESSAGES["en"][key]
    return text.format(**values) if values else text


def has(key: str) -> bool:
    return key in MESSAGES.get(language(), {}) or key in MESSAGES["en"]


def stage_label(stage: str) -> str:
    return t(f"stage.{stage}") if has(f"stage.{stage}") else stage


def dimension_label(column: str) -> str:
    """Label of a breakdown dimension (as offered in 'Break down by')."""
    return t(f"dim.{column}") if has(f"dim.{column}") else column_label(column)


def column_label(column: str) -> str:
    """Label of a table column, breakdown dimension or stage; unknown columns keep their own name."""
    for prefix in ("col.", "dim.", "stage."):
        if has(prefix + column):
            return t(prefix + column)
    return column.replace("_", " ").capitalize()


# --- formats -----------------------------------------------------------------------------------

def fmt_date(value: date | datetime | None) -> str:
    return "—" if value is None else value.strftime(t("fmt.date"))


def fmt_datetime(value: datetime | None) -> str:
    return "—" if value is None else value.strftime(t("fmt.datetime"))


def fmt_int(value: float | None) -> str:
    return "—" if value is None else f"{value:,.0f}"


def fmt_money(value: float | None) -> str:
    """Compact amounts (35.0K, 1.24M) so that headline tiles never truncate; exact value in help."""
    if value is None:
        return "—"
    if round(value) == 0:
        return "0"  # never "-0"
    if abs(value) >= 1e6:
        return t("fmt.million", value=f"{value / 1e6:,.2f}")
    if abs(value) >= 1e4:
        return t("fmt.thousand", value=f"{value / 1e3:,.1f}")
    return f"{value:,.0f}"


def fmt_pct(value: float | None, digits: int = 0) -> str:
    if value is None:
        return "—"
    text = f"{value:.{digits}%}"
    return text[1:] if text.startswith("-") and not text.strip("-0.%") else text  # never "-0%"


def fmt_days(value: float | None) -> str:
    return "—" if value is None else f"{value:,.1f}"


def fmt_change(current: float | None, previous: float | None, kind: str = "count") -> str | int | None:
    """The st.metric delta of a headline figure vs the previous period: '+12 (+8%)' for counts and
    amounts, '+4.0 pp' for rates; 0 (grey, no arrow) when unchanged; None when not comparable."""
    if current is None or previous is None:
        return None
    change = current - previous
    if change == 0:
        return 0
    sign = "+" if change > 0 else "-"
    if kind == "rate":
        return sign + t("fmt.points", value=f"{abs(change) * 100:.1f}")
    text = sign + (fmt_money(abs(change)) if kind == "money" else fmt_int(abs(change)))
    if previous:
        text = t("fmt.delta_with_pct", delta=text, pct=f"{sign}{abs(change) / abs(previous):.0%}")
    return text
