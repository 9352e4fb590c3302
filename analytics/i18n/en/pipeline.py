"""English messages of pipeline movement and the forecast (weekly page, Targets & velocity, weekly pack)."""

TEXT: dict[str, str] = {
    "pipeline.movement.opening": "Opening",
    "pipeline.movement.created": "Created",
    "pipeline.movement.advanced": "Advanced",
    "pipeline.movement.moved_back": "Moved back",
    "pipeline.movement.pushed_out": "Pushed out",
    "pipeline.movement.pulled_in": "Pulled in",
    "pipeline.movement.amount_change": "Amount change",
    "pipeline.movement.won": "Won",
    "pipeline.movement.lost": "Lost",
    "pipeline.movement.closing": "Closing",
    "pipeline.period.month": "Month",
    "pipeline.period.quarter": "Quarter",
    "pipeline.period.week": "Week",
    "pipeline.movement_title": "Pipeline movement",
    "pipeline.movement_caption": "This quarter's open pipeline (open deals expected to close by the quarter's end) "
                                 "from the period's start to its end: each bar is what one kind of move added or "
                                 "took away; advanced and moved-back deals change stage, not the amount (the axis "
                                 "starts "
                                 "near the lowest level, so that the moves read). Opening + "
                                 "moves = closing, exactly.",
    "pipeline.movement_text": "Opening **{opening}** ({opening_n} deals) → closing **{closing}** ({closing_n} "
                              "deals). Biggest moves: {moves}.",
    "pipeline.move_part": "{movement} {amount} ({n} deals)",
    "pipeline.no_moves": "nothing moved",
    "pipeline.deals_n": "{n} deals",
    "pipeline.amount_axis": "Amount ({currency})",
    "pipeline.pick_movement": "Deals that",
    "pipeline.deals_behind": "The {movement} deals of {period}: owner, account, stage and close date from → to, "
                             "with a link to each lead's journey.",
    "pipeline.no_history": "This export has no deal history (opportunity_history), so the movement shows deals "
                           "created, won and lost only — not stage changes, amount changes or pushed close dates. "
                           "Each import now keeps the open deals as they stand, so these appear from the next "
                           "import on; or export Salesforce OpportunityHistory (or a deal history).",
    "pipeline.from_snapshots": "This export has no deal history: stage, amount and close-date changes come from "
                               "the open deals kept at {n} earlier import(s) since {first}, so they are dated at "
                               "those imports, not when they happened.",
    "pipeline.no_deals": "No open deals to move in this period with these filters.",
    "pipeline.grain": "Movement by",
    "pipeline.period_pick": "Period",
    "pipeline.waterfall_table": "Every period's waterfall",
    "pipeline.forecast_title": "Bookings forecast",
    "pipeline.headline_better": "Last {months} months our forecast was within **{error}** of what was booked "
                                "(naive weighted pipeline: **{naive}**); bias {bias}, the booked amount fell inside "
                                "our 80% range in {within} of the months.",
    "pipeline.headline_worse": "Last {months} months our forecast was within **{error}** of what was booked — "
                               "the naive weighted pipeline did better (**{naive}**); bias {bias}, inside our 80% "
                               "range in {within} of the months.",
    "pipeline.no_track_record": "No track record yet: the forecast needs a few months of deal history before a "
                                "past month can be replayed.",
    "pipeline.forecast_month": "Forecast {period}",
    "pipeline.forecast_quarter": "Forecast {period}",
    "pipeline.vs_target": "{pct} of target",
    "pipeline.forecast_help": "80% range {low} – {high}: won so far {won} + expected from open deals {open} + from "
                              "deals not created yet {new}.",
    "pipeline.forecast_text": "**{period}**: {forecast} (80% range {low} – {high}); won so far {won}. Naive "
                              "weighted pipeline {naive}; if every deal closes when its rep expects {rep}; target "
                              "{target}.",
    "pipeline.month_format": "%B %Y",
    "pipeline.quarter_name": "Q{quarter} {year}",
    "pipeline.no_target": "none set",
    "pipeline.forecast_caption": "Won so far + each open deal's chance to close won before the period ends × its "
                                 "amount + the bookings of deals not created yet. The chance is learned from past "
                                 "Mondays: of the deals then open in the same stage, age and size (and whether the "
                                 "rep expected the close in time), the share of their amount won within as many "
                                 "days. The naive "
                                 "weighted pipeline is the CRM's stage probability × amount of the deals expected "
                                 "to close in the period.",
    "pipeline.forecast_how": "2,000 seeded simulations (each open deal won or not with its chance, plus one past "
                             "Monday's new-deal bookings) give the 10th–90th percentile range. Small groups are "
                             "pulled towards their stage's rate (10 pseudo-deals). Definitions: docs/metrics.md "
                             "“Forecast”.",
    "pipeline.not_learned": "Too little deal history before this date to learn from: the forecast is only what "
                            "was won so far.",
    "pipeline.backtest_title": "Track record",
    "pipeline.backtest_caption": "At the start of each past month the forecast was replayed with only what was "
                                 "known then (deal history up to that moment) and set against what was booked. "
                                 "Bars: booked; blue: ours with its 80% range; dotted: naive weighted pipeline.",
    "pipeline.actual": "Booked",
    "pipeline.ours": "Our forecast",
    "pipeline.naive": "Naive weighted pipeline",
    "pipeline.forecast_more": "The forecast's method, its open deals and its month-by-month track record: Targets & "
                              "velocity.",
    "pipeline.deals_title": "The open deals behind the forecast",
    "pack.pipeline_axis": "Share of the opening pipeline",
    "col.movement": "Movement",
    "col.stage_from": "Stage from",
    "col.stage_to": "Stage to",
    "col.amount_from": "Amount from",
    "col.amount_to": "Amount to",
    "col.close_from": "Close from",
    "col.close_to": "Close to",
    "col.net_amount": "Effect on pipeline",
    "col.won_so_far": "Won so far",
    "col.forecast": "Forecast",
    "col.low": "Low (10%)",
    "col.high": "High (90%)",
    "col.naive": "Naive weighted",
    "col.rep_expected": "Reps' expected dates",
    "col.open_deals": "Open deals",
    "col.expected_from_open": "From open deals",
    "col.expected_from_new": "From new deals",
    "col.error": "Error",
    "col.naive_error": "Naive error",
    "col.abs_pct_error": "Error %",
    "col.naive_abs_pct_error": "Naive error %",
    "col.is_within_interval": "In 80% range",
    "col.is_learned": "Learned",
    "col.period": "Period",
    "col.win_chance": "Win chance in period",
    "col.expected_amount": "Expected",
    "col.probability": "CRM probability %",
    "enables.opportunity_history": "Pipeline movement by stage, amount and close date (advanced, pushed out, "
                                   "pulled in) and the forecast's track record.",
}
