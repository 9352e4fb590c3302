"""Data-driven attribution (issue 18): the Markov removal-effect and Shapley models on a hand-computed
three-channel example (exact), against the published implementations on the same paths (the DP6
`marketing-attribution-models` package: equal; `ChannelAttribution`: removal effects within a stated
tolerance of its simulation), the sampled Shapley value against the exact one, the tie-out to
bookings, the bootstrap and its warnings, and the account grain (the buying committee)."""
from __future__ import annotations

import math

import numpy as np
import polars as pl
import pytest

from analytics.engine import datadriven, pathmodels, revenue
from analytics.engine.pathmodels import Paths
from tests.conftest import in_ci, quiet, run_cli, write_export


def peer(module: str):
    """A published implementation to check against (requirements-dev.txt): in CI it must import, elsewhere
    the check skips with the reason when it is missing."""
    if in_ci():
        import importlib
        return importlib.import_module(module)
    return pytest.importorskip(module)

# Three channels, five leads. L1: Email then Paid, won 300. L2: Email only, no deal. L3: Web, won 600.
# L4: Paid, no deal. L5: Paid, won 100. L6 (account X with L1): Web before and after L1's deal.
# By hand (first-order chain, docs/metrics.md "Data-driven attribution"):
#   start → Email 2/5, Paid 2/5, Web 1/5; Email → Paid 1/2, null 1/2; Paid → conversion 2/3, null 1/3;
#   Web → conversion 1. P(conversion) = 2/5·1/2·2/3 + 2/5·2/3 + 1/5 = 0.6.
#   Without Email: 2/5·2/3 + 1/5 = 7/15 → removal effect 1 − (7/15)/0.6 = 2/9.
#   Without Paid: 1/5 → 2/3. Without Web: 2/5·1/2·2/3 + 2/5·2/3 = 0.4 → 1/3.
#   L1's 300 splits Email : Paid = 2/9 : 6/9 → 75 and 225; Paid 225 + 100 = 325; Web 600.
# Shapley (conversion rate of the paths that touched exactly a set): v{Email,Paid} = 1, v{Paid} = 1/2,
#   v{Web} = 1, v{Email} = 0 (no conversion). On {Email, Paid}: φ(Email) = ½·(0 − 0) + ½·(1 − ½) = ¼,
#   φ(Paid) = ½·(½ − 0) + ½·(1 − 0) = ¾ → 75 and 225 again; Paid 325, Web 600.
LEADS = """
    lead_id,created_at,source,account_id
    L1,2026-01-01 00:00:00,Webinar,X
    L2,2026-01-01 00:00:00,Webinar,Y
    L3,2026-01-01 00:00:00,Webinar,Z
    L4,2026-01-01 00:00:00,Webinar,W
    L5,2026-01-01 00:00:00,Webinar,V
    L6,2026-01-01 00:00:00,Webinar,X
"""
HISTORY = """
    lead_id,stage,entered_at
    L1,lead,2026-01-01 00:00:00
    L2,lead,2026-01-01 00:00:00
    L3,lead,2026-01-01 00:00:00
    L4,lead,2026-01-01 00:00:00
    L5,lead,2026-01-01 00:00:00
    L6,lead,2026-01-01 00:00:00
"""
OPPORTUNITIES = """
    opportunity_id,lead_id,account_id,created_at,closed_at,status,amount
    O1,L1,X,2026-01-10 00:00:00,2026-02-01 00:00:00,won,300
    O3,L3,Z,2026-01-10 00:00:00,2026-02-01 00:00:00,won,600
    O5,L5,V,2026-01-10 00:00:00,2026-02-01 00:00:00,won,100
"""
TOUCHES = """
    touch_id,lead_id,occurred_at,channel,campaign_id
    T1,L1,2026-01-02 00:00:00,Email,C1
    T2,L1,2026-01-03 00:00:00,Paid,C2
    T3,L2,2026-01-02 00:00:00,Email,C1
    T4,L3,2026-01-02 00:00:00,Web,
    T5,L4,2026-01-02 00:00:00,Paid,C2
    T6,L5,2026-01-02 00:00:00,Paid,C2
    T7,L6,2026-01-05 00:00:00,Web,
    T8,L6,2026-01-20 00:00:00,Web,
"""
TABLES = {"leads": LEADS, "stage_history": HISTORY, "opportunities": OPPORTUNITIES, "touches": TOUCHES}
HAND = {"Email": 75.0, "Paid": 325.0, "Web": 600.0}
HAND_EFFECTS = {"Email": 2 / 9, "Paid": 2 / 3, "Web": 1 / 3}


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    from analytics.core.config import load_config
    from analytics.importers.load import import_folder
    from analytics.store.db import open_store

    folder = write_export(tmp_path_factory.mktemp("three") / "export", TABLES)
    db = folder.parent / "closed_loop.duckdb"
    import_folder(folder, db, load_config(), say=quiet)
    store = open_store(db)
    yield store
    store.close()


def hand_paths() -> Paths:
    return Paths.of([(("Email", "Paid"), True, 1, 300), (("Email",), False, 1, 0), (("Web",), True, 1, 600),
                     (("Paid",), False, 1, 0), (("Paid",), True, 1, 100)])


def test_hand_computed_three_channel_example_exact():
    paths = hand_paths()
    assert pathmodels.removal_effects(paths) == pytest.approx(HAND_EFFECTS, rel=1e-12)
    assert pathmodels.markov_credits(paths).amount == pytest.approx(HAND, rel=1e-12)
    assert pathmodels.markov_credits(paths).conversions == pytest.approx({"Email": 0.25, "Paid": 1.75, "Web": 1.0})
    assert pathmodels.conversion_rates(paths) == {("Email", "Paid"): 1.0, ("Paid",): 0.5, ("Web",): 1.0}
    assert pathmodels.shapley_credits(paths).amount == pytest.approx(HAND, rel=1e-12)


def test_hand_example_through_the_database_and_the_report(store, tmp_path_factory):
    for model in ("markov", "shapley"):
        result = datadriven.data_driven(store, model, "won", "channel")
        got = dict(zip(result.frame["channel"], result.frame["credit"]))
        assert got == pytest.approx(HAND, rel=1e-12), model
        # L2, L4 and L6 (Web, Web: one visit). L6 sends a third of the starts to Web with half of Web's
        # paths converting: P(conversion) = 1/2, and every removal effect stays 2/9, 2/3, 1/3.
        assert result.non_converting == 3
        assert "few_non_converting" in result.warnings
    folder = write_export(tmp_path_factory.mktemp("cli") / "export", TABLES)
    done = run_cli("report", "attribution", "--model", "markov", "--data", folder)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    assert lines[0] == "channel,credit,currency"
    assert sum(float(line.split(",")[1]) for line in lines[1:]) == pytest.approx(1000.0)


def test_markov_and_shapley_tie_out_beside_the_rule_models(store):
    wide, tie_out = revenue.attribution_models(store, "won", "channel", models=revenue.ALL_MODELS)
    assert tie_out["model"].to_list() == list(revenue.ALL_MODELS)
    assert tie_out["booked"].unique().to_list() == [1000.0]
    assert tie_out["difference"].abs().max() == pytest.approx(0.0, abs=1e-9)
    assert dict(zip(wide["channel"], wide["markov"])) == pytest.approx(HAND)
    by_campaign = revenue.attribution(store, "shapley", "won", "campaign_id")
    assert by_campaign["credit"].sum() == pytest.approx(1000.0)


def test_higher_order_chain_keeps_the_tie_out(store):
    for order in (2, 3):
        frame = datadriven.data_driven(store, "markov", "won", "channel", order=order).frame
        assert frame["credit"].sum() == pytest.approx(1000.0)


def test_account_grain_is_the_buying_committee(store):
    # L6, of L1's account X, was touched by Web (T7) before O1 was created: X's path is Email > Paid > Web.
    # Account X converted, so T8 is on no non-converting path: Y (Email) and W (Paid) remain. By hand:
    #   start → Email 2/5, Paid 2/5, Web 1/5; Email → Paid 1/2, null 1/2; Paid → Web 1/3, conversion 1/3,
    #   null 1/3; Web → conversion 1. P = 3/5; without Email 7/15 (2/9), without Paid 1/5 (2/3), without
    #   Web 1/5 (2/3). X's 300 splits 2 : 6 : 6 → Email 300/7, Paid 900/7 (+100), Web 900/7 (+600).
    paths = datadriven.paths(store, "won", "channel", grain="account")
    assert paths.non_converting == 2
    frame = datadriven.data_driven(store, "markov", "won", "channel", grain="account").frame
    assert dict(zip(frame["channel"], frame["credit"])) == pytest.approx(
        {"Email": 300 / 7, "Paid": 1600 / 7, "Web": 5100 / 7}, rel=1e-12)
    funnel = datadriven.account_funnel(store)
    assert (funnel["accounts_engaged"], funnel["accounts_with_opportunity"], funnel["accounts_won"]) == (5, 3, 3)
    assert funnel["won_amount"] == 1000.0
    assert funnel["committee_won_amount"] == 300.0  # X: L1 and L6 touched before O1
    assert funnel["committee_share"] == pytest.approx(0.3)


def test_bootstrap_intervals_are_seeded_and_cover_the_credit(store):
    a = datadriven.data_driven(store, "markov", "won", "channel", draws=30, seed=7).frame
    b = datadriven.data_driven(store, "markov", "won", "channel", draws=30, seed=7).frame
    assert a.equals(b)
    assert (a["credit_low"] <= a["credit_high"]).all()
    # five paths: every channel can vanish from a resample, so every credit is within noise of zero
    assert a.filter(pl.col("channel") != "(no touch)")["is_noise"].all()


# --- the published implementations, on the same seeded paths ------------------------------------

def random_paths(seed: int = 1, n: int = 3000) -> dict[tuple[tuple[str, ...], bool], tuple[int, float]]:
    rng = np.random.default_rng(seed)
    channels = ["Email", "Paid", "Web", "Event"]
    rows: dict[tuple[tuple[str, ...], bool], tuple[int, float]] = {}
    for _ in range(n):
        steps = tuple(str(c) for c in rng.choice(channels, rng.integers(1, 5), p=[.4, .3, .2, .1]))
        converts = bool(rng.random() < 0.1 + 0.1 * ("Event" in steps) + 0.05 * ("Email" in steps))
        amount = float(rng.integers(1, 10)) * 1000 if converts else 0.0
        count, total = rows.get((steps, converts), (0, 0.0))
        rows[steps, converts] = (count + 1, total + amount)
    return rows


def as_paths(rows) -> Paths:
    return Paths.of([(steps, converts, n, amount) for (steps, converts), (n, amount) in rows.items()])


def test_agrees_with_the_dp6_package():
    mam = peer("mam.core")
    rows = random_paths()
    frame = pl.DataFrame([{"journey": " > ".join(s), "conversion": c, "occurrences": n, "revenue": a}
                          for (s, c), (n, a) in rows.items()])
    dp6 = mam.MAM(df=frame, format_type="grouped_journey", channels_colname="journey",
                  journey_with_conv_colname="conversion", occurrences_colname="occurrences",
                  conversion_value_colname="revenue")
    paths = as_paths(rows)
    theirs = dp6.run_markov().to_polars()
    assert pathmodels.markov_credits(paths).amount == pytest.approx(
        dict(zip(theirs["channels"], theirs["attribution"])), rel=1e-9)
    theirs = dp6.run_shapley(max_size=None).to_polars()
    assert pathmodels.shapley_credits(paths).amount == pytest.approx(
        dict(zip(theirs["channels"], theirs["attribution"])), rel=1e-9)


CA_TOLERANCE = 0.03  # absolute, on removal effects: ChannelAttribution simulates the chain; we solve it


def test_agrees_with_channel_attribution():
    pd = peer("pandas")
    peer("matplotlib")
    ca = peer("ChannelAttribution")
    rows = random_paths()
    per_path: dict[str, list[float]] = {}
    for (steps, converts), (n, amount) in rows.items():
        entry = per_path.setdefault(">".join(steps), [0, 0, 0.0])
        entry[0 if converts else 1] += n
        entry[2] += amount
    data = pd.DataFrame([(p, *v) for p, v in per_path.items()], columns=["path", "conv", "null", "value"])
    paths = as_paths(rows)
    for order in (1, 2):
        # max_step: ChannelAttribution's default cuts a simulated path at the longest observed one,
        # which lowers every removal effect (docs/metrics.md); we solve the chain without a cut.
        out = ca.markov_model(data, "path", "conv", var_value="value", var_null="null", order=order,
                              out_more=True, verbose=False, flg_pro=False, nsim_start=2e5, max_step=200, seed=1)
        theirs = dict(zip(out["removal_effects"]["channel_name"], out["removal_effects"]["removal_effects_conversion"]))
        ours = pathmodels.removal_effects(paths, order)
        assert ours == pytest.approx(theirs, abs=CA_TOLERANCE), order
        # Their per-channel conversions are the total × the channel's share of the removal effects;
        # ours share each path's conversion over its own touches (as DP6): equal in total only.
        conversions = float(data["conv"].sum())
        shares = {c: conversions * e / sum(theirs.values()) for c, e in theirs.items()}
        got = dict(zip(out["result"]["channel_name"], out["result"]["total_conversions"]))
        assert got == pytest.approx(shares, rel=1e-6)
        assert sum(pathmodels.markov_credits(paths, order).conversions.values()) == pytest.approx(conversions)


def test_sampled_shapley_beyond_the_exact_limit_is_within_its_error():
    players = tuple(f"C{i:02d}" for i in range(18))
    rng = np.random.default_rng(3)
    worth = {tuple(sorted(rng.choice(players, rng.integers(1, 6), replace=False).tolist())): float(rng.random())
             for _ in range(60)}
    worth[players] = 2.0
    exact, zero = pathmodels.shapley(players, worth, exact_limit=50)
    assert not zero.any()
    sampled, error = pathmodels.shapley(players, worth, np.random.default_rng(0), exact_limit=15, permutations=3000)
    assert sampled.sum() == pytest.approx(exact.sum()) == pytest.approx(2.0)
    assert (error > 0).all()
    assert (np.abs(sampled - exact) <= 4 * error + 1e-12).all()


def test_exact_shapley_equals_the_enumeration_of_every_coalition():
    players = ("A", "B", "C", "D")
    worth = {("A",): 0.2, ("A", "B"): 0.5, ("B", "C", "D"): 0.3, players: 0.9}
    got, _ = pathmodels.shapley(players, worth)
    n = len(players)
    want = np.zeros(n)
    for mask in range(1 << n):
        members = tuple(p for i, p in enumerate(players) if mask >> i & 1)
        for i, p in enumerate(players):
            if p in members:
                continue
            s = len(members)
            joined = tuple(sorted((*members, p)))
            want[i] += math.factorial(s) * math.factorial(n - s - 1) / math.factorial(n) * (
                worth.get(joined, 0.0) - worth.get(members, 0.0))
    assert got == pytest.approx(want)


def test_sampled_paths_in_the_credits_stay_within_their_sampling_error():
    paths = as_paths(random_paths(seed=5, n=2000))
    exact = pathmodels.shapley_credits(paths)
    sampled = pathmodels.shapley_credits(paths, seed=3, exact_limit=2)  # sets of 3 and 4 channels sampled
    assert sum(sampled.amount.values()) == pytest.approx(sum(exact.amount.values()))
    assert any(v > 0 for v in sampled.sampling_var.values())
    for value, credit in exact.amount.items():
        assert abs(sampled.amount[value] - credit) <= 4 * math.sqrt(sampled.sampling_var[value]) + 1e-6, value


def test_path_rules_equal_the_sql_rule_models(store):
    # the account grain's first/last/linear are computed from the paths: on lead paths they must equal
    # the rule models' SQL weights (queries/derived/opportunity_touches.sql)
    paths = datadriven.paths(store, "won", "channel")
    for model in pathmodels.RULES:
        sql = revenue.attribution(store, model, "won", "channel")
        assert pathmodels.rule_credits(model, paths).amount == pytest.approx(
            dict(zip(sql["channel"], sql["credit"]))), model


def test_a_deal_without_an_account_is_its_own_account(tmp_path, make_export, import_store):
    store = import_store(make_export(tmp_path, {
        "leads": "lead_id,created_at,account_id\nP1,2026-01-01 00:00:00,\nP2,2026-01-01 00:00:00,Q\n"
                 "P3,2026-01-01 00:00:00,\n",
        "stage_history": "lead_id,stage,entered_at\nP1,lead,2026-01-01 00:00:00\nP2,lead,2026-01-01 00:00:00\n"
                         "P3,lead,2026-01-01 00:00:00\n",
        "opportunities": "opportunity_id,lead_id,created_at,closed_at,status,amount\n"
                         "Q1,P1,2026-01-10 00:00:00,2026-02-01 00:00:00,won,500\n",
        "touches": "touch_id,lead_id,occurred_at,channel\nU1,P1,2026-01-02 00:00:00,Email\n"
                   "U2,P2,2026-01-02 00:00:00,Paid\nU3,P3,2026-01-02 00:00:00,Email\n"}))
    paths = datadriven.paths(store, "won", "channel", grain="account")
    assert paths.non_converting == 2  # account Q, and P3 on its own
    frame = datadriven.data_driven(store, "markov", "won", "channel", grain="account").frame
    assert dict(zip(frame["channel"], frame["credit"])) == {"Email": 500.0}


def test_a_negative_shapley_value_takes_no_share_where_dp6_credits_it_negatively():
    # A alone converts 1 of 1 (v{A} = 1); A and B together 1 of 2 (v{A,B} = 1/2). On {A, B}:
    # φ(A) = ½·(1 − 0) + ½·(½ − 0) = ¾, φ(B) = ½·(0 − 0) + ½·(½ − 1) = −¼ (they add up to ½).
    # DP6 shares the {A, B} deal (100) as ¾ / ½ and −¼ / ½: A 150, B −50; we give B nothing: A 100.
    paths = Paths.of([(("A",), True, 1, 40), (("A", "B"), True, 1, 100), (("A", "B"), False, 1, 0)])
    assert pathmodels.shapley_credits(paths).amount == pytest.approx({"A": 140.0, "B": 0.0})
    mam = peer("mam.core")
    frame = pl.DataFrame({"journey": ["A", "A > B", "A > B"], "conversion": [True, True, False],
                          "occurrences": [1, 1, 1], "revenue": [40.0, 100.0, 0.0]})
    theirs = mam.MAM(df=frame, format_type="grouped_journey", channels_colname="journey",
                     journey_with_conv_colname="conversion", occurrences_colname="occurrences",
                     conversion_value_colname="revenue").run_shapley(max_size=None).to_polars()
    assert dict(zip(theirs["channels"], theirs["attribution"])) == pytest.approx({"A": 190.0, "B": -50.0})


def test_a_breakdown_outside_the_allow_list_is_refused(store):
    from analytics.store.sql import UnknownColumn

    with pytest.raises(UnknownColumn, match="not a touch dimension"):
        datadriven.paths(store, "won", "channel; drop table leads")
    with pytest.raises(UnknownColumn):
        revenue.attribution_models(store, "won", "nope", models=revenue.DATA_DRIVEN)
