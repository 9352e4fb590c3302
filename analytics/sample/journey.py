"""Each sample lead's way through the funnel, drawn at once for all leads: score, hand-off, follow-up,
acceptance or rejection (recycled or disqualified), qualification, opportunity and close."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from analytics.sample.common import DAY, HOUR, MINUTE, NONE, chance, delay, logistic, pick, stream, to_minute
from analytics.sample.company import (
    COMPETITOR_SHARE,
    COMPETITOR_WIN,
    DISQUALIFIED,
    INDUSTRY_WIN,
    OPP,
    PRODUCT_AMOUNT,
    PRODUCT_BY_SIZE,
    PRODUCT_CYCLE,
    PRODUCT_WIN,
    RECYCLED,
    REJECT_DISQUALIFIES,
    REP_DECIDE,
    REP_FOLLOW_H,
    REP_WIN,
    SAL,
    SIZE_CYCLE,
    SIZE_DEAL,
    SIZE_WIN,
    SOURCE_PROFILE,
    SOURCE_REJECT_SHARE,
    SQL,
    SRC,
)
from analytics.sample.leads import Leads


@dataclass
class Journey:
    """Each lead's path through the funnel as epoch seconds (NaN = never), before the export
    cut-off is applied: the tables keep only what happened before `end`."""

    score: np.ndarray
    mql1: np.ndarray
    follow1: np.ndarray     # first follow-up activity after the first hand-off
    decided1: np.ndarray    # accept / reject time of the first hand-off
    verdict1: np.ndarray    # 0 none, 1 accepted, 2 rejected
    reason1: np.ndarray
    exit1: np.ndarray       # RECYCLED / DISQUALIFIED after a rejection, NONE otherwise
    mql2: np.ndarray        # a recycled lead coming back
    follow2: np.ndarray
    decided2: np.ndarray
    verdict2: np.ndarray
    reason2: np.ndarray
    exit2: np.ndarray
    sal: np.ndarray
    sql: np.ndarray
    opp: np.ndarray
    close: np.ndarray
    won: np.ndarray         # bool, meaningful where close is set
    product: np.ndarray     # product, competitor (NONE: none named), amount: where opp is set
    competitor: np.ndarray
    amount: np.ndarray
    dropped: np.ndarray     # recycled / disqualified after sal or sql
    dropped_stage: np.ndarray
    work_start: np.ndarray  # when sales starts working the lead (sal, sql or opportunity)
    slow: np.ndarray        # first follow-up later than 24 h
    outbound_entry: np.ndarray  # first stage of an outbound lead that progressed


def build_journey(leads: Leads, seed: int) -> Journey:
    rng = stream(seed, "journey")
    n = len(leads)
    src, q = leads.source, leads.quality
    marketing = leads.marketing

    def p(trait: str) -> np.ndarray:  # the lead's source profile
        return SOURCE_PROFILE[src, SRC[trait]]

    # Hand-off (mql): engaged, good-quality marketing leads cross the score threshold.
    is_mql = marketing & chance(rng, logistic(-0.55 + p("mql") + 1.3 * q))
    hand_raiser = rng.random(n) < 0.2
    to_mql = np.where(hand_raiser, rng.uniform(10, 120, n) * MINUTE,
                      delay(rng, p("mql_days") * DAY, 1.1, n))
    mql1 = np.where(is_mql, leads.created + to_mql, np.nan)
    score = _scores(rng, q, is_mql, marketing)

    # Follow-up and verdict; a few handed-off leads are never worked.
    worked = is_mql & (rng.random(n) > 0.04)
    acceptance = -0.2 + p("accept") + 1.4 * q  # log-odds, before the follow-up speed
    follow1, decided1, accepted1, slow = _follow_up(rng, leads, mql1, worked, acceptance)
    verdict1 = np.where(worked, np.where(accepted1, 1, 2), 0)
    reason1, exit1 = _rejection(rng, leads, verdict1 == 2)
    skip_sal = (verdict1 == 1) & (rng.random(n) < 0.15)

    # About a third of recycled leads come back as mql and get a second verdict.
    back = (exit1 == RECYCLED) & (rng.random(n) < 0.35)
    mql2 = np.where(back, decided1 + delay(rng, 50 * DAY, 0.5, n), np.nan)
    follow2, decided2, accepted2, _ = _follow_up(rng, leads, mql2, back, acceptance + 0.8)
    verdict2 = np.where(back, np.where(accepted2, 1, 2), 0)
    reason2, exit2 = _rejection(rng, leads, verdict2 == 2)

    # Outbound: SDRs book some prospects straight into sal, sql or opportunity.
    progressed = ~marketing & chance(rng, logistic(-1.3 + 1.0 * q))
    entry = np.where(progressed, pick(rng, [0.5, 0.4, 0.1], n) + SAL, NONE)
    entered = leads.created + delay(rng, 6 * DAY, 0.8, n)

    accepted_at = np.where(verdict1 == 1, decided1, np.where(verdict2 == 1, decided2, np.nan))
    sal = np.where(~np.isnan(accepted_at) & ~skip_sal, accepted_at,
                   np.where(entry == SAL, entered, np.nan))
    sql_direct = np.where(skip_sal, decided1, np.where(entry == SQL, entered, np.nan))

    # sal -> sql -> opportunity -> won / lost.
    qualifies = chance(rng, logistic(0.0 + p("sql") + 1.2 * q - 0.3 * slow))
    sql = np.where(~np.isnan(sal) & qualifies, sal + delay(rng, 4 * DAY, 0.8, n), sql_direct)
    converts = chance(rng, logistic(0.1 + 0.5 * p("sql") + 0.6 * q))
    opp = np.where(~np.isnan(sql) & converts, sql + delay(rng, 10 * DAY, 0.5, n, DAY),
                   np.where(entry == OPP, entered, np.nan))
    product, competitor, amount, close, won = _close(rng, leads, opp, q)

    dropped, dropped_stage = _drop_outs(rng, sal, sql, opp, qualifies, converts)
    work_start = np.fmin(np.fmin(sal, sql), opp)

    times = dict(mql1=mql1, follow1=follow1, decided1=decided1, mql2=mql2, follow2=follow2,
                 decided2=decided2, sal=sal, sql=sql, opp=opp, close=close, dropped=dropped,
                 work_start=work_start, outbound_entry=np.where(progressed, entered, np.nan))
    return Journey(
        score=score, verdict1=verdict1, reason1=reason1, exit1=exit1, verdict2=verdict2,
        reason2=reason2, exit2=exit2, won=won, product=product, competitor=competitor,
        amount=amount, dropped_stage=dropped_stage, slow=slow,
        **{name: to_minute(t) for name, t in times.items()},
    )


def _scores(rng, q: np.ndarray, is_mql: np.ndarray, marketing: np.ndarray) -> np.ndarray:
    """Current score: a noisy reading of quality, higher for leads that reached the hand-off."""
    n = len(q)
    handed = 60 + 11 * q + rng.normal(0, 7, n)
    nurtured = 30 + 9 * q + rng.normal(0, 8, n)
    fit = 50 + 10 * q + rng.normal(0, 10, n)  # outbound: a firmographic fit score
    raw = np.where(is_mql, np.maximum(handed, 35), np.where(marketing, nurtured, fit))
    return np.clip(np.round(raw), 0, 100)


def _follow_up(rng, leads: Leads, handed: np.ndarray, worked: np.ndarray, acceptance: np.ndarray):
    """First follow-up (rep-dependent delay), then the verdict; slow follow-up costs acceptance."""
    n = len(leads)
    follow_delay = delay(rng, np.maximum(REP_FOLLOW_H[leads.owner], 0.5) * HOUR, 0.9, n, 5 * MINUTE)
    follow = np.where(worked, handed + follow_delay, np.nan)
    slow = worked & (follow_delay > 24 * HOUR)
    accepted = chance(rng, logistic(acceptance - 0.4 * slow))
    decide = np.where(accepted, 3 * HOUR, 8 * HOUR) * np.maximum(REP_DECIDE[leads.owner], 0.5)
    decided = np.where(worked, follow + delay(rng, decide, 1.1, n), np.nan)
    return follow, decided, accepted, slow


def _rejection(rng, leads: Leads, rejected: np.ndarray):
    """Reason (depends on source; individuals are often not decision makers) and the exit."""
    reason = pick(rng, SOURCE_REJECT_SHARE, group=leads.source)
    reason = np.where((leads.job == 4) & (rng.random(len(leads)) < 0.3), 1, reason)
    exit_stage = np.where(REJECT_DISQUALIFIES[reason], DISQUALIFIED, RECYCLED)
    return np.where(rejected, reason, NONE), np.where(rejected, exit_stage, NONE)


def _close(rng, leads: Leads, opp: np.ndarray, q: np.ndarray):
    """Product, competitor, close time (product- and size-dependent cycle, some stall), outcome."""
    n = len(leads)
    product = pick(rng, PRODUCT_BY_SIZE, group=leads.size)
    competitor = pick(rng, COMPETITOR_SHARE, n) - 1  # NONE: no competitor named
    cycle = 38 * DAY * PRODUCT_CYCLE[product] * SIZE_CYCLE[leads.size]
    stall = np.where(rng.random(n) < 0.07, rng.uniform(3, 6, n), 1.0)
    close = np.where(np.isnan(opp), np.nan, opp + delay(rng, cycle, 0.45, n, DAY) * stall)
    win = (-1.6 + SOURCE_PROFILE[leads.source, SRC["win"]] + INDUSTRY_WIN[leads.industry]
           + SIZE_WIN[leads.size] + PRODUCT_WIN[product] + COMPETITOR_WIN[competitor + 1]
           + REP_WIN[leads.owner] + 0.5 * q)
    amount = (PRODUCT_AMOUNT[product] * SIZE_DEAL[leads.size] * SOURCE_PROFILE[leads.source, SRC["deal"]]
              * rng.lognormal(0.0, 0.45, n))
    return product, competitor, np.round(amount, -2), close, chance(rng, logistic(win))


def _drop_outs(rng, sal, sql, opp, qualifies, converts):
    """Leads that stop after sal or sql: recycled, disqualified, or left to stall."""
    n = len(sal)
    stuck_sal = ~np.isnan(sal) & ~qualifies & np.isnan(sql)
    stuck_sql = ~np.isnan(sql) & ~converts & np.isnan(opp)
    since = np.where(stuck_sal, sal, np.where(stuck_sql, sql, np.nan))
    wait = np.where(stuck_sal, 8 * DAY, 14 * DAY)
    outcome = pick(rng, [0.45, 0.35, 0.20], n)  # recycled, disqualified, stalls
    leaves = ~np.isnan(since) & (outcome < 2)
    dropped = np.where(leaves, since + delay(rng, wait, 0.8, n), np.nan)
    return dropped, np.where(leaves, np.where(outcome == 0, RECYCLED, DISQUALIFIED), NONE)
