"""The sample-export generator: reproducible, referentially sound, and realistic enough to analyse."""
from __future__ import annotations

import time
from datetime import date, datetime
from pathlib import Path

import polars as pl
import pytest

from analytics.sample import generate as sample

END = date(2026, 11, 27)
MAIN = ["lead", "mql", "sal", "sql", "opportunity", "won"]
COLUMNS = {
    "leads": ["lead_id", "created_at", "source", "campaign_id", "account_id", "industry", "company_size",
              "region", "country", "owner_id", "sdr_id", "score", "job_level",
              "lead_name", "email", "company_name"],  # who the lead is (the journey searches them)
    "stage_history": ["lead_id", "stage", "entered_at"],
    "touches": ["touch_id", "lead_id", "occurred_at", "channel", "campaign_id", "content_id", "touch_type"],
    "campaigns": ["campaign_id", "name", "channel", "start_date", "end_date", "cost"],
    "content": ["content_id", "title", "content_type", "funnel_stage"],
    "opportunities": ["opportunity_id", "lead_id", "account_id", "created_at", "closed_at", "status", "amount",
                      "product", "owner_id", "loss_reason", "win_reason", "competitor"],
    "opportunity_history": ["opportunity_id", "changed_at", "stage", "amount", "expected_close_at", "probability"],
    "activities": ["activity_id", "lead_id", "rep_id", "occurred_at", "activity_type"],
    "feedback": ["lead_id", "rep_id", "created_at", "verdict", "reason", "rating"],
    "reps": ["rep_id", "name", "role", "team", "region", "manager_id"],
    "targets": ["period_start", "period_end", "metric", "target", "team", "segment"],
    "score_history": ["lead_id", "scored_at", "score"],
}
TIMESTAMPS = {"leads": ["created_at"], "stage_history": ["entered_at"], "touches": ["occurred_at"],
              "opportunities": ["created_at", "closed_at"], "activities": ["occurred_at"],
              "opportunity_history": ["changed_at"],  # expected_close_at is a plan: it may lie after the export
              "feedback": ["created_at"], "score_history": ["scored_at"]}


def read(folder: Path) -> dict[str, pl.DataFrame]:
    tables = {}
    for name in COLUMNS:
        frame = pl.read_csv(folder / f"{name}.csv", infer_schema=False)  # all text, as written
        parse = [pl.col(c).str.to_datetime("%Y-%m-%d %H:%M:%S") for c in TIMESTAMPS.get(name, [])]
        tables[name] = frame.with_columns(parse) if parse else frame
    return tables


@pytest.fixture(scope="module")
def export(tmp_path_factory) -> tuple[dict[str, int], dict[str, pl.DataFrame]]:
    folder = tmp_path_factory.mktemp("sample")
    counts = sample.generate(folder)  # the defaults: 4,000 leads, seed 7, csv
    return counts, read(folder)


@pytest.fixture(scope="module")
def tables(export) -> dict[str, pl.DataFrame]:
    return export[1]


def reached(tables) -> pl.DataFrame:
    """Per lead, the furthest main stage reached (a skipped stage counts as passed; lost = opportunity)."""
    order = {s: i for i, s in enumerate(MAIN)} | {"lost": MAIN.index("opportunity")}
    return (tables["stage_history"]
            .with_columns(rank=pl.col("stage").replace_strict(order, default=None, return_dtype=pl.Int64))
            .group_by("lead_id").agg(pl.col("rank").max().alias("furthest")))


def test_same_seed_gives_identical_bytes(tmp_path):
    first, second, other = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    assert sample.generate(first, leads=300, seed=3) == sample.generate(second, leads=300, seed=3)
    for path in sorted(first.iterdir()):
        assert path.read_bytes() == (second / path.name).read_bytes(), path.name
    sample.generate(other, leads=300, seed=4)
    assert (other / "leads.csv").read_bytes() != (first / "leads.csv").read_bytes()


def test_small_run_is_fast(tmp_path):
    started = time.perf_counter()
    counts = sample.generate(tmp_path, leads=300, seed=11)
    assert time.perf_counter() - started < 2.0
    assert counts["leads"] == 300


def test_tables_columns_and_counts(export):
    counts, tables = export
    assert set(counts) == set(COLUMNS)
    for name, columns in COLUMNS.items():
        assert tables[name].columns == columns, name
        assert tables[name].height == counts[name], name
    assert counts["leads"] == 4000
    assert 25 <= counts["campaigns"] <= 40 and 30 <= counts["content"] <= 50


def test_parquet_and_cli(tmp_path):
    counts = sample.generate(tmp_path / "p", leads=200, file_format="parquet")
    for name, rows in counts.items():
        assert pl.read_parquet(tmp_path / "p" / f"{name}.parquet").height == rows
    assert sample.main([str(tmp_path / "c"), "--leads", "150", "--seed", "2"]) == 0
    assert pl.read_csv(tmp_path / "c" / "leads.csv").height == 150
    with pytest.raises(ValueError, match="csv or parquet"):
        sample.generate(tmp_path / "x", leads=10, file_format="xlsx")


def test_ids_are_unique(tables):
    for name, key in [("leads", "lead_id"), ("touches", "touch_id"), ("campaigns", "campaign_id"),
                      ("content", "content_id"), ("opportunities", "opportunity_id"),
                      ("activities", "activity_id"), ("reps", "rep_id")]:
        assert tables[name][key].is_unique().all(), name
    assert tables["opportunities"]["lead_id"].is_unique().all()  # one opportunity per lead
    assert tables["leads"]["account_id"].n_unique() < tables["leads"].height  # accounts are shared


def test_references_resolve(tables):
    def ids(name, column):
        return set(tables[name][column].drop_nulls())

    leads, reps = ids("leads", "lead_id"), ids("reps", "rep_id")
    for name in ["stage_history", "touches", "opportunities", "activities", "feedback", "score_history"]:
        assert ids(name, "lead_id") <= leads, name
    for name, column in [("leads", "owner_id"), ("leads", "sdr_id"), ("opportunities", "owner_id"),
                         ("activities", "rep_id"), ("feedback", "rep_id"), ("reps", "manager_id")]:
        assert ids(name, column) <= reps, (name, column)
    assert ids("leads", "campaign_id") | ids("touches", "campaign_id") <= ids("campaigns", "campaign_id")
    assert ids("touches", "content_id") <= ids("content", "content_id")
    lead_account = dict(zip(tables["leads"]["lead_id"], tables["leads"]["account_id"], strict=True))
    opps = tables["opportunities"]
    assert all(lead_account[lead] == account for lead, account in zip(opps["lead_id"], opps["account_id"],
                                                                        strict=True))


def test_nothing_before_creation_or_after_the_export(tables):
    end = datetime(END.year, END.month, END.day)
    for name, columns in TIMESTAMPS.items():
        for column in columns:
            assert tables[name][column].drop_nulls().max() < end, (name, column)
    created = tables["leads"].select("lead_id", "created_at")
    for name, column in [("stage_history", "entered_at"), ("touches", "occurred_at"),
                         ("activities", "occurred_at"), ("feedback", "created_at"), ("score_history", "scored_at")]:
        early = tables[name].join(created, on="lead_id").filter(pl.col(column) < pl.col("created_at"))
        assert early.height == 0, name
    assert tables["campaigns"]["end_date"].max() <= END.isoformat()
    # every lead has exactly one `lead` row, at created_at
    lead_rows = tables["stage_history"].filter(pl.col("stage") == "lead")
    assert lead_rows.height == created.height
    assert lead_rows.join(created, on="lead_id").filter(pl.col("entered_at") != pl.col("created_at")).height == 0


def test_funnel_never_rises(tables):
    furthest = reached(tables)["furthest"]
    counts = [int((furthest >= i).sum()) for i in range(len(MAIN))]
    assert counts == sorted(counts, reverse=True), counts
    assert counts[0] == tables["leads"].height and counts[-1] > 50


def test_stages_follow_the_funnel_in_time(tables):
    rank = {s: i for i, s in enumerate(MAIN)} | {"lost": 5}
    rows = (tables["stage_history"].sort("lead_id", "entered_at")
            .with_columns(rank=pl.col("stage").replace_strict(rank, default=None, return_dtype=pl.Int64)))
    main = rows.drop_nulls("rank").with_columns(before=pl.col("rank").cum_max().shift(1).over("lead_id"))
    assert main.filter(pl.col("rank") < pl.col("before")).height == 0
    # a second mql only after a recycled exit; nothing after won or lost
    last = rows.group_by("lead_id").agg(pl.col("stage").last())
    closed = set(rows.filter(pl.col("stage").is_in(["won", "lost"]))["lead_id"])
    assert set(last.filter(pl.col("stage").is_in(["won", "lost"]))["lead_id"]) == closed
    mqls = rows.filter(pl.col("stage") == "mql").group_by("lead_id").len().filter(pl.col("len") > 1)
    recycled = set(rows.filter(pl.col("stage") == "recycled")["lead_id"])
    assert mqls.height > 0 and set(mqls["lead_id"]) <= recycled
    # outbound leads are never handed off
    outbound = set(tables["leads"].filter(pl.col("source") == "Outbound")["lead_id"])
    assert not outbound & set(rows.filter(pl.col("stage") == "mql")["lead_id"])
    assert outbound & set(rows.filter(pl.col("stage") == "opportunity")["lead_id"])


def test_opportunities_match_their_stages(tables):
    stages = tables["stage_history"]
    opened = stages.filter(pl.col("stage") == "opportunity").select("lead_id", opened="entered_at")
    closed = stages.filter(pl.col("stage").is_in(["won", "lost"])).select("lead_id", "stage", closed="entered_at")
    opps = tables["opportunities"].join(opened, on="lead_id", how="full", coalesce=True).join(
        closed, on="lead_id", how="left")
    assert opps["opportunity_id"].null_count() == 0 and (opps["created_at"] == opps["opened"]).all()
    assert opps.filter(pl.col("status") == "open")["closed"].null_count() == opps.filter(
        pl.col("status") == "open").height
    done = opps.filter(pl.col("status") != "open")
    assert (done["status"] == done["stage"]).all() and (done["closed_at"] == done["closed"]).all()
    assert (opps["amount"].cast(pl.Int64) >= 0).all()
    assert opps.filter((pl.col("status") == "lost") != pl.col("loss_reason").is_not_null()).height == 0
    assert opps.filter((pl.col("status") == "won") != pl.col("win_reason").is_not_null()).height == 0


def test_score_history_ends_at_the_lead_score(tables):
    scores = tables["leads"]["score"].cast(pl.Int64)
    assert scores.min() >= 0 and scores.max() <= 100
    last = tables["score_history"].sort("lead_id", "scored_at").group_by("lead_id").agg(pl.col("score").last())
    joined = last.join(tables["leads"].select("lead_id", lead_score="score"), on="lead_id")
    assert joined.height == tables["leads"].height and (joined["score"] == joined["lead_score"]).all()


def test_sources_differ_in_acceptance(tables):
    stages = tables["stage_history"]
    handed = set(stages.filter(pl.col("stage") == "mql")["lead_id"])
    accepted = set(stages.filter(pl.col("stage").is_in(["sal", "sql", "opportunity", "won", "lost"]))["lead_id"])
    rejected = set(stages.filter(pl.col("stage").is_in(["recycled", "disqualified"]))["lead_id"]) - accepted
    rate = {}
    for source, leads in tables["leads"].group_by("source"):
        ids = set(leads["lead_id"]) & handed
        decided = ids & (accepted | rejected)
        if source[0] != "Outbound":
            assert len(decided) >= 100, source
            rate[source[0]] = len(ids & accepted) / len(decided)
    assert len(rate) == 5
    assert rate["Webinar"] - rate["Paid Social"] > 0.3, rate
    assert max(rate.values()) - min(rate.values()) > 0.3, rate


def test_some_reps_follow_up_slowly(tables):
    first_mql = (tables["stage_history"].filter(pl.col("stage") == "mql")
                 .group_by("lead_id").agg(pl.col("entered_at").min().alias("mql_at")))
    first_activity = (first_mql.join(tables["activities"], on="lead_id")
                      .filter(pl.col("occurred_at") >= pl.col("mql_at"))
                      .group_by("lead_id").agg(pl.col("occurred_at").min()))
    hours = (first_mql.join(first_activity, on="lead_id")
             .join(tables["leads"].select("lead_id", "owner_id"), on="lead_id")
             .group_by("owner_id")
             .agg(((pl.col("occurred_at") - pl.col("mql_at")).dt.total_minutes() / 60).median().alias("h")))
    assert hours["h"].min() < 6 and hours["h"].max() > 20
    assert first_mql.height > first_activity.height  # a few handed-off leads are never followed up


def test_targets_cover_every_month(tables):
    targets = tables["targets"]
    assert set(targets["metric"]) == {"leads", "mqls", "sqls", "opportunities", "pipeline_amount", "won_amount"}
    assert targets.group_by("metric").len()["len"].to_list() == [18] * 6
    assert targets["period_start"].min() == "2025-06-01" and targets["period_end"].max() == "2026-11-30"


def test_deal_history_starts_at_creation_ends_at_close_and_slips(tables):
    """opportunity_history (its own random stream): every deal's first change is its creation, a closed
    deal's last is its close (Closed Won / Closed Lost); close dates slip more often than they come in."""
    opps = tables["opportunities"]
    history = tables["opportunity_history"].with_columns(
        pl.col("expected_close_at").str.to_datetime("%Y-%m-%d %H:%M:%S"))
    first = history.group_by("opportunity_id").agg(pl.col("changed_at").min(), pl.col("stage").first())
    joined = opps.join(first, on="opportunity_id")
    assert joined.height == opps.height and (joined["changed_at"] == joined["created_at"]).all()
    last = history.group_by("opportunity_id").agg(pl.col("changed_at").max().alias("last_at"), pl.col("stage").last())
    closed = opps.filter(pl.col("status") != "open").join(last, on="opportunity_id")
    assert (closed["last_at"] == closed["closed_at"]).all()
    wrong = closed.filter(pl.col("stage") != pl.when(pl.col("status") == "won").then(pl.lit("Closed Won"))
                          .otherwise(pl.lit("Closed Lost")))
    assert wrong.is_empty()
    moves = history.sort("opportunity_id", "changed_at").with_columns(
        (pl.col("expected_close_at") - pl.col("expected_close_at").shift(1).over("opportunity_id")).alias("moved"),
        (pl.col("amount").cast(pl.Int64) != pl.col("amount").cast(pl.Int64).shift(1).over("opportunity_id"))
        .alias("amount_changed"))
    open_rows = moves.filter(~pl.col("stage").str.starts_with("Closed"))
    days = open_rows["moved"].dt.total_days()
    pushed, pulled = int((days > 0).sum()), int((days < 0).sum())
    assert pushed > 2 * pulled > 0
    assert open_rows["amount_changed"].sum() > 50
