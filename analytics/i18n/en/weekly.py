"""English messages of the weekly review and the review pack."""

TEXT: dict[str, str] = {
    # review pack (analytics/outputs/pack.py)
    "pack.lang": "en",
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
    "pack.avg_4w": "4-week average",
    "pack.actions": "Action items",
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

    # column labels of the review pack's tables (the pages label these columns themselves)
    "col.avg_4w": "4-week average",
    "col.previous": "Last week",
    "col.z": "z (vs 12 weeks)",
    "col.is_unusual": "Unusual",
    "col.from_stage": "From stage",
    "col.to_stage": "To stage",
    "col.window_days": "Window (days)",
    "col.is_immature": "Immature",
    "col.cohort_week": "Cohort week",
    "col.baseline_rate": "Baseline rate",
    "col.is_drop": "Dropped",
    "col.week": "Week",
    "col.owner": "Owner",
    "col.description": "What",
    "col.due_date": "Due",
    "col.definition": "Definition",
    "col.current": "Current",
    "col.suggested": "Suggested",
    "col.note": "Note",
    "col.conversion": "Conversion (MQL → SQL)",
    "col.acceptance": "Acceptance",
    "col.follow_up_compliance": "Follow-up SLA compliance",
    "col.median_days_through_funnel": "Median days through the funnel",
    "col.segment": "Segment",
    "col.source": "Source",

    # --- weekly review ---------------------------------------------------------------------------
    "weekly.page": "Weekly review",
    "weekly.title": "Weekly review · {week}",
    "weekly.intro": "Monday {start} to Sunday {end}, data as of {as_of}. Leads: {scope}. The sidebar's "
                    "period does not apply here: the week is the period.",
    "weekly.all_leads": "all",
    "weekly.week": "Week",
    "weekly.week_help": "ISO weeks, Monday to Sunday in the configured time zone; the latest is the last "
                        "week that had ended by the data's as-of.",
    "weekly.week_option": "{week} · {monday} – {sunday}",
    "weekly.fmt.day": "%d %b",
    "weekly.tile_help": "Last week {previous}; 4-week average {avg}; target for the week {target} (the "
                        "period's target prorated to its days).",
    "weekly.nothing_unusual": "Nothing moved beyond normal week-to-week noise this week.",
    "weekly.unusual": "Beyond normal week-to-week noise: {items}.",
    "weekly.vs_avg_short": "4-week average {avg}",
    "weekly.open_items": "**{n}** open action item(s) from this and earlier weeks, {overdue} past due: see "
                         "[Action items](#actions) below.",
    "weekly.moved": "What moved",
    "weekly.moved_caption": "Each figure against its average of the 4 weeks before, coloured by its verdict: red "
                            "when off target or unusually low, amber when behind target, green when unusually "
                            "high, grey for a normal week on pace. How that is judged: see \"How these verdicts "
                            "are judged\".",
    "weekly.chart.bar_text": "{value} (avg {avg})",
    "weekly.chart.vs_avg": "Change vs the 4-week average",
    "weekly.chart.baseline": "8 cohorts before",
    "weekly.chart.latest": "Latest judged cohort",
    "weekly.chart.drop": "Significant drop",
    "weekly.signal.up": "Unusually high",
    "weekly.signal.down": "Unusually low",
    "weekly.signal.normal": "Normal noise",
    "weekly.pick_hint": "Pick a row to see the leads behind it.",
    "weekly.behind": "The leads behind **{what}** in {week}:",
    "weekly.behind_cohort": "Leads that entered {stage} in {week}, and whether they reached {to} within "
                            "{days} days:",
    "weekly.measure.lead": "New leads",
    "weekly.measure.mql": "MQLs",
    "weekly.measure.sal": "SALs (accepted)",
    "weekly.measure.sql": "SQLs",
    "weekly.measure.opportunity": "Opportunities",
    "weekly.measure.won": "Won",
    "weekly.measure.pipeline_amount": "Pipeline created",
    "weekly.measure.won_amount": "Won revenue",
    "weekly.measure.won_deals": "Won deals",
    "weekly.measure.closed_deals": "Closed deals",
    "weekly.measure.entries": "{stage} entries",
    "weekly.col.measure": "Measure",
    "weekly.col.value": "This week",
    "weekly.col.previous": "Last week",
    "weekly.col.vs_previous": "vs last week",
    "weekly.col.avg_4w": "4-week avg",
    "weekly.col.vs_avg_4w": "vs 4-week avg",
    "weekly.col.target": "Target (prorated)",
    "weekly.col.of_target": "Of target",
    "weekly.col.signal": "Signal",
    "weekly.col.frozen": "Frozen",
    "weekly.col.current": "Now",
    "weekly.col.restated": "Restated by",
    "weekly.col.pair": "Conversion",
    "weekly.col.this_week": "This week's cohort",
    "weekly.col.cohort_week": "Latest judged cohort",
    "weekly.col.latest_rate": "Its rate",
    "weekly.col.baseline_rate": "8 cohorts before",
    "weekly.col.p_value": "p-value",
    "weekly.col.verdict": "Verdict",
    "weekly.col.sla": "SLA",
    "weekly.col.hours_late": "Hours late",
    "weekly.col.handoff_at": "Handed off at",
    "weekly.col.week": "Week",
    "weekly.col.owner": "Who",
    "weekly.col.description": "What",
    "weekly.col.due_date": "By when",
    "weekly.col.metric": "About",
    "weekly.col.lead_id": "Lead",
    "weekly.col.status": "Status",

    "weekly.snapshot": "Frozen figures",
    "weekly.snapshot_this": "**This week ({week})**: frozen at the meeting vs now",
    "weekly.snapshot_last": "**Last week ({week})**: frozen at last week's meeting vs now",
    "weekly.snapshot_none": "Not frozen yet.",
    "weekly.snapshot_meta": "Frozen {at} on data version {version} (as of {as_of}).",
    "weekly.snapshot_reimported": "The data has been re-imported since (now version {version}).",
    "weekly.snapshot_same": "No figure has changed since it was frozen.",
    "weekly.snapshot_restated": "{n} figure(s) changed since the meeting froze them: late conversions, "
                                "corrections or a re-import restated them.",
    "weekly.freeze": "Freeze these figures",
    "weekly.freeze_help": "Store this week's figures as shown now (with the data version and the lead "
                          "filters), so next week's meeting can see what changed since.",
    "weekly.frozen": "Figures of {week} frozen.",

    "weekly.conversion": "Conversion rates",
    "weekly.conversion_caption": "Each stage's weekly cohort gets the same window (days) to convert. Dot = the "
                                 "latest cohort old enough to judge; ring = the 8 cohorts before it; red = a drop "
                                 "unlikely to be chance.",
    "weekly.no_conversion": "No stage conversions in this selection yet.",
    "weekly.dropped": "Dropped significantly: {pairs}.",
    "weekly.immature_note": "The cohorts of {week} are still too young to judge (each stage's window has not "
                            "passed): they are marked immature, not bad. The verdict uses the latest cohort "
                            "old enough.",
    "weekly.drop.immature": "immature (needs {days} days)",
    "weekly.drop.mature": "old enough",
    "weekly.drop.rate": "{rate} ({k} of {n})",
    "weekly.drop.dropped": "Dropped",
    "weekly.drop.normal": "Within normal range",
    "weekly.drop.no_data": "Not enough cohorts yet",

    "weekly.breaches": "SLA breaches of the week",
    "weekly.needs_activities": "The follow-up SLA needs activities.csv in the export (the sales activities after "
                               "each hand-off): only decision and recycling breaches are listed.",
    "weekly.no_breaches": "No SLA was breached during {week}.",
    "weekly.breaches_count": "**{n}** breaches on **{leads}** leads during the week (breached at its end, not "
                             "at its start).",
    "weekly.sla.follow_up": "Follow-up",
    "weekly.sla.decision": "Decision",
    "weekly.sla.recycle": "Recycling",
    "weekly.followup.met": "Met: first activity after {hours} h",
    "weekly.followup.breached": "Breached: first activity after {hours} h",
    "weekly.followup.not_due": "Not yet due",

    "weekly.stalled": "Newly stalled leads",
    "weekly.no_stalled": "No lead became stalled during {week}.",
    "weekly.stalled_count": "**{n}** leads stalled during the week (stalled at its end, not at its start): {stages}.",

    "weekly.actions": "Action items",
    "weekly.no_actions": "No open action items. Record who does what by when below.",
    "weekly.actions_count": "{n} item(s): {carried} carried over from earlier weeks, {overdue} past due.",
    "weekly.actions_caption": "Open items of earlier weeks stay on the list until they are done or dropped. "
                              "Change a status in the last column; it is saved at once.",
    "weekly.add_action": "Add an action item",
    "weekly.form.owner": "Who",
    "weekly.form.owner_placeholder": "Pick or type a name",
    "weekly.form.due": "By when",
    "weekly.form.what": "What",
    "weekly.form.what_placeholder": "e.g. Call back the 4 webinar leads breached on follow-up",
    "weekly.form.metric": "Linked metric",
    "weekly.form.none": "None",
    "weekly.form.lead": "Linked lead id (optional)",
    "weekly.form.submit": "Add",
    "weekly.form.added": "Action item added.",
    "weekly.form.missing": "An action item needs who and what.",
    "weekly.form.unknown_lead": "There is no lead {lead}.",
    "weekly.topic.sla_breaches": "SLA breaches",
    "weekly.topic.newly_stalled": "Stalled leads",
    "weekly.topic.conversion": "Conversion rates",
    "weekly.status.open": "open",
    "weekly.status.in progress": "in progress",
    "weekly.status.done": "done",
    "weekly.status.dropped": "dropped",

    "weekly.pack": "Review pack",
    "weekly.pack_caption": "The review as one file to send after the meeting: charts, tables, definitions "
                           "and the data-confidence line, readable offline.",
    "weekly.pack_html": "Download (HTML)",
    "weekly.pack_pdf": "Download (PDF)",

    # --- the headline: what needs attention (analytics/engine/attention.py) ----------------------
    "weekly.attention": "What needs attention",
    "attention.no_owner": "no owner",
    "attention.more_owners": " and {n} more",
    "attention.badge.target.red": "Off target",
    "attention.badge.target.amber": "Behind target",
    "attention.badge.noise.red": "Unusual fall",
    "attention.badge.noise.good": "Unusual rise",
    "attention.badge.conversion.red": "Conversion drop",
    "attention.badge.breaches.red": "SLA breaches",
    "attention.badge.stalled.amber": "Stalled",
    "attention.subject.breaches": "SLA breaches",
    "attention.subject.stalled": "Newly stalled leads",
    "attention.target.red": "**{what}** {value}: only {pct} of the week's target ({target}); 4-week average {avg}.",
    "attention.target.amber": "**{what}** {value}: {pct} of the week's target ({target}); 4-week average {avg}.",
    "attention.noise.red": "**{what}** {value}: unusually low, far below a normal week (4-week average {avg}).",
    "attention.noise.good": "**{what}** {value}: unusually high, well above a normal week (4-week average {avg}).",
    "attention.conversion": "**{what}**: the leads of {week} converted {rate} ({k} of {n}) against {before} in "
                            "the 8 weeks before — a drop unlikely to be chance.",
    "attention.low_volume": "Few leads: read with care.",
    "attention.breaches": "**SLA breaches this week: {n}** on {leads} lead(s) ({slas}). Owners: {owners}.",
    "attention.stalled": "**Leads newly stalled this week: {n}.** Owners: {owners}.",
    "attention.verdict.red": "This week needs attention: {red} red and {amber} amber item(s), most urgent first.",
    "attention.verdict.amber": "Some figures are behind: {amber} amber item(s), most urgent first.",
    "attention.verdict.good": "Nothing needs attention this week: no figure below {amber} of its target or "
                              "unusually low, no conversion drop, no SLA breach, no newly stalled lead.",
    "attention.drill": "Open the leads behind",
    "attention.drill_help": "Pick an item to list the leads (or deals) behind it, each with a link to its journey.",
    "attention.caption": "Red: below {red} of the week's prorated target, an unusual fall, a conversion drop or "
                         "an SLA breach. Amber: below {amber} of target, or leads that stalled. A week off pace "
                         "is flagged whatever the usual week-to-week swings.",
    "weekly.signal.target_red": "Off target ({pct} of target)",
    "weekly.signal.target_amber": "Behind target ({pct} of target)",
    "weekly.tile.of_target": "{pct} of target",
    "weekly.drop.dropped_few": "Dropped (few leads)",
    "weekly.drop.too_few": "{k} of {n}: too few to judge",
    "weekly.stats": "How these verdicts are judged",
    "weekly.stats_noise": "Unusual = more than 2 standard deviations (z) from the mean of the 12 weeks before "
                          "(at least the Poisson deviation for counts), with 6 weeks of history and, for a "
                          "count, a move of at least 3. Off target: below {red} of the prorated target is red, "
                          "below {amber} amber.",
    "weekly.stats_drops": "A drop is significant when Fisher's exact test gives p < 0.05 for the latest judged "
                          "cohort against the 8 cohorts before it. A cohort of fewer than {n} leads is too few to "
                          "call normal.",
    "weekly.col.z": "z (vs 12 weeks)",
    "weekly.col.owner_name": "Owner",
    "weekly.col.stage": "Stage",
    "weekly.col.days_over": "Days over",
    "weekly.breaches_order": "Most recent and least overdue first: the breaches still worth saving.",
    "weekly.stalled_order": "Most recently stalled (least overdue) first: the leads still worth saving.",
    "weekly.chart.red": "Off target or unusually low",
    "weekly.chart.amber": "Behind target",
    "attention.sep": ", ",
    "weekly.chart.few": "{week} · only {n} leads",
    "weekly.chart.too_few": "Too few leads to judge",
    "weekly.col.sla_code": "SLA code",
    "weekly.col.stage_code": "Stage code",
    # the review pack (analytics/outputs/pack*.py)
    "pack.headline": "At a glance",
    "pack.open_items": "**{n}** open action item(s) from this and earlier weeks, {overdue} past due (see Action "
                       "items).",
    "pack.snapshot_intro": "The figures as the meeting froze them, against today's data: a difference means late "
                           "data restated the week.",
    "pack.snapshot_this": "This week ({week}): frozen at the meeting vs now",
    "pack.snapshot_last": "Last week ({week}): frozen at last week's meeting vs now",
    "pack.conversion_caption": "Each stage's weekly cohort gets the same window (days) to convert. Filled dot = "
                               "the latest cohort old enough to judge; ring = the 8 cohorts before it; a vermillion "
                               "dot = a drop unlikely to be chance (the test is in the appendix).",
    "pack.newest_first": "Newest first.",
    "pack.actions_intro": "The items as they stood at the {week} meeting: raised that week, or raised earlier and "
                          "still open then, each with the status it had that week.",
    "pack.no_actions": "No action items were listed at the {week} meeting.",
    "pack.overdue": "past due",
    "pack.appendix": "Appendix: the statistics behind the verdicts",
    "pack.appendix_intro": "For whoever asks how a verdict was reached. z = how many standard deviations the week "
                           "is from the 12 weeks before (beyond ±2 counts as unusual); p-value = Fisher's exact test "
                           "of the latest judged cohort against the 8 before it (below 0.05 counts as a drop).",
    "pack.col.z": "z (vs 12 weeks)",
    "pack.scope": "Leads: {scope}.",
    "pack.off_target": "Behind the week's prorated target: {items}.",
    "pack.off_target_item": "**{measure}** {value} ({share} of {target})",
}
