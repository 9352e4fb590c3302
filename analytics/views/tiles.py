"""KPI tiles and shown-column formats built from frames and figures: no SQL, no streamlit.

A tile is the keyword arguments of st.metric (label, value, help, delta); a column format is a word
the UI turns into its column type."""
from __future__ import annotations

import polars as pl

from analytics.core.config import Config
from analytics.i18n import messages
from analytics.i18n.messages import fmt_change, fmt_days, fmt_int, fmt_pct, stage_label, t
from analytics.views import weekly as weekly_views

PERCENT_COLUMNS = {"ci_low", "ci_high", "share", "precision", "recall", "f1", "attainment", "pacing",
                   "abs_pct_error", "naive_abs_pct_error", "win_chance"}


def headline(now: dict[str, float], before: dict[str, float], cfg: Config, has_deals: bool) -> list[dict]:
    """The overview tiles: the period's KPIs (`now`) vs the period before; deal tiles say which file
    they need when there are no deals."""
    tiles = [("new_leads", cfg.main_stages[0], "count"), ("mqls", cfg.handoff_stage, "count"),
             ("sqls", cfg.qualified_stage, "count"), ("opportunities", cfg.opportunity_stage, "count"),
             ("won_deals", "won_deals", "count"), ("won_amount", "won_amount", "money"),
             ("pipeline_amount", "pipeline_amount", "money"), ("win_rate", "win_rate", "rate")]
    out = []
    for key, measure, kind in tiles:
        value, previous = now.get(measure), before.get(measure)
        shown = {"count": messages.fmt_int, "money": messages.fmt_money, "rate": messages.fmt_pct}[kind](value)
        if key == "new_leads":
            help_text = t("kpi.help.new_leads", stage=stage_label(measure))
        elif measure in cfg.main_stages:
            help_text = t("kpi.help.stage", stage=stage_label(measure))
        elif key == "win_rate":
            help_text = t("kpi.help.win_rate", won=fmt_int(now.get("won_deals")),
                          closed=fmt_int(now.get("closed_deals")))
        else:
            help_text = t(f"kpi.help.{key}", value=fmt_int(value))
        if measure not in cfg.main_stages and not has_deals:
            shown, previous, help_text = None, None, t("kpi.needs", file="opportunities.csv")
        out.append({"label": t(f"kpi.{key}"), "value": shown, "help": help_text,
                    "delta": fmt_change(value, previous, kind)})
    return out


def cycle_tiles(frame: pl.DataFrame) -> list[dict]:
    """The end-to-end durations (lead to won, sales cycle): median, with quartiles and mean in the help."""
    labels = {"lead_to_won": "velocity.lead_to_won", "sales_cycle": "velocity.sales_cycle"}
    return [{"label": t(labels[row["measure"]]), "value": t("velocity.cycle_value", days=fmt_days(row["median_days"])),
             "help": t("velocity.cycle_help", p25=fmt_days(row["p25_days"]), p75=fmt_days(row["p75_days"]),
                       mean=fmt_days(row["mean_days"]), n=fmt_int(row["n"]))}
            for row in frame.iter_rows(named=True) if row["measure"] in labels]


def rejected_text(confidence: dict) -> str:
    """The rejects as the rejects table holds them: "190 rows rejected (210 reasons…)"."""
    rows, reasons = fmt_int(confidence["rows_rejected"] or 0), fmt_int(confidence["reject_reasons"] or 0)
    return t("data.rejected_rows" if rows == reasons else "data.rejected_rows_reasons", rows=rows, reasons=reasons)


def column_format(name: str, dtype: pl.DataType) -> str | None:
    """How a shown column reads, from its name and type: rate (a bar of 0–100%), percent, p_value,
    one_decimal, low_volume, flag, days, datetime, date, number, text; None hides it."""
    if name == "rate" or name.endswith("_rate") or name == "compliance":
        return "rate"
    if name in PERCENT_COLUMNS or name.endswith(("_share", "_ci_low", "_ci_high")):
        return "percent"
    if name in ("p_value", "q_value"):
        return "p_value"
    if name.endswith("_hours") or name == "hours_late":
        return "one_decimal"
    if name == "is_low_volume":
        return "low_volume"
    if name.startswith("is_"):
        return "flag"
    if name in ("stage_order", "segment"):
        return None
    if name.endswith("_days") or name.startswith("days_"):
        return "one_decimal"
    if dtype == pl.Datetime:
        return "datetime"
    if dtype == pl.Date:
        return "date"
    if dtype.is_numeric():
        return "number"
    return "text"


def week_tiles(moved: pl.DataFrame, measures: list[str]) -> list[dict]:
    """The weekly review's tiles (what-moved rows of `measures`). A figure with a target shows how much
    of the week's prorated target it reached, red or orange when behind (moved_table's `level`), green
    when on pace; without one, the change vs the week before, coloured only when beyond normal noise."""
    rows = {r["measure"]: r for r in moved.to_dicts()}
    tiles = []
    for m in measures:
        r = rows[m]
        level = r.get("level")
        change = fmt_change(r["value"], r["previous"], "money" if m in weekly_views.MONEY else "count")
        tile = {"label": weekly_views.measure_label(m) + (" ⚠" if level in ("red", "amber") else ""),
                "value": weekly_views.fmt_measure(m, r["value"]),
                "delta": change, "delta_color": "normal" if r["is_unusual"] else "off",
                "help": t("weekly.tile_help", previous=weekly_views.fmt_measure(m, r["previous"]),
                          avg=weekly_views.fmt_measure(m, r["avg_4w"], average=True),
                          target="—" if r["target"] is None else weekly_views.fmt_measure(m, r["target"],
                                                                                           average=True))}
        if r["of_target"] is not None and "level" in r:
            color = {"red": "red", "amber": "orange"}.get(r.get("target_level") or "", None)
            if color is None:  # on pace by target; a fall beyond noise still turns it red
                color = "red" if level == "red" else "green"
            tile.update(delta=t("weekly.tile.of_target", pct=fmt_pct(r["of_target"])), delta_color=color,
                        delta_arrow="up" if color == "green" else "down")
        tiles.append(tile)
    return tiles


def unusual_text(unusual: pl.DataFrame) -> str:
    """The week's unusual figures in one line: value, which way, vs the four-week average."""
    return t("weekly.unusual", items="; ".join(
        f"**{weekly_views.measure_label(r['measure'])}** {weekly_views.fmt_measure(r['measure'], r['value'])} "
        f"({weekly_views.signal(r).lower()}, "
        f"{t('weekly.vs_avg_short', avg=weekly_views.fmt_measure(r['measure'], r['avg_4w'], average=True))})"
        for r in unusual.to_dicts()))


def stalled_text(stalled: pl.DataFrame, stages: tuple[str, ...]) -> str:
    """How many leads stalled this week, per stage in funnel order."""
    by_stage = sorted(stalled.group_by("stage").len().iter_rows(),
                      key=lambda r: stages.index(r[0]) if r[0] in stages else 99)
    return t("weekly.stalled_count", n=fmt_int(stalled.height),
             stages=", ".join(f"{stage_label(s)} {n}" for s, n in by_stage))
