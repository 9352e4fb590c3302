"""English messages of the content page."""

TEXT: dict[str, str] = {
    # --- content ---------------------------------------------------------------------------------
    "content.page": "Content",
    "content.title": "Content that moves deals",
    "content.intro": "For each content item and the stage a lead was in when it touched it: how often those "
                     "leads moved on to the next stage, against the leads in that stage that did not touch it. "
                     "Leads: {scope}; every touch up to the as-of (the sidebar's period does not apply).",
    "content.needs_touches": "Content analytics needs touches.csv (and content.csv for titles) in the export.",
    "content.no_lift": "No content was touched in this selection.",
    "content.recommend": "What to send at each stage",
    "content.recommend_caption": "Per stage, the content with the highest lift among items touched by at least "
                                 "{n} leads. Reliable when its whole 95% interval is above 1.",
    "content.no_recommendation": "No item was touched by enough leads in this stage.",
    "content.no_recommendation_in": "No recommendation yet for {stages}: no item was touched by {n} or more "
                                    "leads in that stage.",
    "content.lift_value": "{lift}× (95% CI {low}–{high})",
    "content.enough_volume": "touched by enough leads",
    "content.low_volume": "few leads (no interval)",
    "content.funnel.top": "Top of funnel",
    "content.funnel.middle": "Middle of funnel",
    "content.funnel.bottom": "Bottom of funnel",
    "content.col.verdict": "Verdict",
    "content.reliable": "reliable",
    "content.indicative": "indicative only",
    "content.lift": "Lift per content item",
    "content.stage": "Stage the lead was in",
    "content.lift_caption": "Lift = share of leads in {stage} that touched the item and reached {next}, ÷ the "
                            "share among those in {stage} that did not. Bars: the range the lift could "
                            "plausibly be in; dashed line = "
                            "no difference; green = reliably above 1; grey = touched by fewer than {n} leads.",
    "content.lift_axis": "Lift (× as likely to move on; log scale)",
    "content.lift_hover": "%{y}: %{x:.2f}× · %{customdata[0]:,} leads touched it · moved on %{customdata[1]} vs "
                          "%{customdata[2]}",
    "content.pick_hint": "Pick an item to see the leads that touched it in this stage.",
    "content.behind": "Leads that touched **{title}** while in {stage}, and whether they reached {next}:",
    "content.behind_late": "Leads that touched **{title}** in a late stage:",
    "content.unused": "Late-stage content sales does not use",
    "content.unused_note": "{n} middle- and bottom-of-funnel items were touched by few or no leads in {stages}: "
                           "for marketing to promote to sales, rework or retire.",
    "content.all_used": "Every middle- and bottom-of-funnel item is used in the late stages.",
    "content.col.content_id": "Content",
    "content.col.title": "Title",
    "content.col.content_type": "Type",
    "content.col.funnel_stage": "Written for",
    "content.col.touched_leads": "Leads touched",
    "content.col.touched_rate": "Moved on (touched)",
    "content.col.untouched_rate": "Moved on (others)",
    "content.col.lift": "Lift",
    "content.col.interval": "95% interval",
    "content.col.is_low_volume": "Few leads",
    "content.col.late_stage_leads": "Leads in late stages",
}
