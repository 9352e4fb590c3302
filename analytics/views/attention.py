"""The weekly headline in words (analytics/engine/attention.py): one sentence per item, a coloured
badge, the owners by name, and the verdict over the whole list. No SQL, no streamlit."""
from __future__ import annotations

import polars as pl

from analytics.i18n.messages import fmt_int, fmt_pct, stage_label, t
from analytics.views import weekly as weekly_views

COLORS = {"red": "red", "amber": "orange", "good": "green"}
MAX_OWNERS = 3


def owners_text(ids: list[str] | None, counts: list[int] | None, names: dict[str, str]) -> str:
    """"Ana Lopez 3, Ben Ng 2, Chen Li 1 and 4 more" (ids only when the export has no rep names)."""
    if not ids:
        return ""
    shown = [f"{names.get(i) or i or t('attention.no_owner')} {fmt_int(n)}"
             for i, n in zip(ids[:MAX_OWNERS], counts[:MAX_OWNERS], strict=True)]
    more = len(ids) - MAX_OWNERS
    return t("attention.sep").join(shown) + (t("attention.more_owners", n=fmt_int(more)) if more > 0 else "")


def badge(item: dict) -> str:
    """The item's kind as a coloured badge (red off target, orange behind, green good news…)."""
    key = f"attention.badge.{item['kind']}.{item['level']}"
    return f":{COLORS[item['level']]}-badge[{t(key)}]"


def subject(item: dict) -> str:
    """What the item is about, by its meeting name."""
    if item["kind"] == "conversion":
        return f"{stage_label(item['subject'])} → {stage_label(item['to_subject'])}"
    if item["kind"] in ("breaches", "stalled"):
        return t(f"attention.subject.{item['kind']}")
    return weekly_views.measure_label(item["subject"])


def sentence(item: dict, names: dict[str, str]) -> str:
    """The item in one plain sentence, figures formatted as on the rest of the page."""
    kind, m = item["kind"], item["subject"]
    if kind in ("target", "noise"):
        values = {"what": subject(item), "value": weekly_views.fmt_measure(m, item["value"]),
                  "pct": fmt_pct(item["of_target"]),
                  "target": weekly_views.fmt_measure(m, item["reference"], average=True),
                  "avg": weekly_views.fmt_measure(m, item["avg_4w"], average=True)}
        key = f"attention.{kind}.{item['level']}"
        return t(key, **values)
    if kind == "conversion":
        text = t("attention.conversion", what=subject(item), week=item["cohort_week"] or "—",
                 rate=fmt_pct(item["value"]), k=fmt_int(item["leads"]), n=fmt_int(item["n"]),
                 before=fmt_pct(item["reference"]))
        return text + (" " + t("attention.low_volume") if item["is_low_volume"] else "")
    who = owners_text(item["owner_ids"], item["owner_counts"], names)
    if kind == "breaches":
        slas = t("attention.sep").join(t(f"weekly.sla.{s}").lower() for s in item["stages"] or [])
        return t("attention.breaches", n=fmt_int(item["n"]), leads=fmt_int(item["leads"]), slas=slas, owners=who)
    return t("attention.stalled", n=fmt_int(item["leads"]), owners=who)


def lines(items: pl.DataFrame, names: dict[str, str]) -> list[str]:
    """The numbered markdown lines of the headline, in rank order."""
    return [f"{item['rank']}. {badge(item)} {sentence(item, names)}" for item in items.iter_rows(named=True)]


def verdict(items: pl.DataFrame, amber_below: float) -> tuple[str, str]:
    """(level, sentence) over the whole list: red when anything is red, amber when only amber, else
    'nothing needs attention' (good news may still be listed)."""
    levels = items["level"].to_list()
    red, amber = levels.count("red"), levels.count("amber")
    if red:
        return "red", t("attention.verdict.red", red=fmt_int(red), amber=fmt_int(amber))
    if amber:
        return "amber", t("attention.verdict.amber", amber=fmt_int(amber))
    return "good", t("attention.verdict.good", amber=fmt_pct(amber_below))


def drill_label(item: dict) -> str:
    """The short name of an item on the 'leads behind' picker."""
    return f"{item['rank']} · {subject(item)}"
