"""The sample's leads: how many each source brings and when (growth, seasonality, webinars and events),
their companies, job levels, regions and owners, and the leads table."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from analytics.sample.common import (
    DAY,
    HOUR,
    MINUTE,
    NONE,
    Period,
    clock,
    frame,
    labels,
    pick,
    ref,
    stream,
    timestamps,
    to_minute,
)
from analytics.sample.company import (
    COUNTRIES,
    EVENT,
    EVENTS,
    INDUSTRIES,
    INDUSTRY_SHARE,
    JOB_LEVELS,
    JOB_QUALITY,
    ORGANIC,
    OUTBOUND,
    OWNER_BY_REGION,
    PAID_SEARCH,
    PAID_SOCIAL,
    REGION_SHARE,
    REGIONS,
    SDR_BY_REGION,
    SEARCH_ADS,
    SIZE_QUALITY,
    SIZE_SHARE,
    SIZES,
    SOCIAL_ADS,
    SOURCE_JOB_SHARE,
    SOURCE_PROFILE,
    SOURCE_SIZE_PULL,
    SOURCES,
    SRC,
    WEBINAR,
    WEBINARS,
)
from analytics.sample.dimensions import Campaigns
from analytics.sample.names import people


@dataclass
class Leads:
    """One entry per lead, in created_at order (integer codes index the label tuples)."""

    created: np.ndarray
    source: np.ndarray
    campaign: np.ndarray
    account: np.ndarray
    industry: np.ndarray
    size: np.ndarray
    region: np.ndarray
    country: np.ndarray
    job: np.ndarray
    owner: np.ndarray
    sdr: np.ndarray
    quality: np.ndarray   # hidden lead quality; drives score and every conversion
    shown_industry: np.ndarray  # industry as exported (a few enrichment gaps)
    shown_country: np.ndarray

    def __len__(self) -> int:
        return len(self.created)

    @property
    def marketing(self) -> np.ndarray:
        return self.source != OUTBOUND


def build_leads(n: int, period: Period, campaigns: Campaigns, seed: int) -> Leads:
    rng = stream(seed, "leads")
    counts = _source_counts(n, campaigns)
    parts = [_capture_times(rng, s, counts[s], period, campaigns) for s in range(len(SOURCES))]
    created = np.concatenate([p[0] for p in parts])
    campaign = np.concatenate([p[1] for p in parts])
    source = np.repeat(np.arange(len(SOURCES)), counts)
    order = np.lexsort((source, created))  # ids follow creation time
    created, campaign, source = created[order], campaign[order], source[order]

    accounts = _accounts(rng, max(1, int(n * 0.6)))
    account = np.empty(n, dtype=np.int64)
    for s in range(len(SOURCES)):  # six draws, one per source
        rows = np.flatnonzero(source == s)
        weight = accounts["weight"] * SOURCE_SIZE_PULL[s, accounts["size"]]
        account[rows] = rng.choice(len(weight), size=len(rows), p=weight / weight.sum())
    industry, size, region, country = (accounts[k][account] for k in ("industry", "size", "region", "country"))
    job = pick(rng, SOURCE_JOB_SHARE, group=source)
    quality = (SOURCE_PROFILE[source, SRC["quality"]] + JOB_QUALITY[job] + SIZE_QUALITY[size]
               + rng.standard_normal(n))
    gaps = rng.random(n)
    return Leads(
        created=created, source=source, campaign=campaign, account=account, industry=industry,
        size=size, region=region, country=country, job=job, owner=accounts["owner"][account],
        sdr=pick(rng, SDR_BY_REGION, group=region), quality=quality,
        shown_industry=np.where((gaps < 0.02) & (source != OUTBOUND), NONE, industry),
        shown_country=np.where(gaps > 0.99, NONE, country),
    )


def _source_counts(n: int, campaigns: Campaigns) -> np.ndarray:
    share = SOURCE_PROFILE[:, SRC["share"]].copy()
    for source, family in ((WEBINAR, WEBINARS), (EVENT, EVENTS)):
        if len(campaigns.members(family)) == 0:  # a period too short for webinars or events
            share[ORGANIC] += share[source]
            share[source] = 0.0
    counts = np.floor(share / share.sum() * n).astype(np.int64)
    counts[ORGANIC] += n - counts.sum()
    return counts


def _capture_times(rng, source: int, n: int, period: Period, campaigns: Campaigns):
    """(created_at seconds, campaign index) for the n leads of one source."""
    if source in (WEBINAR, EVENT):
        return _event_capture(rng, source, n, period, campaigns)
    days = period.days
    progress = np.linspace(0.0, 1.0, len(days))
    month = days.astype("datetime64[M]").astype(np.int64) % 12
    weekday = (days.astype(np.int64) + 3) % 7  # 1970-01-01 was a Thursday
    seasonal = np.array([0.95, 1.0, 1.1, 1.0, 1.0, 0.95, 0.85, 0.75, 1.1, 1.15, 1.05, 0.75])
    weekend = np.array([1.0, 1.0, 1.0, 1.0, 0.95, 0.25, 0.2]) if source != OUTBOUND else \
        np.array([1.0, 1.0, 1.0, 1.0, 0.9, 0.0, 0.0])
    ramp = np.minimum(1.0, 0.55 + progress * 6)  # the CRM roll-out in the first weeks
    weight = ramp * (1 + SOURCE_PROFILE[source, SRC["growth"]] * progress) * seasonal[month] * weekend[weekday]
    day = rng.choice(len(days), size=n, p=weight / weight.sum())
    business = 0.97 if source == OUTBOUND else 0.8
    created = period.t0 + day * DAY + clock(rng, n, business)
    created = to_minute(np.minimum(created, period.t1 - MINUTE))
    campaign = np.full(n, NONE)
    if source == PAID_SEARCH:
        campaign = campaigns.running(SEARCH_ADS, created)
    elif source == PAID_SOCIAL:
        campaign = campaigns.running(SOCIAL_ADS, created)
    return created, campaign


def _event_capture(rng, source: int, n: int, period: Period, campaigns: Campaigns):
    """Webinar attendees (live or on demand) and trade-show badge scans."""
    family = WEBINARS if source == WEBINAR else EVENTS
    members = campaigns.members(family)
    if n == 0 or len(members) == 0:
        return np.zeros(0), np.zeros(0, dtype=np.int64)
    if source == WEBINAR:
        weight = 1 + 0.6 * period.progress(campaigns.moment[members])
    else:
        weight = campaigns.table["cost"].to_numpy()[members].astype(float) + 1.0
    campaign = members[rng.choice(len(members), size=n, p=weight / weight.sum())]
    moment = campaigns.moment[campaign]
    if source == WEBINAR:
        live = rng.random(n) < 0.7
        later = rng.uniform(1, 14, n).astype(np.int64) * DAY + clock(rng, n) - 15 * HOUR
        created = moment + np.where(live, rng.uniform(0, 3600, n), later)
    else:
        on_site = rng.integers(0, np.maximum(campaigns.days[campaign], 1)) * DAY
        scan_import = np.where(rng.random(n) < 0.3, rng.integers(1, 4, n) * DAY, 0.0)
        created = moment + on_site + scan_import + np.clip(rng.normal(13, 2.5, n), 8, 19) * HOUR
    room = period.t1 - MINUTE - moment  # squeeze late captures into the period
    created = np.where(created >= period.t1 - MINUTE, moment + rng.random(n) * room, created)
    return to_minute(created), campaign


def _accounts(rng, n: int) -> dict[str, np.ndarray]:
    """Companies: firmographics, an owning AE by region, and how many leads they tend to bring."""
    size = pick(rng, SIZE_SHARE, n)
    region = pick(rng, REGION_SHARE, n)
    in_region = np.zeros((len(REGIONS), len(COUNTRIES)))
    for k, (_, r, w) in enumerate(COUNTRIES):
        in_region[r, k] = w
    return {
        "industry": pick(rng, INDUSTRY_SHARE, n),
        "size": size,
        "region": region,
        "country": pick(rng, in_region, group=region),
        "owner": pick(rng, OWNER_BY_REGION, group=region),
        "weight": rng.lognormal(0.0, 0.9, n) * np.array([0.6, 1.0, 1.6, 2.5])[size],
    }


def leads_table(leads: Leads, lead_ids: pl.Series, account_ids: pl.Series, campaign_ids: pl.Series,
                rep_ids: pl.Series, score: np.ndarray, seed: int = 7) -> pl.DataFrame:
    return frame(
        lead_id=lead_ids,
        created_at=timestamps(leads.created),
        source=labels(SOURCES, leads.source),
        campaign_id=ref(campaign_ids, leads.campaign),
        account_id=account_ids.gather(leads.account),
        industry=labels(INDUSTRIES, leads.shown_industry),
        company_size=labels(SIZES, leads.size),
        region=labels(REGIONS, leads.region),
        country=labels([c[0] for c in COUNTRIES], leads.shown_country),
        owner_id=rep_ids.gather(leads.owner),
        sdr_id=rep_ids.gather(leads.sdr),
        score=pl.Series(score.astype(np.int64)),
        job_level=labels(JOB_LEVELS, leads.job),
        **people(leads.account, len(account_ids), seed),
    )
