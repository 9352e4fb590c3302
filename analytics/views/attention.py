"""The weekly headline in words (analytics/engine/attention.py): one sentence per item, a coloured
badge, the owners by name, and the verdict over the whole list. No SQL, no streamlit."""
from __future__ import annotations

import polars as pl

from analytics.i18n.messages import fmt_date, fmt_int, fmt_money, fmt_pct, stage_label, t
from analytics.views import weekly as weekly_views
from analytics.views.monthly import metric_label

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


# --- the monthly review's headline (engine.attention.rank_targets) ----------------------------------

def _figure(metric: str, value: float | None) -> str:
    return fmt_money(value) if metric.endswith("_amount") else fmt_int(value)


def period_text(item: dict) -> str:
    """The target's period: 'Nov 2026' for a month, '1 Oct – 31 Dec 2026' for a longer one."""
    start, end = item["period_start"], item["period_end"]
    if (start.year, start.month) == (end.year, end.month):
        return start.strftime(t("monthly.fmt.month"))
    return f"{fmt_date(start)} – {fmt_date(end)}"


def month_subject(item: dict) -> str:
    return metric_label(item["metric"])


def month_sentence(item: dict) -> str:
    """A red or amber target item in one plain sentence."""
    values = {"what": month_subject(item), "actual": _figure(item["metric"], item["actual"]),
              "target": _figure(item["metric"], item["target"]), "due": _figure(item["metric"], item["due"]),
              "pct": fmt_pct(item["ratio"]), "period": period_text(item),
              "elapsed": fmt_pct(item["elapsed_share"])}
    return t(f"month_attention.{item['kind']}.{item['level']}", **values)


def month_lines(items: pl.DataFrame) -> list[str]:
    """Numbered lines for the red and amber items, then one line naming the targets on pace."""
    shown = [f"{i['rank']}. :{COLORS[i['level']]}-badge[{t('month_attention.badge.' + i['kind'])}] "
             f"{month_sentence(i)}" for i in items.iter_rows(named=True) if i["level"] != "good"]
    good = [i for i in items.iter_rows(named=True) if i["level"] == "good"]
    if good:
        which = t("attention.sep").join(f"{month_subject(i)} {fmt_pct(i['ratio'])}" for i in good)
        shown.append(t("month_attention.on_pace", period=period_text(good[0]), which=which))
    return shown


def month_verdict(items: pl.DataFrame, month: str, amber_below: float) -> tuple[str, str]:
    """(level, sentence) over the month's targets: red when anything is red, amber when only amber,
    else every target on pace."""
    levels = items["level"].to_list()
    red, amber = levels.count("red"), levels.count("amber")
    if red:
        return "red", t("month_attention.verdict.red", month=month, red=fmt_int(red), amber=fmt_int(amber))
    if amber:
        return "amber", t("month_attention.verdict.amber", month=month, amber=fmt_int(amber))
    return "good", t("month_attention.verdict.good", month=month, amber=fmt_pct(amber_below))


def month_drill_label(item: dict) -> str:
    return f"{item['rank']} · {month_subject(item)} · {period_text(item)}"
