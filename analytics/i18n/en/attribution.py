"""English messages of the data-driven attribution models and the account-based view (Revenue
contribution page, issue 18)."""

TEXT: dict[str, str] = {
    "revenue.model.markov": "Markov (data-driven)",
    "revenue.model.shapley": "Shapley (data-driven)",
    "col.markov": "Markov",
    "col.shapley": "Shapley",
    "col.credit": "Credit",
    "col.conversions": "Conversions credited",
    "col.credit_low": "Credit, 95% low",
    "col.credit_high": "Credit, 95% high",
    "col.sampling_error": "Sampling error",
    "col.is_noise": "Within noise of zero",
    "journey.col.person": "Person",
    "attribution.data_driven": "Data-driven models: how stable the credit is",
    "attribution.intro": "The Markov and Shapley models learn from every touch path, converting or not: Markov "
                         "credits a channel by how much conversion would be lost without it, Shapley by what it "
                         "adds on average to the paths that convert. Both share each deal's amount out whole, so "
                         "they tie out to bookings like the rule models above.",
    "attribution.dd_model": "Data-driven model",
    "attribution.order": "Markov order",
    "attribution.order_help": "1: the next touch depends on the current one; 2 or 3: on the last two or three "
                              "(needs many more paths).",
    "attribution.grain": "Buyer",
    "attribution.grain.lead": "The lead",
    "attribution.grain.account": "The account (buying committee)",
    "attribution.grain_help": "Account: the touches of every person of the deal's account up to the deal's "
                              "creation count, not only its own lead's.",
    "attribution.chart_caption": "{model}, {basis}, {start} – {end}: the dot is the credit, the bar its 95% "
                                 "bootstrap interval ({draws} resamples of the paths, seeded). A bar that reaches "
                                 "zero means the credit could be noise. {paths} converting and {nulls} "
                                 "non-converting paths; {total} credited in all, the booked amount.",
    "attribution.noise": "Within noise of zero: {values}. Their credit could be an accident of which deals "
                         "happened to close; do not move budget on it.",
    "attribution.few_non_converting": "Only {nulls} paths did not convert (fewer than {minimum}): the models "
                                      "cannot tell what fails from what succeeds, so their credit leans towards "
                                      "the rule models'. Widen the period or load the leads that did not buy.",
    "attribution.nothing": "No deal in {start} – {end} to attribute with these filters.",
    "attribution.method": "Markov: first- (or higher-) order chain of the touch paths with (start), "
                          "(conversion) and (null); a channel's removal effect = 1 − P(conversion without it) ÷ "
                          "P(conversion); each deal's amount is shared over its touches in proportion to their "
                          "removal effects. Shapley: the worth of a set of channels is the conversion rate of the "
                          "paths that touched exactly that set; each converting path's amount is shared by the "
                          "channels' Shapley values (exact up to 15 channels on a path, 2,000 sampled orders "
                          "beyond, with their sampling error). Checked against ChannelAttribution and the DP6 "
                          "package (docs/metrics.md).",
    "attribution.accounts": "Accounts as the buyer",
    "attribution.accounts_intro": "B2B deals are bought by several people: here every person of an account "
                                  "counts, and the account is what converts.",
    "attribution.accounts_engaged": "Accounts engaged",
    "attribution.accounts_with_opportunity": "with an opportunity",
    "attribution.accounts_won": "won",
    "attribution.committee_share": "Won revenue with touches from more than one person",
    "attribution.accounts_caption": "{start} – {end}: accounts with a touch of any of their people → of those, "
                                    "with an opportunity created → with a deal won. {committee} of the "
                                    "{won} won had touches from two or more people of the account before the deal "
                                    "was created.",
}
