"""The sample's opportunity_history: every deal's stage, amount, expected close and probability as its rep
changed them. Drawn from its own random stream after the opportunities are built, so no other table moves.

A deal opens in Discovery (some in Proposal) with an optimistic expected close; it advances a stage or two
(won deals further than lost ones, a few move back), its amount is revised once on some deals, and when
its expected close comes near while the deal is still open the rep pushes it out (slips), now and then
pulls it in. At its close a last row records Closed Won / Closed Lost. Open deals keep the changes made
before the export."""
from __future__ import annotations

import numpy as np
import polars as pl

from analytics.sample.common import DAY, delay, stream

STAGES = ("Discovery", "Proposal", "Negotiation", "Commit", "Closed Won", "Closed Lost")
PROBABILITY = (10.0, 30.0, 60.0, 80.0, 100.0, 0.0)
WON, LOST = 4, 5


def opportunity_history_table(opportunities: pl.DataFrame, cutoff: float, seed: int) -> pl.DataFrame:
    """Grain: one row per recorded change of a deal (opportunity_id, changed_at)."""
    rng = stream(seed, "opportunity_history")
    m = opportunities.height
    ids = opportunities["opportunity_id"].to_numpy()
    created = opportunities["created_at"].dt.epoch("s").to_numpy().astype(float)
    closed_at = opportunities["closed_at"].dt.epoch("s").fill_null(np.nan).to_numpy().astype(float)
    status = opportunities["status"].to_numpy()
    final = opportunities["amount"].cast(pl.Float64).to_numpy()
    is_won, is_closed = status == "won", status != "open"
    # an open deal would close some weeks after the export: its changes before the export are kept
    end = np.where(is_closed, closed_at, np.maximum(cutoff, created) + delay(rng, 45 * DAY, 0.6, m, DAY))
    span = np.maximum(end - created, DAY)

    first_stage = np.where(rng.random(m) < 0.2, 1, 0)
    steps = np.where(is_won, rng.integers(2, 4, m), rng.integers(0, 3, m))
    back = rng.random(m) < 0.08
    revised = rng.random(m) < 0.35
    first_amount = np.where(revised, np.round(final * rng.lognormal(0.05, 0.25, m), -2), final)
    # reps plan a close sooner than it comes: the first expected close is 40-90 % of the real span
    expected = created + span * rng.uniform(0.4, 0.9, m)

    parts = []

    def add(mask, at, stage, amount, close):
        rows = np.flatnonzero(mask & (at < cutoff))
        parts.append((rows, at[rows], stage[rows], amount[rows], close[rows]))

    everyone = np.ones(m, dtype=bool)
    add(everyone, created, first_stage, first_amount, expected)
    stage = first_stage.copy()
    for k, share in enumerate((0.3, 0.6, 0.85)):
        at = created + span * (share + rng.uniform(-0.1, 0.1, m))
        moves = (k < steps) | ((k == 1) & back)
        stage = np.where(moves, np.clip(np.where((k == 1) & back, stage - 1, stage + 1), 0, 3), stage)
        amount = np.where(revised & (k >= 1), final, first_amount)
        # a close date that passes (or nearly) while the deal is open is pushed to a few weeks later
        slips = expected < at + 5 * DAY
        pushed = np.maximum(at + delay(rng, 21 * DAY, 0.5, m, 3 * DAY), expected)
        expected = np.where(slips, np.minimum(pushed, np.maximum(end, at + DAY)), expected)
        # now and then a rep pulls a close date in (a customer wants to sign sooner)
        pulled = ~slips & (rng.random(m) < 0.08)
        expected = np.where(pulled, np.maximum(at + 2 * DAY, expected - delay(rng, 14 * DAY, 0.5, m, DAY)), expected)
        changed = moves | slips | pulled | (revised & (k == 1))
        add(changed, at, stage, amount, expected)
    add(is_closed, closed_at, np.where(is_won, WON, LOST), final, closed_at)

    rows = np.concatenate([p[0] for p in parts])
    at = np.concatenate([p[1] for p in parts])
    order = np.lexsort((at, rows))
    rows, at = rows[order], at[order]
    codes = np.concatenate([p[2] for p in parts])[order]
    return pl.DataFrame({
        "opportunity_id": ids[rows],
        "changed_at": pl.Series((np.round(at / 60) * 60 * 1e6).astype("int64")).cast(pl.Datetime("us")),
        "stage": np.asarray(STAGES)[codes],
        "amount": np.concatenate([p[3] for p in parts])[order].astype(np.int64),
        "expected_close_at": pl.Series(
            (np.floor(np.concatenate([p[4] for p in parts])[order] / DAY) * DAY * 1e6).astype("int64")
        ).cast(pl.Datetime("us")),
        "probability": np.asarray(PROBABILITY)[codes].astype(np.int64),
    })
