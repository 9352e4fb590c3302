"""Messages of the hand-off pages (lead quality, SLA scorecard, recycling & sales-ready threshold)
and the revenue pages (win / loss, revenue contribution, targets & velocity). Merged into
analytics.i18n.messages.MESSAGES; a key may be defined only once across all parts."""

TEXT = {"en": {
    # navigation (app.py)
    "handoff.nav": "Hand-off",
    "revenue.nav": "Revenue",
    "quality.page": "Lead quality",
    "sla.page": "SLA scorecard",
    "recycling.page": "Recycling & sales-ready",
    "winloss.page": "Win / loss",
    "revenue.page": "Revenue contribution",
    "targets.page": "Targets & velocity",

    # shared by the hand-off and revenue pages
    "handoff.needs": "This section needs {files} in the export folder; import again once it is there. {enables}",
    "chart.interval": "95% interval",

    # lead quality
    "quality.title": "Lead quality",
    "quality.intro": "Marketing's promise: leads that sales accepts. Which hand-offs sales accepts, which it "
                     "rejects and why, so scoring, nurture and targeting can change.",
    "quality.acceptance": "Acceptance rate by segment",
    "quality.by_help": "Any lead column, the SDR, the owner's team, or the score band at hand-off.",
    "quality.acceptance_caption": "Leads handed off (MQL entry) {start} – {end}; acceptance rate = accepted ÷ "
                                  "(accepted + rejected) by {as_of} — accepted = reached SAL or an accepted "
                                  "verdict, rejected = a rejected verdict or recycled/disqualified; pending leads "
                                  "are left out. Bars: 95% Wilson interval; hatched grey = fewer than {n} decided "
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
                             "decisions as of {as_of}; the band is the 95% Wilson interval, hollow points rest on "
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
    "sla.breach_count": "**{total}** breaches: {parts}. Latest first by hours late; download the list for the "
                        "meeting.",
    "sla.breaches_caption": "One row per lead and SLA breached, leads handed off {start} – {end}, as of {as_of}. "
                            "Hours late = time past the deadline (still open: up to the as-of).",
    "sla.no_breaches": "No SLA was breached for the leads handed off in {start} – {end}.",
    "sla.stalled": "Stalled leads by owner",
    "sla.stalled_cell": "{n}<br>{days} d over",
    "sla.stalled_hover": "median days over threshold: %{text}<br>most days over: %{customdata}",
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
                         "(grey bars): precision = share that reached SQL by {as_of}, recall = share of all SQL "
                         "hand-offs kept, F1 = their harmonic mean. Suggested = best F1 (or the lowest threshold "
                         "reaching the configured target precision).",
    "threshold.precision": "Precision",
    "threshold.recall": "Recall",
    "threshold.f1": "F1",
    "threshold.volume": "Leads handed off",
    "threshold.rate_axis": "Precision · recall · F1",
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
    "threshold.precision_tile": "Precision at ≥ {value}",
    "threshold.precision_help": "Share of the leads handed off with a score of at least {value} that reached SQL "
                                "(the period chosen in the sidebar): {qualified} of {handed_off}.",

    # win / loss
    "winloss.title": "Win / loss",
    "winloss.intro": "What separates won from lost deals, so marketing can refine the ideal customer profile and "
                     "sales its plays.",
    "winloss.overall": "**{won}** of **{closed}** deals closed {start} – {end} were won: win rate **{rate}** "
                       "(95% interval {low} – {high}).",
    "winloss.no_deals": "No deal was won or lost in {start} – {end} with these filters. Widen the period (e.g. "
                        "365 d) or clear a filter.",
    "winloss.factors": "Factors ranked",
    "winloss.factor": "Factor",
    "winloss.factors_caption": "Deals closed {start} – {end}: win rate of each value of each factor with its 95% "
                               "Wilson interval; lift = rate ÷ overall rate (×); q = Fisher's exact test of the value "
                               "vs all others, Benjamini–Hochberg adjusted over every value shown. Blue = significant "
                               "(q < {q}), grey = not; hatched = fewer than {n} deals. Ranked by q, then p; the 20 "
                               "first drawn.",
    "winloss.significant": "significant",
    "winloss.significant_text": "**{count} of {n}** factor values separate wins from losses beyond chance "
                                "(q < {q}): {cells} — against {overall} overall.",
    "winloss.significant_cell": "{factor} = {value} wins {rate} ({won} of {closed})",
    "winloss.none_significant": "None of the {n} factor values separates wins from losses beyond chance (q < {q}) "
                                "in this selection: the differences below may be noise. A longer period gives the "
                                "tests more deals.",
    "winloss.not_significant": "not significant",
    "winloss.no_factors": "Too few closed deals in {start} – {end} to compare factors.",
    "winloss.reasons": "Why deals are lost and won",
    "winloss.reasons.lost": "Loss reasons",
    "winloss.reasons.won": "Win reasons",
    "winloss.pareto_caption": "Deals closed {start} – {end} by the reason recorded, most frequent first; the line "
                              "is the cumulative share. Hover for the amount.",
    "winloss.cumulative": "Cumulative share",
    "winloss.deals_axis": "Deals",
    "winloss.no_lost": "No deal was lost in {start} – {end} with these filters.",
    "winloss.no_won": "No deal was won in {start} – {end} with these filters.",
    "winloss.by_source": "Loss reasons by source",
    "winloss.worst": "**Biggest loss patterns:** {cells} — of {total} lost deals.",
    "winloss.cell": "{segment} × *{reason}* ({n}, {share} of that source's losses)",
    "winloss.by_source_caption": "Lost deals closed {start} – {end}, by the lead's source and the loss reason: each "
                                 "cell is the reason's share of that source's losses and its count.",
    "winloss.icp": "Ideal customer profile",
    "winloss.icp_caption": "Segments of two attributes (industry, company size, region) with at least {n} deals "
                           "closed {start} – {end}, ranked by the lower bound of the 95% interval of their win rate. "
                           "Dashed line = all deals.",
    "winloss.no_icp": "No segment of two attributes has {n} or more deals closed in {start} – {end}, so no "
                      "profile can be trusted yet. Widen the period (e.g. 365 d) or clear a filter.",

    # revenue contribution
    "revenue.title": "Revenue contribution",
    "revenue.intro": "Closed-loop reporting: what marketing contributed to revenue, how each attribution model "
                     "shares the credit, and what each campaign returned.",
    "revenue.sourcing": "Sourced vs influenced",
    "revenue.sourcing_caption": "Won revenue = won deals by close date {start} – {end}; pipeline = deals created "
                                "in it. Marketing-sourced: the lead's source is a configured marketing source; "
                                "sales-sourced: any other. Influenced: a marketing touch before the deal was "
                                "created — it overlaps both, so shares of sourced add up to 100% and influenced "
                                "stands apart.",
    "revenue.category.marketing_sourced": "Marketing-sourced",
    "revenue.category.sales_sourced": "Sales-sourced",
    "revenue.category.marketing_influenced": "Marketing-influenced",
    "revenue.won_axis": "Won revenue",
    "revenue.pipeline_axis": "Pipeline created",
    "revenue.deals": "deals",
    "revenue.no_deals": "No deal was created or won in {start} – {end} with these filters.",
    "revenue.models": "Attribution: six models side by side",
    "revenue.basis": "Basis",
    "revenue.basis.won": "Won revenue",
    "revenue.basis.pipeline": "Pipeline",
    "revenue.basis_help": "Won: the amount of deals won (by close date). Pipeline: the amount of every deal "
                          "created (by creation date).",
    "revenue.by": "Credit to",
    "revenue.model": "Attribution model",
    "revenue.model.first_touch": "First touch",
    "revenue.model.last_touch": "Last touch",
    "revenue.model.linear": "Linear",
    "revenue.model.u_shaped": "U-shaped",
    "revenue.model.w_shaped": "W-shaped",
    "revenue.model.time_decay": "Time decay",
    "revenue.spread": "Spread between models",
    "revenue.credit_axis": "Credited amount",
    "revenue.models_caption.won": "Won deals closed {start} – {end}: each deal's amount shared over its lead's "
                                  "touches up to the deal's creation — first/last touch all to one, linear equal "
                                  "shares, U 40/20/40, W 30/30/30 + 10, time decay halving every 7 days. The grey "
                                  "bar spans the lowest to the highest model: wide = the models disagree. "
                                  "(no touch) = deals without a touch; (none) = touches without this attribute.",
    "revenue.models_caption.pipeline": "Deals created {start} – {end}: each deal's amount shared over its lead's "
                                       "touches up to the deal's creation — first/last touch all to one, linear "
                                       "equal shares, U 40/20/40, W 30/30/30 + 10, time decay halving every 7 days. "
                                       "The grey bar spans the lowest to the highest model. (no touch) = deals "
                                       "without a touch; (none) = touches without this attribute.",
    "revenue.no_basis": "No {basis} in {start} – {end} with these filters to attribute.",
    "revenue.tie_out_ok": "Tie-out: every model credits exactly the {booked} booked ({basis}), including "
                          "{no_touch} to (no touch) — no revenue is lost or counted twice.",
    "revenue.tie_out_bad": "Tie-out fails: {model} is {difference} off the {booked} booked ({basis}). Report this "
                           "with the export: the models must add up to the booked amount.",
    "revenue.roi": "Campaign ROI",
    "revenue.sort": "Sort by",
    "revenue.roi_caption": "ROI = won revenue attributed to the campaign ({model} model, all wins to date) ÷ the "
                           "campaign's cost; dashed line = break-even (1×). Amber, hatched = immature: pipeline "
                           "open, no revenue yet — not a failure (always drawn, last). Drawn: the 20 first by the "
                           "chosen order; campaigns without a cost have no ROI and are in the table only.",
    "revenue.roi_table_caption": "Each campaign over its whole life: cost, the leads whose original campaign it "
                                 "is (cost per MQL / SQL / opportunity / won deal) and the won revenue attributed "
                                 "to its touches; the period keeps the campaigns that ran in it. ROI shows — "
                                 "(undefined) when the campaign has no cost. Click a column header to sort.",
    "revenue.roi_axis": "ROI (attributed won revenue ÷ cost)",
    "revenue.roi_immature": "immature · {pipeline} open pipeline",
    "revenue.open_pipeline": "open pipeline",
    "revenue.break_even": "break-even",
    "revenue.no_roi": "No campaign with a cost has attributed won revenue or open pipeline in this selection.",

    # targets & velocity
    "targets.title": "Targets & velocity",
    "targets.intro": "Whether both teams are on track for the shared targets, and what drives sales velocity. "
                     "Figures as of {as_of}; the sidebar filters do not apply to this page.",
    "targets.progress": "Actual vs target",
    "targets.team": "Targets of",
    "targets.company": "The whole company",
    "targets.current": "Current period {start} – {end}: actual / target; the arrow is the pace (actual ÷ the "
                       "target share of the time elapsed) ahead of or behind plan.",
    "targets.no_current": "No target period contains the as-of date.",
    "targets.metric": "Metric",
    "targets.metric.leads": "New leads",
    "targets.metric.mqls": "MQLs",
    "targets.metric.sals": "SALs",
    "targets.metric.sqls": "SQLs",
    "targets.metric.opportunities": "Opportunities",
    "targets.metric.pipeline_amount": "Pipeline created",
    "targets.metric.won_amount": "Won revenue",
    "targets.actual": "Actual",
    "targets.target": "Target",
    "targets.pacing": "pacing",
    "targets.pace_delta": "{value} vs pace",
    "targets.tile_label": "{metric} · target {target}",
    "targets.tile_help": "Attainment {attainment} of the target for {start} – {end}; pacing {pacing} "
                         "(actual ÷ target × {elapsed} of the period elapsed).",
    "targets.chart_caption": "Actual per period (bars) against the target (black tick), the last 12 periods; "
                             "label = attainment; green = met, vermillion = missed, grey = period still running. "
                             "Stage metrics count entries into the stage; amounts: pipeline by creation, won by "
                             "close date.",
    "targets.coverage_title": "Pipeline coverage",
    "targets.open_pipeline": "Open pipeline",
    "targets.open_pipeline_help": "{n} open opportunities worth {exact} at the as-of.",
    "targets.remaining": "Won target still to win",
    "targets.remaining_help": "The won_amount target of {start} – {end} minus what was won so far.",
    "targets.coverage": "Coverage",
    "targets.coverage_help": "Open pipeline ÷ the won target still to win; 3× or more is a common rule of thumb.",
    "targets.coverage_met": "Target met",
    "targets.coverage_met_help": "The period's won target is already reached: nothing remains to cover.",
    "targets.coverage_no_target": "No won_amount target covers the as-of date (needs targets.csv).",
    "targets.coverage_caption": "Coverage = open pipeline at the as-of ÷ (won target of the current period − won "
                                "so far).",
    "targets.velocity": "Sales velocity and its four levers",
    "targets.velocity_caption": "Sales velocity per day = open opportunities at the month's end × win rate × "
                                "average won amount ÷ average sales cycle days, of the deals closed in the month. "
                                "Hover for the levers.",
    "targets.month": "Month",
    "targets.month_axis": "Month",
    "targets.velocity_change": "Velocity",
    "targets.multiplier_axis": "Change from the month before (×)",
    "targets.waterfall_caption": "Each lever's change from the month before as a factor (log scale, so the steps "
                                 "add up): green pushed velocity up, vermillion pulled it down; a longer cycle "
                                 "counts against. The last bar is velocity's own change.",
    "targets.lever_text": "From {previous} to {month}, velocity went from **{before}** to **{after}** per day "
                          "({change}). **{lever}** moved it most ({factor}: {from_value} → {to_value}).",
    "targets.no_lever": "Velocity cannot be compared with the month before (no deals closed in one of them).",
    "targets.no_velocity": "No month has closed deals yet, so sales velocity cannot be computed.",
    "targets.days": "{days} d",

    # column labels of the new tables (any other column shows its own name)
    "col.handed_off": "Handed off",
    "col.accepted": "Accepted",
    "col.rejected": "Rejected",
    "col.pending": "Pending",
    "col.avg_rating": "Avg rating",
    "col.acceptance_rate": "Acceptance rate",
    "col.rejections": "Rejections",
    "col.share": "Share",
    "col.met": "Met",
    "col.breached": "Breached",
    "col.not_due": "Not yet due",
    "col.judged": "Judged",
    "col.compliance": "Compliance",
    "col.median_response_hours": "Median response (h)",
    "col.p90_response_hours": "90th pct response (h)",
    "col.median_response_days": "Median to recycle (d)",
    "col.p90_response_days": "90th pct to recycle (d)",
    "col.sla": "SLA",
    "col.handoff_at": "Handed off at",
    "col.hours_late": "Hours late",
    "col.team": "Team",
    "col.ever_rejected": "Rejected",
    "col.recycled": "Recycled",
    "col.recycle_rate": "Recycle rate",
    "col.median_days_to_recycle": "Median days to recycle",
    "col.returned": "Came back",
    "col.return_rate": "Came-back rate",
    "col.returned_qualified": "Came back → SQL",
    "col.returned_qualified_rate": "Came back → SQL rate",
    "col.fresh": "Fresh",
    "col.fresh_qualified": "Fresh → SQL",
    "col.fresh_qualified_rate": "Fresh → SQL rate",
    "col.threshold": "Score threshold",
    "col.qualified": "Reached SQL",
    "col.all_qualified": "All SQL hand-offs",
    "col.precision": "Precision",
    "col.recall": "Recall",
    "col.f1": "F1",
    "col.is_suggested": "Suggested",
    "col.stalled": "Stalled",
    "col.median_days_over": "Median days over",
    "col.max_days_over": "Most days over",
    "col.factor": "Factor",
    "col.closed": "Closed",
    "col.won": "Won",
    "col.win_rate": "Win rate",
    "col.lift": "Lift",
    "col.p_value": "p-value",
    "col.q_value": "q-value",
    "col.deals": "Deals",
    "col.amount": "Amount",
    "col.cumulative_share": "Cumulative share",
    "col.avg_won_amount": "Avg won amount",
    "col.category": "Category",
    "col.currency": "Currency",
    "col.cost_currency": "Cost currency",
    "col.amount_currency": "Amount currency",
    "col.original_amount": "Amount as exported",
    "col.expected_close_at": "Expected close",
    "col.won_deals": "Won deals",
    "col.won_amount": "Won revenue",
    "col.opportunities": "Opportunities",
    "col.pipeline_amount": "Pipeline",
    "col.won_share": "Share of won",
    "col.pipeline_share": "Share of pipeline",
    "col.first_touch": "First touch",
    "col.last_touch": "Last touch",
    "col.linear": "Linear",
    "col.u_shaped": "U-shaped",
    "col.w_shaped": "W-shaped",
    "col.time_decay": "Time decay",
    "col.spread": "Spread",
    "col.model": "Model",
    "col.credited": "Credited",
    "col.booked": "Booked",
    "col.difference": "Difference",
    "col.name": "Name",
    "col.channel": "Channel",
    "col.cost": "Cost",
    "col.spend_cost": "Of which ad spend",
    "col.mqls": "MQLs",
    "col.sqls": "SQLs",
    "col.sourced_won_amount": "Sourced won revenue",
    "col.open_pipeline_amount": "Open pipeline",
    "col.attributed_won_amount": "Attributed won revenue",
    "col.cost_per_mql": "Cost per MQL",
    "col.cost_per_sql": "Cost per SQL",
    "col.cost_per_opportunity": "Cost per opportunity",
    "col.cost_per_won": "Cost per won deal",
    "col.roi": "ROI (×)",
    "col.status": "Status",
    "col.period_end": "Period end",
    "col.metric": "Metric",
    "col.target": "Target",
    "col.actual": "Actual",
    "col.elapsed_share": "Elapsed",
    "col.attainment": "Attainment",
    "col.pacing": "Pacing",
    "col.open_opportunities": "Open opportunities",
    "col.closed_deals": "Closed deals",
    "col.avg_cycle_days": "Avg cycle days",
    "col.velocity_per_day": "Velocity per day",
    "col.log_change": "Log change",
    "col.score_band": "Score band",
    "col.rejection_reason": "Rejection reason",
    "col.content_id": "Content",
    "col.content_type": "Content type",
    "col.funnel_stage": "Content funnel stage",
    "col.touch_type": "Touch type",
    "col.job_level": "Job level",
    "col.touches_band": "Touches before the deal",
    "col.follow_up_sla": "Follow-up SLA",
    "col.cycle_band": "Sales cycle",
    "col.product": "Product",
    "col.competitor": "Competitor",
}}
