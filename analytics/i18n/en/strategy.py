"""English messages of the strategy review: the growth–share matrix and the growth paths."""

TEXT: dict[str, str] = {
    "strategy.nav": "Strategy",
    "strategy.page": "Portfolio & growth",
    "strategy.title": "Portfolio & growth",
    "strategy.intro": "Which business units to build, hold, harvest or drop, and where growth came from —"
                      " from won "
                      "deals closed {current} against {prior} (as of {as_of}). The strategies are the textbook's, "
                      "offered as a starting point for the discussion, not a verdict.",
    "strategy.period": "Period",
    "strategy.period.12m": "Last 12 months",
    "strategy.period.6m": "Last 6 months",
    "strategy.period.year": "Year {year}",
    "strategy.unit": "Business units by",
    "strategy.relative": "Position measured",
    "strategy.relative.competitor": "vs strongest competitor",
    "strategy.relative.bookings": "vs largest other unit",
    "strategy.filters_note": "The sidebar's period does not apply here (the period is chosen above); its"
                             " other filters "
                             "do.",
    "strategy.short_prior": "The data begins {first}, after the start of the earlier period ({start}):"
                            " growth is "
                            "overstated and more deals look new. A shorter period compares like with like.",
    "strategy.no_deals": "No deal was won in {current} or {prior} with these filters.",
    # the plain-words summary, one sentence per unit
    "strategy.summary_title": "In short",
    "strategy.say.star": "**{unit}** is a star: {growth} and {position} — build or hold.",
    "strategy.say.cash_cow": "**{unit}** is a cash cow: {growth} and {position} — hold, or harvest the cash.",
    "strategy.say.question_mark": "**{unit}** is a question mark: {growth}{base} but {position} — build or drop?",
    "strategy.small_base": " on a small base",
    "strategy.say.dog": "**{unit}** is a dog: {growth} and {position} — harvest or drop?",
    "strategy.say.none": "**{unit}** has no head-to-head deal against a named competitor in the period: no"
                         " place on "
                         "the matrix.",
    "strategy.say.uncertain": " *Not yet clear:* {why}.",
    "strategy.why.growth": "its growth could be {low} to {high}",
    "strategy.why.share": "its head-to-head win rate could be {low} to {high}",
    "strategy.why.share_bookings": "its relative share could be {low} to {high}",
    "strategy.growing": "growing {growth}",
    "strategy.shrinking": "shrinking {growth}",
    "strategy.flat": "flat ({growth})",
    "strategy.new": "new this period",
    "strategy.ahead_of": "winning {won} of {n} deals against {competitor}",
    "strategy.behind": "winning only {won} of {n} deals against {competitor}",
    "strategy.leader": "the largest unit ({share}× the next)",
    "strategy.share_of": "only {share} of the largest other unit's bookings",
    "strategy.more_units": "…and {n} more units in the table below.",
    "strategy.paths_say": "Bookings went from **{prior}** to **{current}** ({change}). The largest move: "
                          "**{path}** ({path_change}).",
    # the matrix
    "strategy.matrix": "Growth–share matrix",
    "strategy.matrix_caption": "Each bubble is a business unit, its area the bookings of the period. Up ="
                               " bookings "
                               "grew against the period before; right = stronger position ({basis}). The lines are "
                               "{growth_line} growth and a relative share of {share_line}. Whiskers = the 95% range; "
                               "a hollow bubble with “?” = the range crosses a line, so the quadrant is not certain. "
                               "Grey dotted line = where the unit stood a period earlier.",
    "strategy.axis.share": "Relative position (log scale)",
    "strategy.axis.share_competitor": "Our wins per win of the strongest competitor (log scale)",
    "strategy.axis.share_bookings": "Bookings relative to the largest other unit (log scale)",
    "strategy.axis.growth": "Bookings growth against the period before (log scale)",
    "strategy.unbeaten": "unbeaten",
    "strategy.hover": "{unit}<br>{quadrant}<br>Bookings {bookings}<br>Growth {growth} (95%: {growth_low} to "
                      "{growth_high})<br>{position}",
    "strategy.not_placed": "Not on the matrix (no head-to-head deal in the period): {units}.",
    "strategy.labels_note": "Names, trails and whiskers shown for the {n} largest units; a hollow bubble is"
                            " still uncertain. Hover a bubble for the others; the ranges are under “How the"
                            " placements were tested”.",
    "strategy.table": "Every unit",
    "strategy.how": "How the placements were tested",
    "strategy.how_text": "Growth: bookings ÷ bookings of the period before − 1, with a 95% interval treating"
                         " each "
                         "total as a sum of randomly arriving deals (variance = sum of squared amounts; delta method "
                         "on the log ratio). Head-to-head: won ÷ lost against the competitor who took most of the "
                         "unit's lost deals, decided by the win rate and its 95% Wilson interval (1.0 ⇔ 50%). "
                         "Bookings basis: bookings ÷ the largest other unit's, interval as for growth. A unit is "
                         "uncertain when an interval contains its line.",
    # quadrants, strategies, paths
    "strategy.quadrant.star": "Star",
    "strategy.quadrant.cash_cow": "Cash cow",
    "strategy.quadrant.question_mark": "Question mark",
    "strategy.quadrant.dog": "Dog",
    "strategy.strategy.build_hold": "build or hold",
    "strategy.strategy.hold_harvest": "hold or harvest",
    "strategy.strategy.build_divest": "build or divest",
    "strategy.strategy.harvest_divest": "harvest or divest",
    "strategy.paths": "Where growth came from",
    "strategy.paths_caption": "The change in bookings from {prior} to {current}, split by growth path: each"
                              " won deal "
                              "is sorted by whether its {market} and its unit had a won deal in the {months} months "
                              "before it closed. The four steps add up to the change.",
    "strategy.paths_new_data": "Deals closed before {date} ({months} months after the data begins) look new"
                               " for want "
                               "of history.",
    "strategy.path.penetration": "Market penetration",
    "strategy.path.market_development": "Market development",
    "strategy.path.product_development": "Product development",
    "strategy.path.diversification": "Diversification",
    "strategy.path.total": "Total",
    "strategy.path_help.penetration": "existing {market}s, units they already bought",
    "strategy.path_help.market_development": "units sold before, to {market}s new to us",
    "strategy.path_help.product_development": "existing {market}s, a unit new to them",
    "strategy.path_help.diversification": "new {market}s, a unit sold to no one before",
    "strategy.prior_total": "Before",
    "strategy.current_total": "Now",
    "strategy.pick_unit": "Pick a unit to see its won deals.",
    "strategy.unit_deals": "Won deals of {unit} in both periods, newest first, with their growth path.",
    "strategy.pick_path": "Pick a path to see the deals behind it.",
    "strategy.path_deals": "Won deals on the path “{path}” in both periods, newest first.",
    "strategy.market.account_id": "account",
    "strategy.window.current": "this period",
    "strategy.window.prior": "period before",
    # columns
    "col.unit": "Unit",
    "col.quadrant": "Quadrant",
    "col.strategy": "Suggestion",
    "col.bookings": "Bookings",
    "col.prior_bookings": "Bookings before",
    "col.growth": "Growth",
    "col.relative_share": "Relative share",
    "col.uncertain": "Uncertain",
    "col.head_to_head": "Head-to-head deals",
    "col.head_to_head_won": "Won head-to-head",
    "col.prior_quadrant": "A period earlier",
    "col.path": "Growth path",
    "col.prior_amount": "Before",
    "col.current_amount": "Now",
    "col.change_amount": "Change",
    "col.prior_deals": "Deals before",
    "col.current_deals": "Deals now",
    "col.window": "Period",
    "col.market": "Market",
}
