"""English messages of the hand-off pages: lead quality, SLA scorecard, recycling & the sales-ready
threshold."""

TEXT: dict[str, str] = {
    # lead quality
    "quality.title": "Lead quality",
    "quality.intro": "Marketing's promise: leads that sales accepts. Which hand-offs sales accepts, which it "
                     "rejects and why, so scoring, nurture and targeting can change.",
    "quality.acceptance": "Acceptance rate by segment",
    "quality.by_help": "Any lead column, the SDR, the owner's team, or the score band at hand-off.",
    "quality.acceptance_caption": "Leads handed off (MQL entry) {start} – {end}; acceptance rate = accepted ÷ "
                                  "(accepted + rejected) by {as_of} — accepted = reached SAL or an accepted "
                                  "verdict, rejected = a rejected verdict or recycled/disqualified; pending leads "
                                  "are left out. Bars: the range the rate could plausibly be in; hatched grey "
                                  "= fewer than {n} decided "
                                  "leads. Dashed line = all segments.",
    "quality.no_handoffs": "No lead was handed off (entered MQL) in {start} – {end} with these filters. Widen "
                           "the period or clear a filter in the sidebar.",
    "quality.reasons": "Why sales rejects leads",
    "quality.worst": "**Where the rejections come from:** {cells} — of {total} rejections with these filters.",
    "quality.cell": "{segment} × *{reason}* ({n}, {share} of that source's rejections)",
    "quality.reasons_caption": "Rejections of leads handed off {start} – {end}, by source and the reason sales "
                               "gave: each cell is the reason's share of that source's rejections and its count "
                               "(rows: sources with the most rejections first).",
    "quality.no_rejections": "Sales rejected none of the leads handed off in {start} – {end} with these filters.",
    "quality.trend": "Acceptance by month",
    "quality.trend_caption": "Acceptance rate by month of hand-off, {start} – {end} (at least the last 12 months), "
                             "decisions as of {as_of}; the band is the range the rate could plausibly be in, "
                             "hollow points rest on "
                             "fewer than {n} decided leads, grey bars = leads handed off. Recent months still "
                             "have pending leads.",
    "quality.month_axis": "Month of hand-off",

    # SLA scorecard
    "sla.title": "SLA scorecard",
    "sla.intro": "Both sides of the hand-off agreement, for leads handed off {start} – {end}, as of {as_of}.",
    "sla.marketing": "Marketing's promise",
    "sla.sales": "Sales' promise",
    "sla.acceptance": "Acceptance rate",
    "sla.acceptance_help": "{accepted} of {decided} decided hand-offs accepted (95% interval {low} – {high}); "
                           "{pending} still pending.",
    "sla.mqls_caption": "MQLs per month (entries into MQL) against the agreed target: green = target met, "
                        "vermillion = missed, grey = month still running; the label is the attainment.",
    "sla.measure.follow_up": "Follow-up ≤ {value} h",
    "sla.measure.decision": "Decision ≤ {value} h",
    "sla.measure.recycle": "Recycled ≤ {value} d",
    "sla.measure": "Promise",
    "sla.tab.follow_up": "Follow-up",
    "sla.tab.decision": "Decision",
    "sla.tab.recycle": "Recycling",
    "sla.short.follow_up": "follow-up",
    "sla.short.decision": "decision",
    "sla.short.recycle": "recycling",
    "sla.tile_help": "Compliance = met ÷ (met + breached): {met} of {judged} (95% interval {low} – {high}); "
                     "{not_due} not yet due. Response: median {median} {unit}, 90th percentile {p90} {unit}.",
    "sla.tile_empty": "No lead in this selection has reached this SLA's deadline yet, or a file it needs is missing.",
    "sla.by": "By",
    "sla.scorecard": "Sales' promise by owner or team",
    "sla.team_caption": "Compliance = met ÷ (met + breached) of each SLA per sales team, leads handed off {start} – "
                        "{end}, as of {as_of}. Hover for the counts; the scorecard below has the intervals.",
    "sla.compliance_axis": "Compliance (met ÷ judged)",
    "sla.response_axis.hours": "Response time, hours",
    "sla.response_axis.days": "Time to recycle, days",
    "sla.unit.hours": "h",
    "sla.unit.days": "d",
    "sla.limit": "SLA {value} {unit}",
    "sla.median": "Median",
    "sla.p90": "90th percentile",
    "sla.caption.follow_up": "Follow-up: hours from the first MQL entry to the first sales activity at or after "
                             "it, leads handed off {start} – {end}. Met ≤ {limit} h; breached when later, or with "
                             "no activity once the deadline passed by {as_of}; leads not yet due are left out. "
                             "Grey dot = fewer than {n} judged leads.",
    "sla.caption.decision": "Decision: hours from the MQL entry to accept or reject, leads handed off {start} – "
                            "{end}. Met ≤ {limit} h; breached when later or still undecided past the deadline at "
                            "{as_of}. Grey dot = fewer than {n} judged leads.",
    "sla.caption.recycle": "Recycling: rejected leads returned to nurture (recycled) within {limit} days of the "
                           "rejection, leads handed off {start} – {end}, as of {as_of}. Grey dot = fewer than {n} "
                           "judged leads.",
    "sla.nothing_judged": "No lead handed off in {start} – {end} has reached this SLA's deadline yet.",
    "sla.breaches": "Breach list for the weekly meeting",
    "sla.breach_count": "**{total}** breaches: {parts}. The latest week's hand-offs first and, within a week, "
                        "the least overdue (still worth saving) first; pick a row to open the lead's journey.",
    "sla.breaches_caption": "One row per lead and SLA breached, leads handed off {start} – {end}, as of {as_of}. "
                            "Hours late = time past the deadline (still open: up to the as-of).",
    "sla.no_breaches": "No SLA was breached for the leads handed off in {start} – {end}.",
    "sla.stalled": "Stalled leads by owner",
    "sla.stalled_cell": "{n}<br>{days} d over",
    "sla.stalled_hover": "median days over threshold: %{text}<br>most days over: %{customdata[0]}",
    "sla.stalled_caption": "Leads from the hand-off on whose stage is still open at {as_of} and has lasted longer "
                           "than the stage's threshold (configured days, else the 90th percentile of days in it): "
                           "the count and the median days over the threshold. Lead filters apply; the period does "
                           "not.",

    # recycling & the sales-ready threshold
    "recycling.title": "Recycling & sales-ready",
    "recycling.intro": "Sales gives back what it will not work; marketing nurtures it until it is ready again. "
                       "And the score that makes a lead \"sales-ready\", refined from results.",
    "recycling.loop": "The recycling loop",
    "recycling.tile.rejected": "Rejected hand-offs",
    "recycling.tile.rejected_help": "Of {handed_off} leads handed off in the period.",
    "recycling.tile.recycled": "Returned to nurture",
    "recycling.tile.recycled_help": "{n} of {of} rejected leads were returned to marketing's nurture (recycled).",
    "recycling.tile.days": "Time to recycle",
    "recycling.tile.days_help": "Median days from the rejection to the recycled stage, for the recycled leads.",
    "recycling.tile.returned": "Came back as MQL",
    "recycling.tile.returned_help": "{rate} of the {of} recycled leads were handed off again.",
    "recycling.tile.quality": "Came back → SQL",
    "recycling.tile.vs_fresh": "{change} vs fresh",
    "recycling.tile.quality_help": "Returned leads: {returned} of {of_returned} reached SQL after coming back; "
                                   "fresh hand-offs (never recycled): {fresh} of {of_fresh}.",
    "recycling.rate_caption": "Recycle rate = rejected leads returned to nurture ÷ leads rejected, hand-offs "
                              "{start} – {end}, as of {as_of} (the SLA asks for it within {days} days). Hatched "
                              "grey = fewer than {n} rejected leads.",
    "recycling.returned_caption": "Share reaching {stage} by {as_of}: leads that came back as MQL after recycling "
                                  "(after their return) vs fresh hand-offs that were never recycled, hand-offs "
                                  "{start} – {end}; beside each dot: reached / leads, hollow = fewer than {n}.",
    "recycling.fresh": "Fresh hand-offs",
    "recycling.returned": "Returned after recycling",
    "recycling.qualified_axis": "Share reaching SQL",
    "recycling.no_rejections": "No hand-off in {start} – {end} was rejected, so nothing was recycled.",
    "threshold.title": "Sales-ready score threshold",
    "threshold.caption": "For each score threshold t, leads handed off {start} – {end} with a score at hand-off ≥ t "
                         "(grey bars): how many of them reached SQL by {as_of}, how many of all the SQLs the threshold "
                         "keeps, and the balance of the two. Suggested = the best balance (or the lowest threshold "
                         "whose hand-offs reach SQL as often as the configured target).",
    "threshold.precision": "Share reaching SQL",
    "threshold.recall": "Share of all SQLs kept",
    "threshold.f1": "Balance of the two",
    "threshold.volume": "Leads handed off",
    "threshold.rate_axis": "Share of hand-offs / of SQLs",
    "threshold.score_axis": "Score threshold (score at hand-off ≥ t)",
    "threshold.current": "in force: {value}",
    "threshold.suggested": "suggested: {value}",
    "threshold.try": "Try a threshold",
    "threshold.try_help": "Starts at the suggested threshold. The figures below replay the last quarter with it.",
    "threshold.impact": "**Had a threshold of {value} been in force from {since} to {as_of}** (the last quarter, "
                        "lead filters applied):",
    "threshold.not_received": "Hand-offs not received",
    "threshold.not_received_help": "Hand-offs sales would not have received: {share} of the {of} leads handed off "
                                   "in the quarter; they would have stayed in marketing's nurture.",
    "threshold.missed": "SQLs missed",
    "threshold.missed_help": "SQLs that would have been missed: {share} of the {of} hand-offs of the quarter that "
                             "reached SQL.",
    "threshold.precision_tile": "Reaching SQL at ≥ {value}",
    "threshold.precision_help": "Share of the leads handed off with a score of at least {value} that reached SQL "
                                "(the period chosen in the sidebar): {qualified} of {handed_off}.",
}
