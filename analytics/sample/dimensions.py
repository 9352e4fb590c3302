"""The sample's dimension tables: reps, content, and the campaigns with the schedule arrays that
leads and touches look campaigns up in."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import polars as pl

from analytics.sample.common import HOUR, NONE, Period, epoch_seconds, make_ids, stream
from analytics.sample.company import (
    CONTENT,
    EVENT_PLAN,
    EVENTS,
    NEWSLETTER,
    NURTURE,
    ORGANIC_SOCIAL,
    REPS,
    SEARCH_ADS,
    SOCIAL_ADS,
    WEBINAR_TITLES,
    WEBINARS,
)


def reps_table() -> pl.DataFrame:
    rows = [r[:6] for r in REPS]
    table = pl.DataFrame(rows, schema=["rep_id", "name", "role", "team", "region", "manager_id"],
                         orient="row")
    return table.with_columns(pl.col("manager_id").replace("", None))


def content_table() -> pl.DataFrame:
    return pl.DataFrame({
        "content_id": make_ids("K", len(CONTENT), 2),
        "title": [c[0] for c in CONTENT],
        "content_type": [c[1] for c in CONTENT],
        "funnel_stage": [c[2] for c in CONTENT],
    })


@dataclass
class Campaigns:
    """The campaign table plus the schedule arrays the generator looks campaigns up in."""

    table: pl.DataFrame
    family: np.ndarray
    starts: np.ndarray   # first second the campaign runs
    moment: np.ndarray   # webinar broadcast / event opening, NaN for running campaigns
    days: np.ndarray     # event length in days
    content: np.ndarray  # the webinar's content item, NONE otherwise

    def members(self, family: int) -> np.ndarray:
        return np.flatnonzero(self.family == family)

    def running(self, family: int, t: np.ndarray) -> np.ndarray:
        """The campaign of a back-to-back family (ads by quarter) running at t."""
        members = self.members(family)
        k = np.searchsorted(self.starts[members], t, side="right") - 1
        return members[np.clip(k, 0, len(members) - 1)]

    def next_moment(self, family: int, t: np.ndarray) -> np.ndarray:
        """The first webinar / event at or after t, NONE when there is none."""
        members = self.members(family)
        if len(members) == 0:
            return np.full(len(t), NONE)
        k = np.searchsorted(self.moment[members], t, side="left")
        return np.where(k < len(members), members[np.minimum(k, len(members) - 1)], NONE)


def build_campaigns(period: Period, seed: int, scale: float) -> Campaigns:
    """~30 campaigns: quarterly Google and LinkedIn ads, bi-monthly webinars, trade shows, and
    zero-cost nurture, newsletter and organic social programmes. Cost scales with lead volume."""
    rng = stream(seed, "campaigns")
    rows = []  # (family, name, channel, start, end, moment, days, content, cost)

    def add(family, name, channel, start, end, moment=np.nan, days=0, content=NONE, cost=0.0):
        start, end = max(start, period.start), min(end, period.end)
        if start <= end:
            rows.append((family, name, channel, start, end, moment, days, content, cost))

    first_quarter = (period.start.year * 12 + period.start.month - 1) // 3
    last_quarter = (period.end.year * 12 + period.end.month - 1) // 3
    for q in range(first_quarter, last_quarter + 1):
        q_start = date(q // 4, q % 4 * 3 + 1, 1)
        q_end = date(q // 4 + (q % 4 == 3), (q % 4 * 3 + 3) % 12 + 1, 1) - timedelta(days=1)
        label = f"Q{q % 4 + 1} {q // 4}"
        begins = max(q_start, period.start)
        grown = float(period.progress(epoch_seconds(begins)))  # budgets grow over the period
        days = (min(q_end, period.end) - begins).days + 1
        add(SEARCH_ADS, f"Google Ads {label}", "Paid", q_start, q_end,
            cost=days * 380 * (1 + 0.5 * grown) * rng.uniform(0.9, 1.1))
        add(SOCIAL_ADS, f"LinkedIn Ads {label}", "Paid", q_start, q_end,
            cost=days * 300 * (1 + 1.0 * grown) * rng.uniform(0.9, 1.1))

    span = (period.end - period.start).days
    for i, day in enumerate(range(24, span - 3, 61)):
        broadcast = _weekday(period.start + timedelta(days=day), 3)  # a Thursday
        if broadcast >= period.end - timedelta(days=2):
            break
        title = WEBINAR_TITLES[i % len(WEBINAR_TITLES)]
        content = next(k for k, c in enumerate(CONTENT) if c[0] == title)
        add(WEBINARS, f"{title} ({broadcast:%b %Y})", "Webinar", broadcast - timedelta(days=21),
            broadcast + timedelta(days=14), moment=epoch_seconds(broadcast) + 15 * HOUR,
            content=content, cost=rng.uniform(2500, 6500))

    for name, position, days, cost in EVENT_PLAN:
        opening = _weekday(period.start + timedelta(days=int(position * span)), 1)  # a Tuesday
        if opening + timedelta(days=days) >= period.end:
            continue
        add(EVENTS, f"{name} {opening.year}", "Event", opening - timedelta(days=30),
            opening + timedelta(days=days + 14), moment=epoch_seconds(opening), days=days,
            cost=cost * rng.uniform(0.85, 1.15))

    add(NURTURE, "Always-on nurture", "Email", period.start, period.end)
    add(NEWSLETTER, "Monthly newsletter", "Email", period.start, period.end)
    add(ORGANIC_SOCIAL, "Organic social", "Social", period.start, period.end)

    rows.sort(key=lambda r: (r[3], r[1]))
    table = pl.DataFrame({
        "campaign_id": make_ids("C", len(rows), 2),
        "name": [r[1] for r in rows],
        "channel": [r[2] for r in rows],
        "start_date": [r[3] for r in rows],
        "end_date": [r[4] for r in rows],
        "cost": [int(round(r[8] * scale, -2)) for r in rows],
    })
    return Campaigns(
        table=table,
        family=np.array([r[0] for r in rows]),
        starts=np.array([epoch_seconds(r[3]) for r in rows]),
        moment=np.array([r[5] for r in rows], float),
        days=np.array([r[6] for r in rows]),
        content=np.array([r[7] for r in rows]),
    )


def _weekday(day: date, weekday: int) -> date:
    """The first date on or after `day` that falls on `weekday` (Monday = 0)."""
    return day + timedelta(days=(weekday - day.weekday()) % 7)
