"""English messages of the revenue pages: win / loss, revenue contribution, targets & velocity."""

TEXT: dict[str, str] = {
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
    "winloss.significant": "unlikely to be chance",
    "winloss.significant_text": "**{count} of {n}** factor values separate wins from losses beyond chance "
                                "(q < {q}): {cells} — against {overall} overall.",
    "winloss.significant_cell": "{factor} = {value} wins {rate} ({won} of {closed})",
    "winloss.none_significant": "None of the {n} factor values wins clearly more or less often than the rest in "
                                "this selection: the differences below could be chance. A longer period gives more "
                                "deals to go on.",
    "winloss.verdict_better": "**{value}** ({factor}) wins **{rate}** of its deals ({won} of {closed}) against "
                              "{overall} overall — unlikely to be chance.",
    "winloss.verdict_worse": "**{value}** ({factor}) wins only **{rate}** of its deals ({won} of {closed}) against "
                             "{overall} overall — unlikely to be chance.",
    "winloss.verdict_more": "{n} more factor values differ beyond chance: see the table.",
    "winloss.show_all": "Show every factor value",
    "winloss.factors_plain": "Deals closed {start} – {end}: the win rate of each value, with the range it could "
                             "plausibly be in. Blue = unlikely to be chance; grey = could be chance; hatched = "
                             "fewer than {n} deals. Dashed line = all closed deals.",
    "winloss.factors_method": "Range: 95% Wilson interval. Each value is compared with all other deals by Fisher's "
                              "exact test; the p-values are adjusted for testing every value at once "
                              "(Benjamini–Hochberg) into q-values, and a value counts as unlikely to be chance at "
                              "q < {q}. Lift = the value's win rate ÷ the overall win rate.",
    "winloss.not_significant": "could be chance",
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
    "revenue.models": "Attribution: six rule models and two data-driven ones side by side",
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
                           "campaign's cost; dashed line = break-even (1×); log scale, so 10× sits as far "
                           "from 1× as 1× from 0.1×. Amber diamond = immature: pipeline "
                           "open, no revenue yet — not a failure (always drawn, last). Drawn: the 20 first by the "
                           "chosen order; campaigns without a cost have no ROI and are in the table only.",
    "revenue.roi_table_caption": "Each campaign over its whole life: cost, the leads whose original campaign it "
                                 "is (cost per MQL / SQL / opportunity / won deal) and the won revenue attributed "
                                 "to its touches; the period keeps the campaigns that ran in it. ROI shows — "
                                 "(undefined) when the campaign has no cost. Click a column header to sort.",
    "revenue.roi_axis": "ROI (attributed won revenue ÷ cost)",
    "revenue.roi_axis_log": "ROI (attributed won revenue ÷ cost), log scale",
    "revenue.roi_returned": "Won revenue ÷ cost",
    "revenue.roi_immature_legend": "Immature: pipeline open, no revenue yet",
    "revenue.roi_nothing_legend": "No revenue and no open pipeline",
    "revenue.roi_nothing": "0× · nothing won, nothing open",
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
    "col.open_opportunities_effect": "Open opportunities: effect",
    "col.win_rate_effect": "Win rate: effect",
    "col.avg_won_amount_effect": "Avg won amount: effect",
    "col.avg_cycle_days_effect": "Avg cycle: effect",
    "col.open_opportunities_share": "Open opportunities: share of change",
    "col.win_rate_share": "Win rate: share of change",
    "col.avg_won_amount_share": "Avg won amount: share of change",
    "col.avg_cycle_days_share": "Avg cycle: share of change",
}
