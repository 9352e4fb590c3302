"""English messages of the overview, funnel and velocity pages."""

TEXT: dict[str, str] = {
    # overview
    "overview.title": "Overview",
    "overview.intro": "Where the shared funnel stands for the period: volume entering each stage, "
                      "money, and win rate.",
    "overview.funnel_cohort": "Funnel of the period's new leads (cohort: use for conversion)",
    "overview.flow_counts": "Flow: stage entries per week (what the tiles count)",
    "overview.flow_counts_month": "Flow: stage entries per month (what the tiles count)",
    "overview.which_to_quote": "**Which number to quote.** The tiles count every lead that entered a stage in the "
                               "period, whenever it was created (flow: **{flow}** {stage}) — quote these for "
                               "volume. The funnel follows only the leads created in the period (cohort: **{cohort}** "
                               "of them reached {stage} so far) — quote it for conversion rates.",
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
                      "the range it could plausibly be in (95% interval); grey = fewer than {n} leads.",
    "funnel.count_axis": "Leads reaching the stage",
    "funnel.count_short": "Leads",
    "funnel.rate_short": "From the stage before",
    "funnel.rate_axis": "Conversion from the stage before",
    "funnel.conversion": "Cohort conversion by segment",
    "funnel.from": "From stage",
    "funnel.to": "To stage",
    "funnel.by": "Break down by",
    "funnel.window": "Within (days)",
    "funnel.window_help": "Count a conversion only when the lead reached the 'to' stage within this "
                          "many days of entering the 'from' stage. 0 = no limit.",
    "funnel.conversion_caption": "Cohort: leads entering {from_stage} {start} – {end}; rate = share that "
                                 "reached {to_stage} by {as_of}{window}. Bars: the range the rate could "
                                 "plausibly be in; "
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
    "velocity.stalled_order": "The most recently stalled (fewest days over the threshold) first: the leads still "
                              "worth saving. Pick a row to open the lead's journey.",
    "velocity.stalled_by_owner": "Stalled leads by owner",
    "velocity.stalled_stages": "Stages",
    "velocity.stalled_stages_help": "Starts with the stages from the hand-off on (the leads sales works); "
                                    "add the first stage to see leads still in marketing's nurture.",
    "velocity.stalled_axis": "Stalled leads",
    "velocity.no_stalled": "No stalled leads at {as_of}: every open lead is within its stage's threshold.",
}
