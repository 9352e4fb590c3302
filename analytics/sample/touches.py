"""The sample's marketing touches: before, at and after the hand-off, each on a content item and the
campaign running at the time."""
from __future__ import annotations

import numpy as np
import polars as pl

from analytics.sample.common import (
    DAY,
    HOUR,
    MINUTE,
    NONE,
    event_rows,
    frame,
    labels,
    make_ids,
    pick,
    ref,
    spread,
    stream,
    timestamps,
    to_minute,
)
from analytics.sample.company import (
    AD_CLICK,
    CHANNELS,
    CONTENT,
    CONTENT_STAGES,
    DEAL,
    DOWNLOAD,
    DOWNLOADED,
    EARLY,
    EMAIL,
    EMAIL_CLICK,
    EVENT_CH,
    EVENT_VISIT,
    EVENTS,
    HANDOFF,
    NEWSLETTER,
    NURTURE,
    ORGANIC_SOCIAL,
    PAGE_VIEW,
    PAID,
    PHASE_STAGE_WEIGHT,
    SEARCH_ADS,
    SOCIAL,
    SOCIAL_ADS,
    SOCIAL_CLICK,
    TOUCH_TYPES,
    WEB,
    WEBINAR_ATTEND,
    WEBINAR_CH,
    WEBINARS,
    WINNING_CONTENT,
    WON_DEAL,
)
from analytics.sample.dimensions import Campaigns
from analytics.sample.journey import Journey
from analytics.sample.leads import Leads


def touches_table(leads: Leads, j: Journey, campaigns: Campaigns, ids: dict, cutoff: float,
                  seed: int) -> pl.DataFrame:
    """Grain: one row per marketing interaction: the capture touch, nurture before the
    hand-off, the touch that triggered it, and content sent while an opportunity is open."""
    rng = stream(seed, "touches")
    n = len(leads)
    batches = []
    mkt = np.flatnonzero(leads.marketing)

    # The capture itself, on the lead's own campaign (outbound leads have none).
    capture_kind = np.array([WEB, PAID, PAID, WEBINAR_CH, EVENT_CH, NONE])[leads.source[mkt]]
    batches.append(_touch_batch(rng, leads, campaigns, mkt, leads.created[mkt], capture_kind,
                                EARLY, until=leads.created[mkt], campaign=leads.campaign[mkt]))
    # Nurture: more for engaged leads, up to the hand-off (or three months).
    handed = ~np.isnan(j.mql1)
    until = np.where(handed, j.mql1, leads.created + np.where(leads.marketing, 90, 60) * DAY)
    rate = np.where(leads.marketing, 0.8 + 2.5 * handed + 0.4 * np.maximum(leads.quality, 0), 0.7)
    who, when = spread(rng, np.arange(n), rng.poisson(rate), leads.created, until - leads.created)
    kind = pick(rng, [0.33, 0.40, 0.08, 0.07, 0.07, 0.05], len(who))
    batches.append(_touch_batch(rng, leads, campaigns, who, when, kind, EARLY, until[who] + 14 * DAY))
    # The conversion touch just before each hand-off (pricing page, demo video, ...).
    for mql, after in ((j.mql1, leads.created), (j.mql2, j.decided1)):
        who = np.flatnonzero(~np.isnan(mql) & (rng.random(n) < 0.85))
        when = np.maximum(after[who], mql[who] - rng.uniform(0, 90, len(who)) * MINUTE)
        kind = np.where(rng.random(len(who)) < 0.8, WEB, EMAIL)
        batches.append(_touch_batch(rng, leads, campaigns, who, when, kind, HANDOFF, mql[who]))
    # Bottom-of-funnel content while the opportunity is open; won deals see more of it.
    deal = np.flatnonzero(~np.isnan(j.opp))
    won = j.won[deal]
    who, when = spread(rng, deal, rng.poisson(1.2 + 1.8 * won), j.opp[deal], (j.close - j.opp)[deal])
    kind = pick(rng, [0.40, 0.55, 0.0, 0.0, 0.03, 0.02], len(who))
    phase = np.where(j.won[who], WON_DEAL, DEAL)
    batches.append(_touch_batch(rng, leads, campaigns, who, when, kind, phase, j.close[who]))

    columns = ("lead", "t", "channel", "campaign", "content", "type")
    lead, t, (channel, campaign, content, kind) = event_rows(
        *([b[c] for b in batches] for c in columns), cutoff=cutoff)
    return frame(
        touch_id=make_ids("T", len(lead), max(6, len(str(len(lead))))),
        lead_id=ids["lead"].gather(lead),
        occurred_at=timestamps(t),
        channel=labels(CHANNELS, channel),
        campaign_id=ref(ids["campaign"], campaign),
        content_id=ref(ids["content"], content),
        touch_type=labels(TOUCH_TYPES, kind),
    )


def _content_weights() -> np.ndarray:
    """Rows: early, hand-off, deal, won deal; columns: content items (webinars only via
    webinar touches)."""
    stage = np.array([CONTENT_STAGES.index(c[2]) for c in CONTENT])
    popularity = np.array([c[3] for c in CONTENT]) * np.array([c[1] != "webinar" for c in CONTENT])
    weights = PHASE_STAGE_WEIGHT[:, stage] * popularity
    winning = np.array([c[0] in WINNING_CONTENT for c in CONTENT])
    return np.vstack([weights, weights[DEAL] * np.where(winning, 3.0, 1.0)])


def _touch_batch(rng, leads: Leads, campaigns: Campaigns, who, when, kind, phase, until,
                 campaign=None) -> dict[str, np.ndarray]:
    """Channel, campaign, content and touch type for candidate touches. Webinar and event
    touches move to the next broadcast / event (becoming emails when there is none in time);
    `campaign` fixes the campaign (capture touches)."""
    m = len(who)
    kind = np.asarray(kind).copy()
    phase = np.broadcast_to(np.asarray(phase), (m,))
    t = np.asarray(when, float).copy()
    fixed = np.full(m, NONE) if campaign is None else np.asarray(campaign)
    chosen = fixed.copy()
    for channel, family in ((WEBINAR_CH, WEBINARS), (EVENT_CH, EVENTS)):
        moves = (kind == channel) & (fixed < 0)
        nxt = campaigns.next_moment(family, t)
        on_time = moves & (nxt >= 0)
        moment = np.where(on_time, campaigns.moment[np.maximum(nxt, 0)], np.nan)
        on_time &= moment < until
        chosen = np.where(on_time, nxt, chosen)
        kind = np.where(moves & ~on_time, EMAIL, kind)
        if channel == WEBINAR_CH:
            at = moment + rng.uniform(0, 55, m) * MINUTE
        else:
            length = np.maximum(campaigns.days[np.maximum(nxt, 0)], 1)
            at = moment + rng.integers(0, length) * DAY + rng.uniform(9, 17, m) * HOUR
        t = np.where(on_time, at, t)

    content = pick(rng, _content_weights(), group=phase)
    is_webinar = (kind == WEBINAR_CH) & (chosen >= 0)
    content = np.where(is_webinar, campaigns.content[np.maximum(chosen, 0)], content)
    content = np.where((kind == EVENT_CH)
                       | ((kind == PAID) & (rng.random(m) < 0.6))
                       | ((kind == SOCIAL) & (rng.random(m) < 0.4))
                       | ((kind == EMAIL) & (rng.random(m) < 0.08)), NONE, content)
    downloaded = np.array([c[1] in DOWNLOADED for c in CONTENT])[np.maximum(content, 0)]
    touch_type = np.select(
        [kind == WEB, kind == EMAIL, kind == PAID, kind == WEBINAR_CH, kind == EVENT_CH],
        [np.where(downloaded & (content >= 0), DOWNLOAD, PAGE_VIEW), EMAIL_CLICK, AD_CLICK,
         WEBINAR_ATTEND, EVENT_VISIT], SOCIAL_CLICK)

    ads = np.where(rng.random(m) < 0.5, campaigns.running(SEARCH_ADS, t), campaigns.running(SOCIAL_ADS, t))
    mail = np.where(rng.random(m) < 0.7, campaigns.members(NURTURE)[0], campaigns.members(NEWSLETTER)[0])
    mail = np.where((phase >= DEAL) & (rng.random(m) < 0.5), NONE, mail)
    social = campaigns.members(ORGANIC_SOCIAL)[0]
    derived = np.select([kind == PAID, kind == EMAIL, kind == SOCIAL], [ads, mail, social], NONE)
    chosen = np.where(chosen >= 0, chosen, np.where(kind == WEB, NONE, derived))
    return {"lead": np.asarray(who), "t": to_minute(t), "channel": kind, "campaign": chosen,
            "content": content, "type": touch_type}
