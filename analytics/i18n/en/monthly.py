"""English messages of the monthly review."""

TEXT: dict[str, str] = {
    # --- monthly review --------------------------------------------------------------------------
    "monthly.nav": "Improvement review",
    "monthly.page": "Monthly review",
    "monthly.title": "Monthly improvement review",
    "monthly.intro": "The last 12 months as of {as_of}, for continuous improvement: trends, cohorts, the "
                     "definitions themselves and the shared targets. Leads: {scope}. The sidebar's period does "
                     "not apply here.",
    "monthly.trends": "12-month trends",
    "monthly.trends_caption": "Conversion = {stage} → {to} of the month's hand-offs; acceptance = accepted ÷ "
                              "decided hand-offs; follow-up SLA compliance by hand-off month; win rate by close "
                              "month; median days through the funnel = the stages' median days summed. Band = 95% "
                              "interval; hollow points rest on fewer than {n}; the shaded month is in progress, and "
                              "the latest months' conversion is still maturing.",
    "monthly.no_trends": "No trends in this selection yet.",
    "monthly.drill_metric": "Leads behind a month, for",
    "monthly.pick_hint": "Pick a month in the table to see the leads behind it.",
    "monthly.behind": "The leads behind **{metric}** in {month}:",
    "monthly.cell": "{value} · n {n}",
    "monthly.days_value": "{days} d",
    "monthly.col.month": "Month",
    "monthly.fmt.month_column": "MMM YYYY",
    "monthly.fmt.axis": "%b<br>%Y",
    "monthly.days_axis": "Days",
    "monthly.fmt.month": "%b %Y",
    "monthly.metric.conversion": "Conversion (hand-off → qualified)",
    "monthly.metric.acceptance": "Acceptance rate",
    "monthly.metric.follow_up_compliance": "Follow-up SLA compliance",
    "monthly.metric.win_rate": "Win rate",
    "monthly.metric.median_days_through_funnel": "Median days through the funnel",
    "monthly.metric.leads": "New leads",
    "monthly.metric.mqls": "MQLs",
    "monthly.metric.sals": "SALs",
    "monthly.metric.sqls": "SQLs",
    "monthly.metric.opportunities": "Opportunities",
    "monthly.metric.pipeline_amount": "Pipeline created",
    "monthly.metric.won_amount": "Won revenue",

    "monthly.cohorts": "Cohorts: how fast each month's new leads get there",
    "monthly.cohort_stage": "Reach",
    "monthly.cohorts_caption": "Rows: the month leads were created; columns: calendar months since. Cell = share "
                               "of the month's new leads that had reached {stage} by then. Blank cells are in the "
                               "future for that cohort, so young cohorts are not shown as bad.",
    "monthly.no_cohorts": "No leads in this selection yet.",
    "monthly.heat_x": "Months after creation",
    "monthly.heat_y": "Created in",
    "monthly.heat_share": "Reached",
    "monthly.heat_hover": "%{{y}}, +%{{x}} months: %{{z:.1%}} reached {stage}",
    "monthly.col.cohort_month": "Created in",
    "monthly.col.after": "+{k} mo",
    "monthly.behind_cohort": "Leads created in {month}, and when they reached {stage}:",

    "monthly.definitions": "Definitions on the table",
    "monthly.definitions_caption": "The rules both teams agreed, against what the last year's data suggests. "
                                   "'Discuss' when the suggestion differs from the current rule by 10% or more.",
    "monthly.def.threshold": "Sales-ready score threshold",
    "monthly.def.stall": "Stall threshold in {stage} (days)",
    "monthly.def.follow_up": "Follow-up SLA (hours)",
    "monthly.def.decision": "Decision SLA (hours)",
    "monthly.def.recycle": "Recycle SLA (days)",
    "monthly.def.discuss": "Discuss",
    "monthly.def.keep": "Keep",
    "monthly.def.default": "Uses the suggestion",
    "monthly.def.not_set": "not set (90th percentile)",
    "monthly.note.f1": "Best balance (F1) of precision (handed-off leads that reached SQL) and recall",
    "monthly.note.p90": "90th percentile of days in the stage",
    "monthly.note.configured": "Configured in closed_loop.toml",
    "monthly.col.definition": "Definition",
    "monthly.col.current": "Current",
    "monthly.col.suggested": "Suggested by the data",
    "monthly.col.verdict": "Verdict",
    "monthly.col.note": "How it is suggested",

    "monthly.targets": "Progress toward the shared targets",
    "monthly.targets_caption": "Attainment = actual ÷ target per month; for the month in progress, pacing = "
                               "actual ÷ (target × share of the month elapsed). Green at or above 100%, orange below. "
                               "Company-wide targets: the sidebar's lead filters do not apply.",
    "monthly.no_targets": "No targets in the last 12 months: add targets.csv to the export.",
    "monthly.team_target": "This target is for one team or segment; its lead list is not available here.",
    "monthly.behind_target": "The leads (or deals) behind **{metric}**, {start} – {end}:",
    "monthly.col.metric": "Metric",
    "monthly.col.target": "Target",
    "monthly.col.actual": "Actual",
    "monthly.col.elapsed_share": "Elapsed",
    "monthly.col.attainment": "Attainment",
    "monthly.col.pacing": "Pacing",
    "monthly.pack": "Review pack",
    "monthly.pack_caption": "The monthly review as one file: trends, cohorts, definitions and targets, readable "
                            "offline.",

    # the review pack (analytics/outputs/pack*.py)
    "pack.cohort_stage": "Share of each month's new leads that reached {stage}, by months since creation",
    "pack.col.team": "Team",
    # the monthly headline: targets off pace (analytics/engine/attention.py rank_targets)
    "month_attention.title": "What needs attention this month",
    "month_attention.badge.pace": "Off pace",
    "month_attention.badge.missed": "Missed",
    "month_attention.pace.red": "**{what}** {actual} with {elapsed} of {period} gone: only {pct} of the pace to its "
                                "target of {target} ({due} due by now).",
    "month_attention.pace.amber": "**{what}** {actual} with {elapsed} of {period} gone: {pct} of the pace to its "
                                  "target of {target} ({due} due by now).",
    "month_attention.missed.red": "**{what}** closed {period} at {actual} against a target of {target}: only {pct}.",
    "month_attention.missed.amber": "**{what}** closed {period} at {actual} against a target of {target}: {pct}.",
    "month_attention.on_pace": "On pace in {period}: {which}.",
    "month_attention.item": "{rank}. {badge}: {text}",
    "month_attention.verdict.red": "{month} needs attention: {red} red and {amber} amber target(s), most urgent first.",
    "month_attention.verdict.amber": "{month} is behind pace on {amber} target(s), most urgent first.",
    "month_attention.verdict.good": "Every target of {month} is on pace: none below {amber} of its target prorated "
                                    "to today.",
    "month_attention.caption": "Company-wide targets (the sidebar's lead filters do not narrow them). Red: below {red} "
                               "of the target prorated to the time gone (a closed month: of the whole target); amber: "
                               "below {amber}. Pace is judged whatever the month-to-month noise: a month off pace is "
                               "news.",
    "month_attention.drill": "Open the leads (or deals) behind",
    "month_attention.drill_help": "Pick a target to list the leads or deals it counts, each linked to its journey.",
}
