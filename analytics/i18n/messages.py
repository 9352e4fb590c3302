"""Every user-facing sentence of the dashboard, in one table, plus the number and date formats.

Pages and charts ask `t("key", **values)`; a second language is a second dict in MESSAGES (keys
missing there fall back to English). Stage and column names come from the data, so `stage_label`
and `column_label` fall back to the raw name when the table has no entry for it.

The table is written in parts, one per area of the product (analytics/text_*.py, each with a dict
per language), merged here into MESSAGES; a key may be defined only once.
"""
from __future__ import annotations

import os
from contextvars import ContextVar
from datetime import date, datetime

MESSAGES: dict[str, dict[str, str]] = {"en": {
    # frame and navigation
    "app.title": "Closed Loop",
    "app.tagline": "Shared funnel analytics for the weekly marketing & sales review",
    "nav.review": "Weekly review",
    "nav.data": "Data",
    "page.overview": "Overview",
    "page.funnel": "Funnel & conversion",
    "page.velocity": "Velocity & stalled leads",
    "page.data": "Data health",
    "store.missing": "No Closed Loop database could be opened: {error}",
    "store.how": "Import an export folder first: `python -m analytics import DIR --db {path}`, "
                 "or set `CLOSED_LOOP_DB` to an imported database.",
    "store.importing": "First start: importing the bundled sample company…",

    # sidebar filters
    "filter.header": "Filters",
    "filter.quick": "Last",
    "filter.last.7": "7 d",
    "filter.last.28": "28 d",
    "filter.last.90": "90 d",
    "filter.last.365": "365 d",
    "filter.period": "Period",
    "filter.period_help": "Inclusive dates. Defaults to the last 90 days up to the data's as-of.",
    "filter.sources": "Source",
    "filter.regions": "Region",
    "filter.industries": "Industry",
    "filter.owners": "Owner",
    "filter.currency": "Currency of amounts",
    "filter.currency_help": "Some amounts are in a currency with no exchange rate to {corporate}, so they "
                            "are never added to others: money figures show one currency at a time. Add "
                            "exchange_rates.csv (currency, valid_from, rate) to convert them.",
    "sidebar.money": "Amounts in **{currency}**",
    "sidebar.money_split": "Amounts in **{currency}** · also in {others}, with no rate to {corporate}",
    "filter.all": "All",
    "filter.reset": "Reset filters",
    "sidebar.as_of": "Data as of **{as_of}** · version `{version}`",
    "sidebar.as_of_help": "As of = the latest event in the data (not today's date), so figures are "
                          "reproducible from the same export.",

    # shared sentences
    "period.range": "{start} – {end}",
    "period.compare": "Change vs the previous {days} days ({start} – {end}).",
    "empty.no_leads": "No leads match these filters in {start} – {end}. Widen the period or clear a "
                      "filter in the sidebar.",
    "empty.low_volume": "Only {n} leads in this selection: every rate below rests on fewer than {min_n} "
                        "leads, so read it as indicative, not as a trend.",
    "download.csv": "Download CSV",
    "chart.partial": "partial",
    "chart.low_volume": "low volume (n < {n})",
    "chart.enough_volume": "n ≥ {n}",
    "chart.more_rows": "Showing the {shown} largest of {total} segments; the table lists all of them.",
    "chart.all_segments": "all: {rate}",

    # overview
    "overview.title": "Overview",
    "overview.intro": "Where the shared funnel stands for the period: volume entering each stage, "
                      "money, and win rate.",
    "overview.funnel": "Funnel of the period's new leads",
    "overview.flow": "Flow: stage entries per week",
    "overview.flow_month": "Flow: stage entries per month",
    "kpi.new_leads": "New leads",
    "kpi.mqls": "MQLs",
    "kpi.sqls": "SQLs",
    "kpi.opportunities": "Opportunities",
    "kpi.won_deals": "Won deals",
    "kpi.won_amount": "Won revenue",
    "kpi.pipeline_amount": "Pipeline created",
    "kpi.win_rate": "Win rate",
    "kpi.help.new_leads": "Leads entering the first stage ({stage}) in the period.",
    "kpi.help.stage": "Leads whose entry into {stage} falls in the period (a skipped stage counts "
                      "at the entry time of the next stage reached).",
    "kpi.help.won_deals": "Opportunities won, by close date in the period.",
    "kpi.help.won_amount": "Amount of opportunities won, by close date in the period. Exact: {value}.",
    "kpi.help.pipeline_amount": "Amount of opportunities created in the period. Exact: {value}.",
    "kpi.help.win_rate": "Won ÷ closed (won + lost) opportunities, by close date in the period; "
                         "{won} of {closed}.",
    "kpi.needs": "Needs {file}.",

    # funnel page
    "funnel.title": "Funnel & conversion",
    "funnel.stages": "Stage funnel",
    "funnel.caption": "Cohort: leads created {start} – {end}, counted at every stage they reached by "
                      "{as_of}; a skipped stage counts as passed. Rate = share of the stage before, with "
                      "its 95% Wilson interval; grey = fewer than {n} leads.",
    "funnel.count_axis": "Leads reaching the stage",
    "funnel.rate_axis": "Conversion from the stage before",
    "funnel.conversion": "Cohort conversion by segment",
    "funnel.from": "From stage",
    "funnel.to": "To stage",
    "funnel.by": "Break down by",
    "funnel.window": "Within (days)",
    "funnel.window_help": "Count a conversion only when the lead reached the 'to' stage within this "
                          "many days of entering the 'from' stage. 0 = no limit.",
    "funnel.conversion_caption": "Cohort: leads entering {from_stage} {start} – {end}; rate = share that "
                                 "reached {to_stage} by {as_of}{window}. Bars: 95% Wilson interval; "
                                 "hatched grey = fewer than {n} leads. Dashed line = all segments.",
    "funnel.window_clause": " within {days} days",
    "funnel.no_cohort": "No lead entered {stage} in this period with these filters.",
    "funnel.flow": "Flow over time",
    "funnel.grain": "Count per",
    "grain.week": "Week",
    "grain.month": "Month",
    "funnel.flow_caption": "Flow: leads whose entry into each stage falls in the {grain}, {start} – "
                           "{end}, as of {as_of}. Shaded periods are only partly inside the range.",
    "funnel.cohort_vs_flow": "Cohort vs flow: which number to use",
    "funnel.cohort_vs_flow_body": (
        "**Cohort** (the funnel and the conversion table) follows one group of leads: those that "
        "entered the first stage in the period. It answers *\"of the leads that became MQL in "
        "March, how many became SQL?\"* Recent cohorts still have leads on their way, so their "
        "rates grow as time passes; use a window (e.g. 30 days) to compare cohorts fairly.\n\n"
        "**Flow** (period volume) counts what happened in each week or month: leads whose entry "
        "into a stage falls in it, whichever cohort they came from. It answers *\"how many SQLs "
        "did we create last week?\"* Dividing one flow by another is not a conversion rate: the "
        "two counts are different leads.\n\n"
        "A stage a lead skipped counts as passed, at the entry time of the next stage it reached."),

    # velocity page
    "velocity.title": "Velocity & stalled leads",
    "velocity.distribution": "Time in stage",
    "velocity.box_caption": "Days in stage = entry into the next stage reached − entry into this one, "
                            "for stays that started {start} – {end} and ended by {as_of}; skipped stages "
                            "have no time. Box = 25th–75th percentile, line = median, whiskers = 10th–"
                            "90th percentile, ◆ = mean.",
    "velocity.days_axis": "Days in stage",
    "velocity.trend": "Median days in stage by month",
    "velocity.trend_caption": "Median days in stage by the month the stage was entered, {start} – {end} "
                              "(at least the last 12 months), as of {as_of}; hollow points rest on "
                              "fewer than {n} stays.",
    "velocity.month_axis": "Month the stage was entered",
    "velocity.cycle": "End to end",
    "velocity.lead_to_won": "Lead to won (median)",
    "velocity.sales_cycle": "Sales cycle (median)",
    "velocity.cycle_value": "{days} days",
    "velocity.cycle_help": "Middle half: {p25} – {p75} days; mean {mean} days; n = {n}.",
    "velocity.cycle_caption": "Lead to won = won entry − lead created; sales cycle = opportunity closed "
                              "− created (won opportunities); wins closed {start} – {end}.",
    "velocity.no_cycle": "No deals were won in this period with these filters.",
    "velocity.no_stays": "No completed stage stays in this selection yet: a lead counts once it has "
                         "moved on to a later stage.",
    "velocity.stalled": "Stalled leads",
    "velocity.stalled_count": "**{count}** leads are stalled at {as_of} in the chosen stages ({total} in all "
                              "stages).",
    "velocity.stalled_caption": "Stalled at {as_of}: the lead's latest stage is still open and it has "
                                "been there longer than the stage's threshold (configured days, else the "
                                "90th percentile of days in that stage). Lead filters apply; the period "
                                "does not.",
    "velocity.stalled_by_owner": "Stalled leads by owner",
    "velocity.stalled_stages": "Stages",
    "velocity.stalled_stages_help": "Starts with the stages from the hand-off on (the leads sales works); "
                                    "add the first stage to see leads still in marketing's nurture.",
    "velocity.stalled_axis": "Stalled leads",
    "velocity.no_stalled": "No stalled leads at {as_of}: every open lead is within its stage's threshold.",

    # data page
    "data.title": "Data health",
    "data.intro": "What the current database holds, what the import refused, and what more data "
                  "would switch on. The sidebar filters do not apply to this page.",
    "data.as_of": "As of",
    "data.version": "Data version",
    "data.imported_at": "Imported at",
    "data.folder": "Imported from",
    "data.loaded": "Tables loaded",
    "data.loaded_caption": "One row per file read at import: rows loaded and rows rejected.",
    "data.rejects": "Rejected rows",
    "data.rejects_caption": "Rows the import refused, with the file, line and column at fault. "
                            "Fix them in the export and import again.",
    "data.rejects_table": "Table",
    "data.no_rejects": "No rows were rejected at import.",
    "data.optional": "Optional tables",
    "data.all_optional": "Every optional table is loaded.",
    "data.missing_caption": "Only leads and stage_history are required. Each missing table below "
                            "would switch on more of the dashboard.",
    "data.rows_axis": "Rows",
    "data.table": "Table",
    "data.file": "File to add",
    "data.enables": "Switches on",
    "all": "All",

    # what each optional table switches on
    "enables.opportunities": "Won revenue, pipeline created, win rate (Overview); sales cycle "
                             "(Velocity); win/loss and revenue attribution.",
    "enables.touches": "Marketing-influenced revenue and attribution models (first/last touch, linear, "
                       "U/W-shaped, time decay).",
    "enables.campaigns": "Campaign ROI, cost per MQL/SQL/opportunity.",
    "enables.spend": "Ad-level or daily spend added to campaign cost (ROI, cost per MQL/SQL/opportunity).",
    "enables.activities": "Follow-up SLA: hours from hand-off to first sales activity, by owner.",
    "enables.feedback": "Lead quality: acceptance rate, rejection reasons, ratings.",
    "enables.reps": "Rep names, teams and SLA compliance by team.",
    "enables.targets": "Actual vs target, attainment and pacing, pipeline coverage.",
    "enables.content": "Content titles and funnel stage for touches.",
    "enables.score_history": "Score at hand-off for the sales-ready threshold.",
    "enables.exchange_rates": "Amounts in other currencies converted to the corporate one "
                              "(one total instead of one per currency).",

    # column labels (tables)
    "col.stage": "Stage",
    "col.leads": "Leads",
    "col.previous_leads": "Leads at the stage before",
    "col.rate": "Rate",
    "col.ci_low": "95% CI low",
    "col.ci_high": "95% CI high",
    "col.is_low_volume": "Low volume",
    "col.is_low_volume_help": "Fewer than {n} leads: read the rate as indicative.",
    "col.cohort": "Cohort",
    "col.converted": "Converted",
    "col.period_start": "Period start",
    "col.month_start": "Month",
    "col.n": "n",
    "col.median_days": "Median days",
    "col.p25_days": "25th pct days",
    "col.p75_days": "75th pct days",
    "col.p10_days": "10th pct days",
    "col.p90_days": "90th pct days",
    "col.mean_days": "Mean days",
    "col.lead_id": "Lead",
    "col.owner_name": "Owner",
    "col.owner_id": "Owner ID",
    "col.sdr_id": "SDR ID",
    "col.entered_at": "In stage since",
    "col.days_in_stage": "Days in stage",
    "col.threshold_days": "Threshold (days)",
    "col.days_over": "Days over",
    "col.table_name": "Table",
    "col.file": "File",
    "col.line": "Line",
    "col.column_name": "Column",
    "col.value": "Value",
    "col.reason": "Reason",
    "col.rows_loaded": "Rows loaded",
    "col.rows_rejected": "Rows rejected",
    "col.measure": "Measure",
    "col.enables": "Switches on",
    "col.source_folder": "Imported from",
    "col.stage_order": "Order",

    # breakdown dimensions (lead columns); any other column shows its own name
    "dim.segment": "Segment",
    "dim.source": "Source",
    "dim.campaign_id": "Campaign",
    "dim.account_id": "Account",
    "dim.industry": "Industry",
    "dim.company_size": "Company size",
    "dim.region": "Region",
    "dim.country": "Country",
    "dim.owner_id": "Owner",
    "dim.sdr_id": "SDR",

    # review pack (analytics/outputs/pack.py)
    "pack.lang": "en",
    "pack.yes": "yes",
    "pack.none": "Nothing to show.",
    "pack.more_rows": "The first {shown} of {total} rows; the dashboard and its CSV download list all.",
    "pack.definitions": "Definitions",
    "pack.confidence": "Data as of {as_of} (version {version}): {loaded} rows loaded, {rejected} rejected "
                       "({rejected_share}); leads from {first} to {last}; {skipped} of leads skipped a stage; "
                       "{no_touch} of opportunities have no marketing touch.",
    "pack.weekly_title": "Closed Loop · Weekly review {week}",
    "pack.weekly_sub": "Week of {start} to {end} (Monday to Sunday).",
    "pack.monthly_title": "Closed Loop · Monthly improvement review",
    "pack.monthly_sub": "The last 12 months, as of {as_of}.",
    "pack.what_moved": "What moved this week",
    "pack.what_moved_intro": "This week against last week, the 4-week average and the prorated target; "
                             "red bars moved more than normal week-to-week noise (|z| ≥ 2 over the 12 weeks before).",
    "pack.this_week": "This week",
    "pack.avg_4w": "4-week average",
    "pack.conversion": "Conversion: latest mature weekly cohort vs the 8 before it",
    "pack.conversion_intro": "Each stage's weekly cohort gets the same window to convert; a cohort younger than "
                             "its window is immature and is not judged.",
    "pack.breaches": "SLA breaches of the week",
    "pack.stalled": "Newly stalled leads",
    "pack.actions": "Action items",
    "pack.trends": "12-month trends",
    "pack.trends_intro": "Conversion (MQL to SQL of the month's hand-offs), acceptance, follow-up SLA "
                         "compliance and win rate by month; the latest months are still maturing.",
    "pack.cohorts": "Cohorts: months from creation to {stage}",
    "pack.cohorts_intro": "Share of each month's new leads that reached {stage} within k months.",
    "pack.months_after": "Months after creation",
    "pack.definitions_review": "Definitions on the table",
    "pack.targets": "Progress toward the shared targets",
    "def.cohort": "Conversion is cohort-based: the leads that entered the first stage in the period, and how "
                  "many of them reached the second by the as-of time.",
    "def.skip": "A skipped stage counts as passed; its entry time is that of the next stage reached.",
    "def.as_of": "As of = the latest event in the data, never the wall clock, so a report on an export is "
                 "reproducible.",
    "def.handoff": "Handed off = a recorded MQL entry. Accepted = reached SAL or an accepted verdict; rejected = "
                   "a rejected verdict or recycled/disqualified.",
    "def.sla": "Follow-up SLA: hours from the first MQL entry to the first sales activity at or after it; "
               "compliance = met ÷ (met + breached).",
    "def.stalled": "Stalled: the lead's latest stage is still open and it has been there longer than the "
                   "stage's threshold (configured days, else the 90th percentile of days in that stage).",
    "def.noise": "Unusual: more than two standard deviations (at least the Poisson deviation for counts) from "
                 "the mean of the 12 weeks before.",
    "def.immature": "Immature: a cohort younger than its stage's conversion window (the 90th percentile of days "
                    "in the stage) is not judged yet.",
    "def.winrate": "Win rate = won ÷ (won + lost) of the deals closed in the period; open deals are not in "
                   "the denominator.",

    # stage names (from closed_loop.toml); an unknown stage shows its own name
    "stage.lead": "Lead",
    "stage.mql": "MQL",
    "stage.sal": "SAL",
    "stage.sql": "SQL",
    "stage.opportunity": "Opportunity",
    "stage.won": "Won",
    "stage.lost": "Lost",
    "stage.recycled": "Recycled",
    "stage.disqualified": "Disqualified",

    # number and date formats
    "fmt.date": "%d %b %Y",
    "fmt.datetime": "%d %b %Y %H:%M UTC",
    "fmt.thousand": "{value}K",
    "fmt.million": "{value}M",
    "fmt.points": "{value} pp",
    "fmt.delta_with_pct": "{delta} ({pct})",
}}


def _merge_parts() -> None:
    """Merge the per-area parts (analytics/text_*.py: a dict per language) into MESSAGES."""
    import importlib
    import pkgutil
    from pathlib import Path

    for info in pkgutil.iter_modules([str(Path(__file__).parent)]):
        if not info.name.startswith("text_"):
            continue
        part = importlib.import_module(f"analytics.i18n.{info.name}")
        for language, entries in part.TEXT.items():
            table = MESSAGES.setdefault(language, {})
            clash = set(table) & set(entries)
            if clash:
                raise KeyError(f"{info.name} redefines message keys {sorted(clash)[:5]}")
            table.update(entries)


_merge_parts()

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
    if abs(value) >= 1e6:
        return t("fmt.million", value=f"{value / 1e6:,.2f}")
    if abs(value) >= 1e4:
        return t("fmt.thousand", value=f"{value / 1e3:,.1f}")
    return f"{value:,.0f}"


def fmt_pct(value: float | None, digits: int = 0) -> str:
    return "—" if value is None else f"{value:.{digits}%}"


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
