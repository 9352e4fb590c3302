"""Every breakdown row opens the leads (or deals) behind it, and the list's size is the figure it explains:
the conversion cohort by segment and over time (Funnel), hand-offs by segment with their decision (Lead
quality), the SLA scorecard's owner/team rows with their status, the stays behind a stage (Velocity) and the
closed deals of a win/loss factor value — on the golden example (hand-checked figures) and on the sample."""
from __future__ import annotations

from datetime import date, timedelta

import polars as pl
import pytest

from analytics.core.filters import Filters
from analytics.engine import drilldown, handoff, metrics, revenue, winloss
from analytics.engine.base import MetricError
from analytics.store.db import Store
from analytics.views import trend_by


@pytest.fixture(params=["golden", "sample"])
def store(request) -> Store:
    return request.getfixturevalue(f"{request.param}_store")


def _period(store: Store) -> Filters:
    """The last 90 days of the data, as the sidebar opens (the golden example's ten leads fit in them)."""
    end = store.default_as_of.date()
    return Filters(start=end - timedelta(days=90), end=end)


# --- the golden example: the hand-checked figures and the leads behind them

def test_golden_paid_social_mql_cohort_is_its_three_leads(golden_store):
    leads = drilldown.conversion_leads(golden_store, "mql", "sql", "source", "Paid Social")
    assert sorted(leads["lead_id"]) == ["L03", "L04", "L09"]  # the three Paid Social leads (cohort 3)
    assert int(leads["is_converted"].sum()) == 2  # converted 2 (expected/conversion_mql_sql_by_source.csv)
    assert leads.filter(pl.col("is_converted"))["reached_at"].null_count() == 0


def test_golden_quality_row_lists_its_handoffs_with_decisions(golden_store):
    leads = drilldown.handoff_leads(golden_store, "source", "Paid Social")
    assert leads.height == 3  # handed_off 3, accepted 2, rejected 1 (expected/quality_by_source.csv)
    assert leads["decision"].value_counts().sort("decision").rows() == [("accepted", 2), ("rejected", 1)]
    assert leads.filter(pl.col("decision") == "rejected")["rejection_reason"].null_count() == 0


def test_golden_sla_owner_row_lists_its_handoffs_with_status(golden_store):
    leads = drilldown.sla_row_leads(golden_store, "owner_id", "R2", "follow_up")
    # R2: met 2, breached 1, not due 1 (expected/sla_by_owner_id.csv)
    assert leads["sla_status"].value_counts().sort("sla_status").rows() == [("breached", 1), ("met", 2),
                                                                             ("not_due", 1)]
    assert set(leads["owner_id"]) == {"R2"}
    judged = leads.filter(pl.col("sla_status").is_in(["met", "breached"]))
    assert judged["response_hours"].median() == 2.0  # median_response_hours of the judged three


def test_golden_velocity_stage_lists_its_stays(golden_store):
    stays = drilldown.stage_stays(golden_store, "opportunity")
    assert stays.height == 4  # n 4, median 30.5 days, mean 28.0 (expected/velocity.csv)
    assert stays["days_in_stage"].median() == pytest.approx(30.5)
    assert stays["days_in_stage"].mean() == pytest.approx(28.0)
    assert stays["days_in_stage"].to_list() == sorted(stays["days_in_stage"].to_list(), reverse=True)


def test_golden_winloss_industry_lists_its_closed_deals(golden_store):
    table = winloss.winloss(golden_store, by="industry")
    for row in table.iter_rows(named=True):
        deals = drilldown.factor_deals(golden_store, "industry", row["industry"])
        assert deals.height == row["closed"]
        assert int((deals["status"] == "won").sum()) == row["won"]
        assert set(deals["industry"]) == {row["industry"]}


def test_a_blank_value_is_found_as_none(golden_store):
    """Leads with no value are the '(none)' row, and its list finds them (no `= null` that never matches)."""
    table = metrics.conversion(golden_store, "lead", "mql", by="campaign_id")
    blank = table.filter(pl.col("campaign_id") == "(none)")
    assert blank["cohort"][0] > 0
    assert drilldown.conversion_leads(golden_store, "lead", "mql", "campaign_id", "(none)").height == blank["cohort"][0]


def test_a_breakdown_outside_the_allow_list_is_refused(golden_store):
    with pytest.raises(Exception, match="not a column"):
        drilldown.conversion_leads(golden_store, "mql", "sql", "source; drop table leads", "x")
    with pytest.raises(MetricError, match="win/loss factor"):
        drilldown.factor_deals(golden_store, "lead_id", "L01")


# --- every row of every page's breakdown, on both datasets: the list is exactly the figure

@pytest.mark.parametrize("by", ["source", "industry"])
def test_conversion_rows_open_their_cohorts(store, by):
    chosen, cfg = _period(store), store.cfg
    table = metrics.conversion(store, cfg.handoff_stage, cfg.qualified_stage, by=by, filters=chosen)
    assert table.height > 0
    for row in table.iter_rows(named=True):
        leads = drilldown.conversion_leads(store, cfg.handoff_stage, cfg.qualified_stage, by, row[by], chosen)
        assert leads.height == row["cohort"] == leads["lead_id"].n_unique()
        assert int(leads["is_converted"].sum()) == row["converted"]


def test_conversion_over_time_points_open_their_cohorts(store):
    chosen, cfg = _period(store), store.cfg
    for grain in ("week", "month"):
        trend = metrics.conversion_trend(store, cfg.handoff_stage, cfg.qualified_stage, "source", grain, chosen)
        whole = metrics.conversion(store, cfg.handoff_stage, cfg.qualified_stage, by="source", filters=chosen)
        # the periods add up to the segment's cohort: time splits the same leads, it adds none
        summed = trend.group_by("source").agg(pl.col("cohort").sum(), pl.col("converted").sum()).sort("source")
        assert summed.rows() == whole.select("source", "cohort", "converted").sort("source").rows()
        for row in trend.head(12).iter_rows(named=True):
            leads = drilldown.conversion_leads(store, cfg.handoff_stage, cfg.qualified_stage, "source", row["source"],
                                               chosen, grain=grain, period_start=row["period_start"])
            assert leads.height == row["cohort"]
            assert int(leads["is_converted"].sum()) == row["converted"]


def test_quality_rows_open_their_handoffs(store):
    chosen = _period(store)
    for by in ("source", "team", "score_band"):
        table = handoff.quality(store, by=by, filters=chosen)
        for row in table.iter_rows(named=True):
            leads = drilldown.handoff_leads(store, by, row[by], chosen)
            counts = dict(leads["decision"].value_counts().rows())
            assert leads.height == row["handed_off"]
            assert (counts.get("accepted", 0), counts.get("rejected", 0), counts.get("pending", 0)) == (
                row["accepted"], row["rejected"], row["pending"])


def test_rejection_reason_cells_open_their_rejections(store):
    chosen = _period(store)
    for row in handoff.rejection_reasons(store, by="source", filters=chosen).iter_rows(named=True):
        leads = drilldown.rejection_leads(store, "source", row["source"], row["reason"], chosen)
        assert leads.height == row["rejections"]


def test_loss_reason_cells_open_their_lost_deals(store):
    chosen = _period(store)
    for row in winloss.loss_reasons_by(store, "source", filters=chosen).iter_rows(named=True):
        deals = drilldown.lost_deals(store, "source", row["source"], row["reason"], chosen)
        assert deals.height == row["deals"] and set(deals["status"]) == {"lost"}


def test_recycling_rows_open_their_handoffs(store):
    chosen = _period(store)
    for by in ("source", "rejection_reason"):
        for row in handoff.recycling(store, by=by, filters=chosen).iter_rows(named=True):
            leads = drilldown.recycling_leads(store, by, row[by], chosen)
            assert leads.height == row["handed_off"]
            assert leads["rejected_at"].is_not_null().sum() == row["ever_rejected"]
            assert leads["recycled_at"].is_not_null().sum() == row["recycled"]
            assert leads["returned_at"].is_not_null().sum() == row["returned"]
            assert int(leads["is_requalified"].sum()) == row["returned_qualified"]


@pytest.mark.parametrize("measure", handoff.SLA_MEASURES)
def test_sla_rows_open_their_handoffs(store, measure):
    chosen = _period(store)
    for by in ("owner_id", "team"):
        table = handoff.sla(store, by=by, measure=measure, filters=chosen)
        for row in table.iter_rows(named=True):
            leads = drilldown.sla_row_leads(store, by, row[by], measure, chosen)
            counts = dict(leads["sla_status"].value_counts().rows())
            assert leads.height == row["met"] + row["breached"] + row["not_due"]
            assert (counts.get("met", 0), counts.get("breached", 0)) == (row["met"], row["breached"])
            if measure != "recycle":  # every breach says by how much, and only breaches do
                late = leads.filter(pl.col("hours_late").is_not_null())
                assert late.height == row["breached"] and (late["hours_late"] > 0).all()


def test_velocity_rows_open_their_stays(store):
    chosen = _period(store)
    for row in metrics.velocity(store, filters=chosen).iter_rows(named=True):
        stays = drilldown.stage_stays(store, row["stage"], chosen)
        assert stays.height == row["n"]
        assert stays["days_in_stage"].median() == pytest.approx(row["median_days"])


@pytest.mark.parametrize("basis", revenue.BASES)
def test_attribution_rows_open_their_deals(store, basis):
    """Each model's credits over the deals behind a channel add up to the channel's figure."""
    chosen = _period(store)
    for by in ("channel", "campaign_id"):
        wide, _tie_out = revenue.attribution_models(store, basis, by, chosen)
        for row in wide.iter_rows(named=True):
            deals = drilldown.attribution_deals(store, basis, by, row[by], chosen)
            assert deals["opportunity_id"].n_unique() == deals.height
            for model in revenue.MODELS:
                assert deals[model].sum() == pytest.approx(row[model], abs=1e-6)


def test_golden_channel_deals_carry_their_linear_credit(golden_store):
    deals = drilldown.attribution_deals(golden_store, "won", "channel", "Webinar")
    assert deals["linear"].sum() == pytest.approx(7500.0)  # the revenue page's linear Webinar credit
    assert deals["linear"].to_list() == sorted(deals["linear"].to_list(), reverse=True)


def test_winloss_factor_values_open_their_deals(store):
    chosen = _period(store)
    factors = winloss.all_factors(store, filters=chosen)
    assert factors.height > 0
    for row in factors.head(40).iter_rows(named=True):
        deals = drilldown.factor_deals(store, row["factor"], row["value"], chosen)
        assert deals.height == row["closed"] == deals["opportunity_id"].n_unique()
        assert int((deals["status"] == "won").sum()) == row["won"]


def test_sourcing_rows_open_their_deals(store):
    """Sourced vs influenced: each row's won deals and amount, opportunities and pipeline are its list's."""
    chosen = _period(store)
    for row in revenue.sourcing(store, chosen).iter_rows(named=True):
        deals = drilldown.sourcing_deals(store, row["category"], chosen)
        won, created = deals.filter(pl.col("is_won_in_period")), deals.filter(pl.col("is_created_in_period"))
        assert (won.height, created.height) == (row["won_deals"], row["opportunities"])
        assert won["amount"].sum() == pytest.approx(row["won_amount"])
        assert created["amount"].sum() == pytest.approx(row["pipeline_amount"])
        assert deals["opportunity_id"].n_unique() == deals.height


@pytest.mark.parametrize("outcome", ["won", "lost"])
def test_reason_bars_open_their_deals(store, outcome):
    chosen = _period(store)
    pareto = winloss.reasons(store, outcome, chosen)
    assert pareto.height > 0
    for row in pareto.iter_rows(named=True):
        deals = drilldown.reason_deals(store, outcome, row["reason"], chosen)
        assert deals.height == row["deals"] and set(deals["status"]) == {outcome}


def test_ideal_customer_profile_rows_open_their_deals(sample_store):
    profile = winloss.ideal_customer_profile(sample_store)  # the whole history: enough deals per segment
    assert profile.height > 0
    for row in profile.iter_rows(named=True):
        pair = {row["first_factor"]: row["first_value"], row["second_factor"]: row["second_value"]}
        deals = drilldown.profile_deals(sample_store, pair)
        assert deals.height == row["closed"] and int((deals["status"] == "won").sum()) == row["won"]


def test_stalled_cells_open_their_leads(store):
    chosen = _period(store)
    cells = handoff.stalled_by_owner(store, chosen)
    for row in cells.iter_rows(named=True):
        leads = drilldown.stalled_leads(store, row["owner_id"], row["stage"], chosen)
        assert leads.height == row["stalled"] and leads["days_over"].max() == pytest.approx(row["max_days_over"])
    assert cells["stalled"].sum() == metrics.stalled(store, chosen).height


def test_target_rows_open_their_leads_and_deals(sample_store):
    table = revenue.targets(sample_store)
    assert set(table["metric"]) >= {"mqls", "sqls", "won_amount"}
    for row in table.filter(pl.col("actual") > 0).iter_rows(named=True):
        behind = drilldown.target_leads(sample_store, row)
        if row["metric"] in revenue.STAGE_METRICS:
            assert behind.height == row["actual"]
        else:
            assert behind["amount"].sum() == pytest.approx(row["actual"])


def test_sales_velocity_months_open_their_deals(store):
    for row in revenue.sales_velocity(store).tail(6).iter_rows(named=True):
        deals = drilldown.velocity_deals(store, row["month_start"])
        assert deals.height == row["closed_deals"]
        assert int((deals["status"] == "won").sum()) == row["won_deals"]


def test_the_change_sentence_skips_the_filling_period_and_marks_low_volume():
    """Paid search: 10 of 20 in September, 9 of 10 in August, 1 of 8 in October, November still filling."""
    frame = pl.DataFrame({"source": ["Paid Search"] * 4,
                          "period_start": [date(2026, 8, 1), date(2026, 9, 1), date(2026, 10, 1), date(2026, 11, 1)],
                          "cohort": [10, 20, 8, 3], "converted": [9, 10, 1, 0]})
    frame = frame.with_columns((pl.col("converted") / pl.col("cohort")).alias("rate"),
                               (pl.col("cohort") < 30).alias("is_low_volume"))
    change = trend_by.latest_change(frame, "source", "Paid Search", current=date(2026, 11, 1))
    assert change["period_start"] == date(2026, 10, 1) and change["last"] == 1 / 8
    assert change["before"] == 19 / 30  # pooled: (9 + 10) / (10 + 20)
    assert trend_by.period_start_of(date(2026, 11, 26), "week") == date(2026, 11, 23)  # a Thursday -> Monday
    assert trend_by.period_start_of(date(2026, 11, 26), "month") == date(2026, 11, 1)


def test_a_clicked_point_names_its_row(golden_store):
    """A point of the conversion-over-time chart carries its value and period; the page finds the row."""
    trend = metrics.conversion_trend(golden_store, "mql", "sql", "source", "month")
    fig = trend_by.trend_chart(trend, "source", "month", 30, ["Paid Social"])
    data = fig.data[0].customdata[0]
    point = {"x": data[4], "customdata": list(data)}  # what Streamlit hands back for a clicked point
    row = trend_by.clicked_point(trend, "source", point)
    assert (row["source"], row["cohort"], row["converted"]) == ("Paid Social", 3, 2)  # all in January 2026
    assert trend_by.clicked_point(trend, "source", None) is None
