"""English messages of the drill-down lists behind the breakdown tables and of conversion over time."""

TEXT: dict[str, str] = {
    "drill.pick_hint": "Click a row to see the leads behind it.",
    "drill.pick_hint_deals": "Click a row to see the deals behind it.",
    "drill.behind.conversion": "The {cohort} leads from {value} that entered {from_stage} {start} – {end}; "
                               "{converted} reached {to_stage}{window}.",
    "drill.behind.trend": "The {cohort} leads from {value} that entered {from_stage} in {period}; "
                          "{converted} reached {to_stage}{window}.",
    "drill.behind.quality": "The {n} leads from {value} handed off {start} – {end}: {accepted} accepted, "
                            "{rejected} rejected, {pending} awaiting a decision.",
    "drill.behind.sla": "The {n} hand-offs of {value} judged on {measure}: {met} met, {breached} breached, "
                        "{not_due} not yet due.",
    "drill.behind.stays": "The {n} leads that entered {stage} {start} – {end} and have left it, longest stay first.",
    "drill.behind.winloss": "The {n} deals closed {start} – {end} where {factor} is {value}: {won} won, newest first.",
    "drill.behind.attribution": "The deals that credit {value} ({start} – {end}), largest linear credit first; "
                                "each model's column adds up to the row above.",
    "drill.trend.pick_hint": "Click a point of the chart or a row of the table to see the leads behind it.",
    "drill.behind.rejections": "The {n} leads from {value} handed off {start} – {end} that sales rejected as "
                               "“{reason}”, newest first.",
    "drill.behind.lost": "The {n} deals from {value} closed {start} – {end} and lost to “{reason}”, newest first.",
    "drill.trend.title": "Conversion over time by segment",
    "drill.trend.intro": "Has one segment stopped converting? Each line is a value of the breakdown above "
                         "({by}); each point the leads that entered {from_stage} in that {grain}.",
    "drill.trend.grain": "Per",
    "drill.trend.values": "Segments shown",
    "drill.trend.values_help": "The largest segments are shown first; add or remove any.",
    "drill.trend.caption": "Cohort: leads entering {from_stage} per {grain}, {start} – {end}; rate = share "
                           "that reached {to_stage}{window} by {as_of}. Hollow points: fewer than {n} leads — "
                           "too few to judge. Recent periods are still maturing.",
    "drill.trend.change": "**{value}**: {last} in {period} (the latest complete {grain}), against {before} "
                          "before.",
    "drill.trend.few": " Only {n} leads — too few to judge.",
    "drill.trend.none": "No lead entered {stage} in this period with these filters.",
    "drill.fmt.week": "the week of %d %b %Y",
    "drill.fmt.month": "%B %Y",
    "drill.value.accepted": "Accepted",
    "drill.value.rejected": "Rejected",
    "drill.value.pending": "Awaiting decision",
    "drill.value.met": "Met",
    "drill.value.breached": "Breached",
    "drill.value.not_due": "Not yet due",
    "drill.value.won": "Won",
    "drill.value.lost": "Lost",
    "drill.value.open": "Open",
    "drill.behind.recycling": "The {n} leads from {value} handed off {start} – {end}, rejected ones first: "
                              "{rejected} rejected, {recycled} recycled, {returned} came back.",
    "col.days_to_recycle": "Days to recycle",
    "col.returned_at": "Came back",
    "col.is_requalified": "Qualified after coming back",
    "col.sla_status": "SLA",
    "col.recycle_days": "Recycled after (days)",
    "col.exited_at": "Left the stage",
    "col.is_converted": "Converted",
    "drill.behind.sourcing": "The deals of {category} {start} – {end}: {won} won ({won_amount}) and {created} "
                             "created ({pipeline_amount}); a deal can be both. Newest first.",
    "drill.behind.reason.won": "The {n} deals closed {start} – {end} and won for “{reason}”, newest first.",
    "drill.behind.reason.lost": "The {n} deals closed {start} – {end} and lost to “{reason}”, newest first.",
    "drill.behind.profile": "The {n} deals closed {start} – {end} in {segment}: {won} won, newest first.",
    "drill.behind.stalled": "The {n} leads of {owner} stalled in {stage} at {as_of}, the most recently stalled "
                            "(easiest to save) first.",
    "drill.behind.target_leads": "The {n} {metric} that count toward the target of {start} – {end}{team}, "
                                 "newest first.",
    "drill.behind.target_deals": "The {n} deals that make the {metric} of {start} – {end}{team} ({actual}), "
                                 "newest first.",
    "drill.behind.team": " for {team}",
    "drill.behind.velocity": "The {n} deals closed in {month}: {won} won — the deals behind its win rate, "
                             "average won amount and sales cycle.",
    "drill.no_reason": "(no reason given)",
    "col.is_won_in_period": "Won in the period",
    "col.is_created_in_period": "Created in the period",
    "col.first_factor": "First factor",
    "col.first_value": "First value",
    "col.second_factor": "Second factor",
    "col.second_value": "Second value",
    "drill.cell_hint": "Click a cell of the chart or a row of the table to see the leads behind it.",
    "drill.pick_hint_targets": "Click a row to see the leads or deals that count toward it.",
    "col.profile": "Segment",
}
