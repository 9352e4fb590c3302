"""The sample's event tables drawn from the journeys: stage history, opportunities, sales activities,
feedback and score history, each cut at the export moment."""
from __future__ import annotations

import numpy as np
import polars as pl

from analytics.sample.common import (
    DAY,
    HOUR,
    MINUTE,
    NONE,
    delay,
    event_rows,
    frame,
    labels,
    make_ids,
    pick,
    spread,
    stream,
    timestamps,
    to_minute,
)
from analytics.sample.company import (
    ACCEPT_REASONS,
    ACTIVITY_TYPES,
    COMPETITORS,
    LEAD,
    LOSS_REASONS,
    LOSS_SHARE,
    LOST,
    MQL,
    OPP,
    PRODUCT_LABELS,
    RECYCLED,
    REJECT_REASONS,
    SAL,
    SQL,
    STAGES,
    WIN_REASONS,
    WIN_SHARE,
    WON,
)
from analytics.sample.journey import Journey
from analytics.sample.leads import Leads


def _exit_at(rng, exit_stage: np.ndarray, decided: np.ndarray, before: np.ndarray) -> np.ndarray:
    """When a rejected lead leaves sales: disqualified at the verdict; recycled once marketing takes it
    back into nurture, a day or a few later (before it comes back, when it does)."""
    n = len(decided)
    wait = delay(rng, 2 * DAY, 0.8, n, HOUR)
    wait = np.where(np.isnan(before), wait, np.minimum(wait, 0.5 * (before - decided)))
    recycled_at = to_minute(decided + wait)
    return np.where(exit_stage == RECYCLED, recycled_at, np.where(exit_stage >= 0, decided, np.nan))


def stage_history_table(leads: Leads, j: Journey, lead_ids: pl.Series, cutoff: float, seed: int = 7) -> pl.DataFrame:
    """Grain: one row per lead per stage entered."""
    n = len(leads)
    rng = stream(seed, "recycle")  # its own stream: every other table stays as it was
    everyone = np.arange(n)
    closes = np.where(j.won, WON, LOST)
    entries = [  # (time, stage)
        (leads.created, np.full(n, LEAD)),
        (j.mql1, np.full(n, MQL)),
        (_exit_at(rng, j.exit1, j.decided1, j.mql2), j.exit1),
        (j.mql2, np.full(n, MQL)),
        (_exit_at(rng, j.exit2, j.decided2, np.full(n, np.nan)), j.exit2),
        (j.sal, np.full(n, SAL)),
        (j.sql, np.full(n, SQL)),
        (j.opp, np.full(n, OPP)),
        (j.close, closes),
        (j.dropped, j.dropped_stage),
    ]
    lead, t, (stage,) = event_rows([everyone] * len(entries), [e[0] for e in entries],
                              [e[1] for e in entries], cutoff=cutoff)
    return frame(lead_id=lead_ids.gather(lead), stage=labels(STAGES, stage),
                  entered_at=timestamps(t))


def opportunities_table(leads: Leads, j: Journey, ids: dict, cutoff: float, seed: int) -> pl.DataFrame:
    """Grain: one row per lead that reached opportunity (created_at = that stage's entry)."""
    rng = stream(seed, "opportunities")
    rows = np.flatnonzero(~np.isnan(j.opp) & (j.opp < cutoff))
    rows = rows[np.lexsort((rows, j.opp[rows]))]
    m = len(rows)
    closed = j.close[rows] < cutoff
    won = closed & j.won[rows]
    lost = closed & ~j.won[rows]
    competitor = j.competitor[rows]
    loss = pick(rng, LOSS_SHARE, group=(competitor >= 0).astype(np.int64))
    win = pick(rng, WIN_SHARE, m)
    status = np.where(won, "won", np.where(lost, "lost", "open"))
    return frame(
        opportunity_id=make_ids("O", m, max(5, len(str(m)))),
        lead_id=ids["lead"].gather(rows),
        account_id=ids["account"].gather(leads.account[rows]),
        created_at=timestamps(j.opp[rows]),
        closed_at=timestamps(np.where(closed, j.close[rows], np.nan)),
        status=pl.Series(status),
        amount=pl.Series(j.amount[rows].astype(np.int64)),
        product=labels(PRODUCT_LABELS, product_trajectories(j.product[rows], status, competitor, j.opp[rows],
                                                            j.close[rows], cutoff, seed)),
        owner_id=ids["rep"].gather(leads.owner[rows]),
        loss_reason=labels(LOSS_REASONS, np.where(lost, loss, NONE)),
        win_reason=labels(WIN_REASONS, np.where(won, win, NONE)),
        competitor=labels(COMPETITORS, competitor),
    )


def product_trajectories(product: np.ndarray, status: np.ndarray, competitor: np.ndarray, created: np.ndarray,
                         close: np.ndarray, cutoff: float, seed: int) -> np.ndarray:
    """The product label of each deal, from its own random stream so every other column stays as drawn:
    Core wins head-to-head (most of its deals lost to a named competitor are booked as Analytics) and
    stops growing; Enterprise's bookings of 6-12 months ago are partly booked as Analytics, so it grows;
    Insights (code 3), launched from Analytics 11 months before the export, takes most of Analytics'
    recent head-to-head wins. Analytics is left declining and losing: one product per quadrant."""
    rng = stream(seed, "products")
    draw = rng.random(len(product))
    months_ago = (cutoff - created) / (30.4 * DAY)
    closed_months_ago = (cutoff - np.nan_to_num(close, nan=cutoff)) / (30.4 * DAY)
    named = competitor >= 0
    out = product.copy()
    out[(product == 0) & (status == "lost") & named & (draw < 0.85)] = 1
    out[(product == 2) & (status == "won") & (closed_months_ago >= 6) & (closed_months_ago < 12) & (draw < 0.45)] = 1
    ramp = np.clip((11 - months_ago) / 8, 0, 1)
    share = np.where(status == "won", np.where(named, 0.9, 0.35 * ramp),
                     np.where(named & (status == "lost"), 0.12, 0.3 * ramp))
    out[(product == 1) & (months_ago < 11) & (draw < share)] = 3
    return out


def activities_table(leads: Leads, j: Journey, ids: dict, cutoff: float, seed: int) -> pl.DataFrame:
    """Grain: one row per sales activity. The first follow-up after each hand-off comes after
    the owner's typical delay; a few leads were called before they were handed off."""
    rng = stream(seed, "activities")
    n = len(leads)
    everyone = np.arange(n)
    lead_parts, time_parts, rep_parts, type_parts = [], [], [], []

    def add(lead, t, rep, kind):
        lead_parts.append(lead), time_parts.append(t), rep_parts.append(rep), type_parts.append(kind)

    # Follow-ups after the first and second hand-off (call or email), by the owner.
    for follow in (j.follow1, j.follow2):
        add(everyone, follow, leads.owner, pick(rng, [0.6, 0.4, 0.0], n))
    # An SDR call before the hand-off.
    lead_time = j.mql1 - leads.created
    early = (lead_time > 2 * HOUR) & (rng.random(n) < 0.06)
    add(everyone, np.where(early, leads.created + rng.uniform(0.1, 0.9, n) * lead_time, np.nan),
        leads.sdr, pick(rng, [0.5, 0.5, 0.0], n))
    # Outbound prospecting by the SDR until the first meeting (or for a month).
    outbound = np.flatnonzero(~leads.marketing)
    span = np.where(np.isnan(j.outbound_entry), 30 * DAY, j.outbound_entry - leads.created)[outbound]
    who, when = spread(rng, outbound, 1 + rng.poisson(1.5, len(outbound)), leads.created[outbound], span)
    add(who, when, leads.sdr[who], pick(rng, [0.5, 0.5, 0.0], len(who)))
    # Working the lead from sal / sql / opportunity until it closes, drops or goes quiet.
    working = np.flatnonzero(~np.isnan(j.work_start))
    start = j.work_start[working]
    stop = np.where(~np.isnan(j.close), j.close, np.where(~np.isnan(j.dropped), j.dropped,
                                                          j.work_start + 45 * DAY))[working]
    count = rng.poisson(1.0 + 1.5 * ~np.isnan(j.sql[working]) + 3.0 * ~np.isnan(j.opp[working]))
    who, when = spread(rng, working, count, start + MINUTE, stop - start - MINUTE)
    rep = np.where(rng.random(len(who)) < 0.8, leads.owner[who], leads.sdr[who])
    add(who, when, rep, pick(rng, [0.35, 0.40, 0.25], len(who)))

    lead, t, (kind, rep) = event_rows(lead_parts, [to_minute(x) for x in time_parts], type_parts, rep_parts,
                                 cutoff=cutoff)
    return frame(
        activity_id=make_ids("X", len(lead), max(6, len(str(len(lead))))),
        lead_id=ids["lead"].gather(lead),
        rep_id=ids["rep"].gather(rep),
        occurred_at=timestamps(t),
        activity_type=labels(ACTIVITY_TYPES, kind),
    )


def feedback_table(leads: Leads, j: Journey, ids: dict, cutoff: float, seed: int) -> pl.DataFrame:
    """Grain: one row per verdict on a hand-off. Accepts at the sal entry (most, not all, are
    recorded), rejections at the recycled / disqualified entry, by the lead's owner."""
    rng = stream(seed, "feedback")
    n = len(leads)
    everyone = np.arange(n)
    times, verdicts, reasons = [], [], []
    for verdict, decided, reason in ((j.verdict1, j.decided1, j.reason1),
                                     (j.verdict2, j.decided2, j.reason2)):
        recorded_accept = (verdict == 1) & (j.sal == decided) & (rng.random(n) < 0.85)
        accept_reason = np.where(rng.random(n) < 0.15, pick(rng, [0.35, 0.3, 0.25, 0.1], n), NONE)
        times.append(np.where(recorded_accept | (verdict == 2), decided, np.nan))
        verdicts.append(verdict)
        reasons.append(np.where(verdict == 2, reason,
                                np.where(accept_reason >= 0, accept_reason + len(REJECT_REASONS), NONE)))
    lead, t, (verdict, reason) = event_rows([everyone, everyone], times, verdicts, reasons, cutoff=cutoff)
    q = leads.quality[lead]
    m = len(lead)
    rating = np.where(verdict == 1, 3.6 + 0.8 * q + rng.normal(0, 0.7, m),
                      1.7 + 0.3 * q + rng.normal(0, 0.6, m))
    rating = np.where(rng.random(m) < 0.7, np.clip(np.round(rating), 1, 5), np.nan)
    return frame(
        lead_id=ids["lead"].gather(lead),
        rep_id=ids["rep"].gather(leads.owner[lead]),
        created_at=timestamps(t),
        verdict=labels(("", "accepted", "rejected"), verdict),
        reason=labels(REJECT_REASONS + ACCEPT_REASONS, reason),
        rating=pl.Series(rating, nan_to_null=True).cast(pl.Int64),
    )


def score_history_table(leads: Leads, j: Journey, lead_ids: pl.Series, cutoff: float,
                        seed: int) -> pl.DataFrame:
    """Grain: one row per lead per score change. Scores climb from capture to the hand-off
    (or to the last engagement); the last row equals leads.score."""
    rng = stream(seed, "score_history")
    n = len(leads)
    handed = ~np.isnan(j.mql1)
    last = np.where(handed, j.mql1 - rng.uniform(1, 30, n) * MINUTE,
                    leads.created + np.where(leads.marketing, delay(rng, 10 * DAY, 1.0, n),
                                             rng.uniform(0, 2 * DAY, n)))
    last = np.clip(last, leads.created, cutoff - MINUTE)
    count = 1 + rng.binomial(3, np.where(handed, 0.6, 0.3))
    count = np.where(last - leads.created < HOUR, 1, count)
    lead = np.repeat(np.arange(n), count)
    step = np.arange(len(lead)) - np.repeat(np.cumsum(count) - count, count)  # 0 .. count-1
    share = np.where(count[lead] > 1, step / np.maximum(count[lead] - 1, 1), 1.0)
    start = rng.uniform(0.35, 0.75, n)[lead]
    score = np.round(j.score[lead] * (start + (1 - start) * share))
    t = to_minute(leads.created[lead] + share * (last - leads.created)[lead])
    return frame(lead_id=lead_ids.gather(lead), scored_at=timestamps(t),
                  score=pl.Series(score.astype(np.int64)))
