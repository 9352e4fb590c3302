"""Sample export of Northwind Metrics, a fictional B2B SaaS company, in the canonical format.

Northwind Metrics sells a revenue-analytics platform in three editions (Core, Analytics,
Enterprise) to companies of every size in EMEA, North America, APAC and LATAM. Its CRM was set
up at the start of the exported period, so the first months ramp up; lead volume then grows by
about half, with summer and December dips.

Marketing captures leads through organic search, Google Ads, LinkedIn Ads (paid social), a
bi-monthly webinar series and a few trade shows; an outbound SDR team prospects larger accounts
(sales-created leads that skip mql and are never handed off). Marketing hands a lead to sales
(mql) when its score climbs past roughly 50; the owning account executive follows up, accepts it
(sal, sometimes straight to sql) or rejects it (recycled for nurture, or disqualified); about a
third of recycled leads come back as mql later. Qualified leads become opportunities that are
won or lost 3 to 13 weeks later; some stall and are still open at the export date.

The differences the dashboard is meant to surface are built in, so they show at 4,000 leads:
- Webinar and event leads are accepted far more often than paid-social leads (students and job
  seekers); organic search leads are often rejected for bad contact data.
- The score reflects a hidden lead quality that also drives acceptance, qualification and winning,
  so a sales-ready threshold can be found. Senior job levels and larger companies score higher.
- Two account executives (Emma Schulz, Hiro Tanaka) follow up slowly (median ~30 h) and breach the
  24 h SLA often; leads followed up late are accepted and qualified less often.
- Win rates differ by industry, company size, product, competitor and rep; deal sizes by product,
  company size and source (events and outbound bring the biggest deals).
- Case studies and the ROI calculator accompany won deals; the security pack and the Initech
  comparison are bottom-of-funnel content that sales rarely uses.
- Leads created in the last weeks are still early in the funnel (immature cohorts).

Everything is vectorised with numpy (no Python loop over leads) and each table draws from its own
seeded random stream, so a seed gives byte-identical CSV files. Every timestamp is UTC and before
`end` 00:00 (the moment of the export); campaign dates are clipped to the period, while targets
cover whole calendar months.

Usage: python -m analytics.sample OUT [--leads N] [--seed S] [--format csv|parquet]
"""
from __future__ import annotations

import argparse
import zlib
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import polars as pl

MINUTE, HOUR, DAY = 60.0, 3600.0, 86400.0
EPOCH = date(1970, 1, 1)
NONE = -1  # code for "no value" in the integer-coded arrays

# ---------------------------------------------------------------- the company, as parameters --

SOURCES = ("Organic Search", "Paid Search", "Paid Social", "Webinar", "Event", "Outbound")
ORGANIC, PAID_SEARCH, PAID_SOCIAL, WEBINAR, EVENT, OUTBOUND = range(6)
# One row per source. share: of all leads; growth: volume change over the period; quality: mean
# of the hidden lead quality; mql/accept/sql/win: log-odds shifts; deal: deal size multiplier;
# mql_days: median days from capture to hand-off.
SOURCE_COLUMNS = ("share", "growth", "quality", "mql", "accept", "sql", "win", "deal", "mql_days")
SOURCE_PROFILE = np.array([
    [0.26, 0.5, 0.0, 0.0, 0.5, 0.0, 0.0, 1.00, 9.0],    # Organic Search
    [0.18, 0.4, -0.1, 0.3, 0.1, -0.1, -0.1, 0.90, 4.0],  # Paid Search
    [0.21, 1.2, -0.6, 0.6, -1.1, -0.5, -0.9, 0.70, 3.0],  # Paid Social
    [0.11, 0.6, 0.4, 0.5, 1.8, 0.4, 0.2, 1.00, 1.5],    # Webinar
    [0.09, 0.3, 0.3, 0.7, 1.0, 0.3, 0.15, 1.35, 3.0],   # Event
    [0.15, 0.5, 0.2, 0.0, 0.0, 0.3, -0.2, 1.60, 0.0],   # Outbound
])
SRC = {name: i for i, name in enumerate(SOURCE_COLUMNS)}

INDUSTRIES = ("Software", "Finance", "Retail", "Healthcare", "Manufacturing", "Education",
              "Professional Services")
INDUSTRY_SHARE = np.array([0.24, 0.16, 0.14, 0.13, 0.15, 0.09, 0.09])
INDUSTRY_WIN = np.array([0.5, 0.2, -0.5, -0.1, 0.0, -0.7, 0.1])

SIZES = ("1-50", "51-200", "201-1000", "1000+")
SIZE_SHARE = np.array([0.34, 0.32, 0.22, 0.12])
SIZE_QUALITY = np.array([-0.2, 0.0, 0.15, 0.25])
SIZE_WIN = np.array([0.1, 0.1, 0.0, -0.3])
SIZE_DEAL = np.array([0.7, 0.9, 1.15, 1.5])
SIZE_CYCLE = np.array([0.8, 0.95, 1.1, 1.4])
# How strongly each source draws from each company size (outbound targets larger accounts).
SOURCE_SIZE_PULL = np.array([
    [1.0, 1.0, 1.0, 1.0],
    [1.1, 1.0, 0.9, 0.8],
    [1.6, 1.1, 0.7, 0.5],
    [0.8, 1.0, 1.2, 1.3],
    [0.6, 1.0, 1.3, 1.6],
    [0.1, 0.6, 2.0, 3.0],
])

REGIONS = ("EMEA", "NA", "APAC", "LATAM")
REGION_SHARE = np.array([0.36, 0.40, 0.15, 0.09])
COUNTRIES = (  # (country, region, weight within the region)
    ("United Kingdom", 0, 0.28), ("Germany", 0, 0.24), ("France", 0, 0.16), ("Netherlands", 0, 0.12),
    ("Spain", 0, 0.10), ("Sweden", 0, 0.10),
    ("United States", 1, 0.86), ("Canada", 1, 0.14),
    ("Australia", 2, 0.35), ("Singapore", 2, 0.20), ("Japan", 2, 0.20), ("India", 2, 0.25),
    ("Brazil", 3, 0.45), ("Mexico", 3, 0.30), ("Chile", 3, 0.12), ("Colombia", 3, 0.13),
)

JOB_LEVELS = ("C-level", "VP", "Director", "Manager", "Individual")
JOB_QUALITY = np.array([0.35, 0.4, 0.25, 0.0, -0.45])
SOURCE_JOB_SHARE = np.array([
    [0.05, 0.10, 0.20, 0.33, 0.32],
    [0.06, 0.12, 0.22, 0.34, 0.26],
    [0.04, 0.07, 0.15, 0.30, 0.44],
    [0.07, 0.15, 0.28, 0.32, 0.18],
    [0.10, 0.18, 0.27, 0.30, 0.15],
    [0.18, 0.27, 0.30, 0.20, 0.05],
])

# Reps. AEs own accounts by region; SDRs qualify by region. follow_h: median hours from hand-off
# to the first follow-up; decide: multiplier on the time to accept/reject; win: log-odds shift.
REPS = (  # rep_id, name, role, team, region, manager_id, follow_h, decide, win
    ("M01", "Olivia Grant", "Manager", "Sales", "Global", "", 0, 0, 0.0),
    ("M02", "Priya Raman", "Marketing", "Marketing", "Global", "", 0, 0, 0.0),
    ("R01", "Ana Costa", "AE", "Sales EMEA", "EMEA", "M01", 2.5, 0.8, 0.3),
    ("R02", "Ben Okafor", "AE", "Sales NA", "NA", "M01", 3.0, 1.0, 0.2),
    ("R03", "Chloé Martin", "AE", "Sales EMEA", "EMEA", "M01", 4.0, 1.0, 0.0),
    ("R04", "Diego Fernández", "AE", "Sales NA", "LATAM", "M01", 9.0, 1.5, -0.1),
    ("R05", "Emma Schulz", "AE", "Sales EMEA", "EMEA", "M01", 30.0, 3.0, -0.3),
    ("R06", "Farid Haddad", "AE", "Sales NA", "NA", "M01", 5.0, 1.2, 0.1),
    ("R07", "Grace Kim", "AE", "Sales APAC", "APAC", "M01", 3.5, 1.0, 0.2),
    ("R08", "Hiro Tanaka", "AE", "Sales APAC", "APAC", "M01", 28.0, 2.5, -0.2),
    ("S01", "Isla Murray", "SDR", "SDR", "EMEA", "M02", 0, 0, 0.0),
    ("S02", "Jonas Weber", "SDR", "SDR", "EMEA", "M02", 0, 0, 0.0),
    ("S03", "Kayla Brooks", "SDR", "SDR", "NA", "M02", 0, 0, 0.0),
    ("S04", "Lucas Pereira", "SDR", "SDR", "APAC", "M02", 0, 0, 0.0),
)
REP_FOLLOW_H = np.array([r[6] for r in REPS], float)
REP_DECIDE = np.array([r[7] for r in REPS], float)
REP_WIN = np.array([r[8] for r in REPS], float)
# Which rep owns (AE) / qualifies (SDR) a lead of each region: one row per region.
OWNER_BY_REGION = np.zeros((4, len(REPS)))
OWNER_BY_REGION[0, [2, 4, 6]] = [0.4, 0.3, 0.3]
OWNER_BY_REGION[1, [3, 7]] = [0.5, 0.5]
OWNER_BY_REGION[2, [8, 9]] = [0.55, 0.45]
OWNER_BY_REGION[3, 5] = 1.0
SDR_BY_REGION = np.zeros((4, len(REPS)))
SDR_BY_REGION[0, [10, 11]] = [0.5, 0.5]
SDR_BY_REGION[1, 12] = 1.0
SDR_BY_REGION[2, 13] = 1.0
SDR_BY_REGION[3, [12, 13]] = [0.6, 0.4]

REJECT_REASONS = ("No budget", "Not decision maker", "Student / job seeker", "Bad contact data",
                  "Already a customer", "Too small", "Wrong region", "No active project")
# Rejections for these reasons end disqualified; the others are recycled for nurture.
REJECT_DISQUALIFIES = np.array([False, False, True, True, True, False, True, False])
SOURCE_REJECT_SHARE = np.array([
    [0.12, 0.12, 0.16, 0.32, 0.08, 0.10, 0.04, 0.06],
    [0.20, 0.16, 0.12, 0.14, 0.08, 0.14, 0.06, 0.10],
    [0.07, 0.17, 0.44, 0.10, 0.02, 0.14, 0.03, 0.03],
    [0.28, 0.22, 0.04, 0.04, 0.10, 0.10, 0.04, 0.18],
    [0.22, 0.24, 0.06, 0.10, 0.12, 0.12, 0.06, 0.08],
    [0.20, 0.20, 0.05, 0.15, 0.15, 0.10, 0.05, 0.10],  # not used: outbound is never handed off
])
ACCEPT_REASONS = ("Clear project", "Budget confirmed", "Good fit", "Referred by customer")

PRODUCTS = ("Core", "Analytics", "Enterprise")
PRODUCT_BY_SIZE = np.array([[0.80, 0.20, 0.00], [0.55, 0.38, 0.07], [0.30, 0.45, 0.25],
                            [0.10, 0.35, 0.55]])
PRODUCT_AMOUNT = np.array([9_000.0, 24_000.0, 70_000.0])
PRODUCT_WIN = np.array([0.2, 0.0, -0.3])
PRODUCT_CYCLE = np.array([0.8, 1.0, 1.5])
COMPETITORS = ("Acme", "Globex", "Initech")
COMPETITOR_SHARE = np.array([0.36, 0.30, 0.20, 0.14])  # none, Acme, Globex, Initech
COMPETITOR_WIN = np.array([0.3, 0.0, -0.6, 0.2])
LOSS_REASONS = ("Price", "Competitor", "No decision", "Timing", "Missing feature", "Lost champion")
LOSS_SHARE = np.array([[0.22, 0.00, 0.32, 0.22, 0.14, 0.10],    # no competitor named
                       [0.25, 0.35, 0.10, 0.10, 0.15, 0.05]])   # a competitor named
WIN_REASONS = ("Product fit", "Ease of use", "Integrations", "Price / value", "Relationship",
               "Fast setup", "Reporting depth")
WIN_SHARE = np.array([0.24, 0.14, 0.16, 0.12, 0.12, 0.10, 0.12])

# Content: (title, content_type, funnel_stage, popularity). Touch phases weight funnel stages
# differently (early nurture, the hand-off itself, the open opportunity).
CONTENT = (
    ("The Closed-Loop Marketing Playbook", "ebook", "top", 3.0),
    ("State of B2B Funnel Analytics 2026", "ebook", "top", 2.5),
    ("10 Metrics Your CMO Should Track", "ebook", "top", 2.0),
    ("Lead Scoring 101", "ebook", "top", 1.5),
    ("Guide to Sales and Marketing SLAs", "ebook", "top", 1.2),
    ("Funnel Health Checklist", "checklist", "top", 1.0),
    ("Attribution Models Explained", "blog", "top", 2.0),
    ("Why MQLs Fail", "blog", "top", 1.8),
    ("How We Cut Lead Response Time", "blog", "top", 1.2),
    ("Pipeline Coverage in Plain Words", "blog", "top", 1.0),
    ("Five Signs Your CRM Data Is Lying", "blog", "top", 1.0),
    ("Building a Lead Score That Sales Trusts", "blog", "top", 1.4),
    ("Benchmarks: Conversion Rates by Industry", "blog", "top", 1.6),
    ("Revenue Ops Glossary", "blog", "top", 0.6),
    ("Webinar: Attribution That Sales Trusts", "webinar", "middle", 1.0),
    ("Webinar: From MQL to Revenue", "webinar", "middle", 1.0),
    ("Webinar: Forecasting Without Spreadsheets", "webinar", "middle", 1.0),
    ("Webinar: The Weekly Pipeline Review", "webinar", "middle", 1.0),
    ("Webinar: Lead Scoring Clinic", "webinar", "middle", 1.0),
    ("Webinar: Closing the Loop with Finance", "webinar", "middle", 1.0),
    ("Product Tour (5 min)", "demo_video", "middle", 2.2),
    ("Dashboard Deep Dive", "demo_video", "middle", 1.2),
    ("Analytics Edition Overview", "solution_brief", "middle", 1.0),
    ("Enterprise Edition Overview", "solution_brief", "middle", 0.8),
    ("Integrations Catalogue", "solution_brief", "middle", 1.0),
    ("Pricing", "pricing_page", "bottom", 3.0),
    ("ROI Calculator", "roi_calculator", "bottom", 2.6),
    ("Case Study: Software Scale-up Doubles Win Rate", "case_study", "bottom", 2.0),
    ("Case Study: Regional Bank Aligns Sales and Marketing", "case_study", "bottom", 1.4),
    ("Case Study: Retailer Finds Its Best Channel", "case_study", "bottom", 0.9),
    ("Case Study: Hospital Group Shortens Cycle", "case_study", "bottom", 0.7),
    ("Case Study: Manufacturer Goes Account-Based", "case_study", "bottom", 1.0),
    ("Case Study: University Admissions Funnel", "case_study", "bottom", 0.4),
    ("Northwind vs Acme", "competitor_comparison", "bottom", 1.2),
    ("Northwind vs Globex", "competitor_comparison", "bottom", 0.8),
    ("Northwind vs Initech", "competitor_comparison", "bottom", 0.08),
    ("Implementation Guide", "implementation_guide", "bottom", 0.5),
    ("Security and Compliance Pack", "security_pack", "bottom", 0.1),
)
CONTENT_STAGES = ("top", "middle", "bottom")
EARLY, HANDOFF, DEAL, WON_DEAL = range(4)  # touch phases
PHASE_STAGE_WEIGHT = np.array([[1.0, 0.45, 0.05], [0.15, 1.0, 0.8], [0.03, 0.35, 1.0]])  # x top/middle/bottom
DOWNLOADED = {"ebook", "checklist", "case_study", "competitor_comparison", "solution_brief",
              "implementation_guide", "security_pack"}
# Bottom-of-funnel content that sales shares more often on deals that end up won.
WINNING_CONTENT = {"ROI Calculator", "Case Study: Software Scale-up Doubles Win Rate",
                   "Case Study: Regional Bank Aligns Sales and Marketing"}

CHANNELS = ("Web", "Email", "Paid", "Webinar", "Event", "Social")
WEB, EMAIL, PAID, WEBINAR_CH, EVENT_CH, SOCIAL = range(6)
TOUCH_TYPES = ("page_view", "download", "email_click", "ad_click", "webinar_attend", "event",
               "social_click")
PAGE_VIEW, DOWNLOAD, EMAIL_CLICK, AD_CLICK, WEBINAR_ATTEND, EVENT_VISIT, SOCIAL_CLICK = range(7)

# Campaign families (one schedule each).
SEARCH_ADS, SOCIAL_ADS, WEBINARS, EVENTS, NURTURE, NEWSLETTER, ORGANIC_SOCIAL = range(7)
EVENT_PLAN = (  # name, when in the period (0-1), days on site, cost
    ("Martech Summit London", 0.08, 2, 38_000),
    ("SaaStr Annual", 0.24, 3, 55_000),
    ("Revenue Ops Forum Singapore", 0.40, 2, 24_000),
    ("Web Summit Lisbon", 0.56, 4, 45_000),
    ("B2B Growth Forum Sao Paulo", 0.72, 2, 16_000),
    ("Gartner Marketing Symposium", 0.88, 3, 60_000),
)
WEBINAR_TITLES = tuple(c[0] for c in CONTENT if c[1] == "webinar")

STAGES = ("lead", "mql", "sal", "sql", "opportunity", "won", "lost", "recycled", "disqualified")
LEAD, MQL, SAL, SQL, OPP, WON, LOST, RECYCLED, DISQUALIFIED = range(9)
ACTIVITY_TYPES = ("call", "email", "meeting")
TARGET_METRICS = ("leads", "mqls", "sqls", "opportunities", "pipeline_amount", "won_amount")

TIMESTAMP_FORMAT = "%Y-%m-%d %H:%M:%S"


# ------------------------------------------------------------------------------- helpers --

@dataclass(frozen=True)
class Period:
    """The exported period: whole months from `start`, up to the export moment `end` 00:00."""

    start: date
    end: date

    @classmethod
    def ending(cls, end: date, months: int) -> Period:
        if months < 1:
            raise ValueError("months must be at least 1")
        last_day = end - timedelta(days=1)
        index = last_day.year * 12 + last_day.month - 1 - (months - 1)
        start = date(index // 12, index % 12 + 1, 1)
        if (end - start).days < 7:
            raise ValueError("the period must span at least a week")
        return cls(start, end)

    @property
    def t0(self) -> float:
        return _seconds(self.start)

    @property
    def t1(self) -> float:
        """The export moment: every timestamp is before it."""
        return _seconds(self.end)

    @property
    def days(self) -> np.ndarray:
        return np.arange(np.datetime64(self.start), np.datetime64(self.end))

    def progress(self, t: np.ndarray | float) -> np.ndarray:
        """Share of the period elapsed at t (0 at the start, 1 at the end)."""
        return np.clip((np.asarray(t) - self.t0) / (self.t1 - self.t0), 0.0, 1.0)


def _seconds(day: date) -> float:
    """Epoch seconds of a date's midnight (UTC)."""
    return (day - EPOCH).days * DAY


def _rng(seed: int, stream: str) -> np.random.Generator:
    """An independent random stream per table, so tables do not shift each other."""
    return np.random.default_rng([seed, zlib.crc32(stream.encode())])


def _pick(rng: np.random.Generator, probs, n: int | None = None, group=None) -> np.ndarray:
    """Draw category indices from `probs` (K,), or from row `group[i]` of `probs` (G, K)."""
    p = np.asarray(probs, float)
    if p.ndim == 1:
        return rng.choice(len(p), size=n, p=p / p.sum())
    group = np.asarray(group)
    cum = np.cumsum(p / p.sum(axis=1, keepdims=True), axis=1)
    cum[:, -1] = 1.0
    flat = (cum + np.arange(len(p))[:, None]).ravel()
    k = np.searchsorted(flat, group + rng.random(len(group)), side="right") - group * p.shape[1]
    return np.minimum(k, p.shape[1] - 1)


def _chance(rng: np.random.Generator, p) -> np.ndarray:
    p = np.asarray(p, float)
    return rng.random(p.shape) < p


def _logistic(x) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.asarray(x, float)))


def _delay(rng: np.random.Generator, median, sigma: float, n: int, floor: float = 10 * MINUTE):
    """Lognormal durations in seconds, at least `floor` so that stages stay strictly ordered."""
    return np.maximum(floor, np.asarray(median, float) * np.exp(sigma * rng.standard_normal(n)))


def _minute(t: np.ndarray) -> np.ndarray:
    return np.floor(t / MINUTE) * MINUTE


def _clock(rng: np.random.Generator, n: int, business: float = 0.85) -> np.ndarray:
    """Seconds into the day: mostly office hours, some any time."""
    office = np.clip(rng.normal(13.0, 2.8, n), 7.0, 20.5)
    anytime = rng.uniform(0.0, 23.99, n)
    return np.where(rng.random(n) < business, office, anytime) * HOUR


def _months(t: np.ndarray) -> np.ndarray:
    """Month number (year * 12 + month - 1) of epoch seconds."""
    return (t // DAY).astype("int64").astype("datetime64[D]").astype("datetime64[M]").astype("int64") + 1970 * 12


def _ids(prefix: str, n: int, width: int) -> pl.Series:
    numbers = pl.Series(np.arange(1, n + 1, dtype=np.int64)).cast(pl.String).str.zfill(width)
    return (prefix + numbers).alias("id")


def _labels(names, codes: np.ndarray) -> pl.Series:
    """Text from integer codes; NONE becomes null."""
    codes = np.asarray(codes)
    text = pl.Series(list(names), dtype=pl.String).gather(np.maximum(codes, 0))
    return pl.select(pl.when(pl.Series(codes < 0)).then(None).otherwise(text)).to_series()


def _ref(ids: pl.Series, index: np.ndarray) -> pl.Series:
    """Ids by row index into `ids`; NONE becomes null."""
    index = np.asarray(index)
    values = ids.gather(np.maximum(index, 0))
    return pl.select(pl.when(pl.Series(index < 0)).then(None).otherwise(values)).to_series()


def _timestamps(t: np.ndarray) -> pl.Series:
    """Epoch seconds (NaN for null) as a datetime column."""
    seconds = pl.Series(np.asarray(t, float), nan_to_null=True).cast(pl.Int64)
    return pl.from_epoch(seconds, time_unit="s")


def _frame(**columns) -> pl.DataFrame:
    return pl.DataFrame({name: (col.alias(name) if isinstance(col, pl.Series) else col)
                         for name, col in columns.items()})


# ---------------------------------------------------------------------------- dimensions --

def reps_table() -> pl.DataFrame:
    rows = [r[:6] for r in REPS]
    table = pl.DataFrame(rows, schema=["rep_id", "name", "role", "team", "region", "manager_id"],
                         orient="row")
    return table.with_columns(pl.col("manager_id").replace("", None))


def content_table() -> pl.DataFrame:
    return pl.DataFrame({
        "content_id": _ids("K", len(CONTENT), 2),
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
    rng = _rng(seed, "campaigns")
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
        grown = float(period.progress(_seconds(begins)))  # budgets grow over the period
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
            broadcast + timedelta(days=14), moment=_seconds(broadcast) + 15 * HOUR,
            content=content, cost=rng.uniform(2500, 6500))

    for name, position, days, cost in EVENT_PLAN:
        opening = _weekday(period.start + timedelta(days=int(position * span)), 1)  # a Tuesday
        if opening + timedelta(days=days) >= period.end:
            continue
        add(EVENTS, f"{name} {opening.year}", "Event", opening - timedelta(days=30),
            opening + timedelta(days=days + 14), moment=_seconds(opening), days=days,
            cost=cost * rng.uniform(0.85, 1.15))

    add(NURTURE, "Always-on nurture", "Email", period.start, period.end)
    add(NEWSLETTER, "Monthly newsletter", "Email", period.start, period.end)
    add(ORGANIC_SOCIAL, "Organic social", "Social", period.start, period.end)

    rows.sort(key=lambda r: (r[3], r[1]))
    table = pl.DataFrame({
        "campaign_id": _ids("C", len(rows), 2),
        "name": [r[1] for r in rows],
        "channel": [r[2] for r in rows],
        "start_date": [r[3] for r in rows],
        "end_date": [r[4] for r in rows],
        "cost": [int(round(r[8] * scale, -2)) for r in rows],
    })
    return Campaigns(
        table=table,
        family=np.array([r[0] for r in rows]),
        starts=np.array([_seconds(r[3]) for r in rows]),
        moment=np.array([r[5] for r in rows], float),
        days=np.array([r[6] for r in rows]),
        content=np.array([r[7] for r in rows]),
    )


def _weekday(day: date, weekday: int) -> date:
    """The first date on or after `day` that falls on `weekday` (Monday = 0)."""
    return day + timedelta(days=(weekday - day.weekday()) % 7)


# --------------------------------------------------------------------------------- leads --

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
    rng = _rng(seed, "leads")
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
    job = _pick(rng, SOURCE_JOB_SHARE, group=source)
    quality = (SOURCE_PROFILE[source, SRC["quality"]] + JOB_QUALITY[job] + SIZE_QUALITY[size]
               + rng.standard_normal(n))
    gaps = rng.random(n)
    return Leads(
        created=created, source=source, campaign=campaign, account=account, industry=industry,
        size=size, region=region, country=country, job=job, owner=accounts["owner"][account],
        sdr=_pick(rng, SDR_BY_REGION, group=region), quality=quality,
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
    created = period.t0 + day * DAY + _clock(rng, n, business)
    created = _minute(np.minimum(created, period.t1 - MINUTE))
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
        later = rng.uniform(1, 14, n).astype(np.int64) * DAY + _clock(rng, n) - 15 * HOUR
        created = moment + np.where(live, rng.uniform(0, 3600, n), later)
    else:
        on_site = rng.integers(0, np.maximum(campaigns.days[campaign], 1)) * DAY
        scan_import = np.where(rng.random(n) < 0.3, rng.integers(1, 4, n) * DAY, 0.0)
        created = moment + on_site + scan_import + np.clip(rng.normal(13, 2.5, n), 8, 19) * HOUR
    room = period.t1 - MINUTE - moment  # squeeze late captures into the period
    created = np.where(created >= period.t1 - MINUTE, moment + rng.random(n) * room, created)
    return _minute(created), campaign


def _accounts(rng, n: int) -> dict[str, np.ndarray]:
    """Companies: firmographics, an owning AE by region, and how many leads they tend to bring."""
    size = _pick(rng, SIZE_SHARE, n)
    region = _pick(rng, REGION_SHARE, n)
    in_region = np.zeros((len(REGIONS), len(COUNTRIES)))
    for k, (_, r, w) in enumerate(COUNTRIES):
        in_region[r, k] = w
    return {
        "industry": _pick(rng, INDUSTRY_SHARE, n),
        "size": size,
        "region": region,
        "country": _pick(rng, in_region, group=region),
        "owner": _pick(rng, OWNER_BY_REGION, group=region),
        "weight": rng.lognormal(0.0, 0.9, n) * np.array([0.6, 1.0, 1.6, 2.5])[size],
    }


def leads_table(leads: Leads, lead_ids: pl.Series, account_ids: pl.Series, campaign_ids: pl.Series,
                rep_ids: pl.Series, score: np.ndarray) -> pl.DataFrame:
    return _frame(
        lead_id=lead_ids,
        created_at=_timestamps(leads.created),
        source=_labels(SOURCES, leads.source),
        campaign_id=_ref(campaign_ids, leads.campaign),
        account_id=account_ids.gather(leads.account),
        industry=_labels(INDUSTRIES, leads.shown_industry),
        company_size=_labels(SIZES, leads.size),
        region=_labels(REGIONS, leads.region),
        country=_labels([c[0] for c in COUNTRIES], leads.shown_country),
        owner_id=rep_ids.gather(leads.owner),
        sdr_id=rep_ids.gather(leads.sdr),
        score=pl.Series(score.astype(np.int64)),
        job_level=_labels(JOB_LEVELS, leads.job),
    )


# ------------------------------------------------------------------------------- journey --

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
    rng = _rng(seed, "journey")
    n = len(leads)
    src, q = leads.source, leads.quality
    marketing = leads.marketing

    def p(trait: str) -> np.ndarray:  # the lead's source profile
        return SOURCE_PROFILE[src, SRC[trait]]

    # Hand-off (mql): engaged, good-quality marketing leads cross the score threshold.
    is_mql = marketing & _chance(rng, _logistic(-0.55 + p("mql") + 1.3 * q))
    hand_raiser = rng.random(n) < 0.2
    to_mql = np.where(hand_raiser, rng.uniform(10, 120, n) * MINUTE,
                      _delay(rng, p("mql_days") * DAY, 1.1, n))
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
    mql2 = np.where(back, decided1 + _delay(rng, 50 * DAY, 0.5, n), np.nan)
    follow2, decided2, accepted2, _ = _follow_up(rng, leads, mql2, back, acceptance + 0.8)
    verdict2 = np.where(back, np.where(accepted2, 1, 2), 0)
    reason2, exit2 = _rejection(rng, leads, verdict2 == 2)

    # Outbound: SDRs book some prospects straight into sal, sql or opportunity.
    progressed = ~marketing & _chance(rng, _logistic(-1.3 + 1.0 * q))
    entry = np.where(progressed, _pick(rng, [0.5, 0.4, 0.1], n) + SAL, NONE)
    entered = leads.created + _delay(rng, 6 * DAY, 0.8, n)

    accepted_at = np.where(verdict1 == 1, decided1, np.where(verdict2 == 1, decided2, np.nan))
    sal = np.where(~np.isnan(accepted_at) & ~skip_sal, accepted_at,
                   np.where(entry == SAL, entered, np.nan))
    sql_direct = np.where(skip_sal, decided1, np.where(entry == SQL, entered, np.nan))

    # sal -> sql -> opportunity -> won / lost.
    qualifies = _chance(rng, _logistic(0.0 + p("sql") + 1.2 * q - 0.3 * slow))
    sql = np.where(~np.isnan(sal) & qualifies, sal + _delay(rng, 4 * DAY, 0.8, n), sql_direct)
    converts = _chance(rng, _logistic(0.1 + 0.5 * p("sql") + 0.6 * q))
    opp = np.where(~np.isnan(sql) & converts, sql + _delay(rng, 10 * DAY, 0.5, n, DAY),
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
        **{name: _minute(t) for name, t in times.items()},
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
    follow_delay = _delay(rng, np.maximum(REP_FOLLOW_H[leads.owner], 0.5) * HOUR, 0.9, n, 5 * MINUTE)
    follow = np.where(worked, handed + follow_delay, np.nan)
    slow = worked & (follow_delay > 24 * HOUR)
    accepted = _chance(rng, _logistic(acceptance - 0.4 * slow))
    decide = np.where(accepted, 3 * HOUR, 8 * HOUR) * np.maximum(REP_DECIDE[leads.owner], 0.5)
    decided = np.where(worked, follow + _delay(rng, decide, 1.1, n), np.nan)
    return follow, decided, accepted, slow


def _rejection(rng, leads: Leads, rejected: np.ndarray):
    """Reason (depends on source; individuals are often not decision makers) and the exit."""
    reason = _pick(rng, SOURCE_REJECT_SHARE, group=leads.source)
    reason = np.where((leads.job == 4) & (rng.random(len(leads)) < 0.3), 1, reason)
    exit_stage = np.where(REJECT_DISQUALIFIES[reason], DISQUALIFIED, RECYCLED)
    return np.where(rejected, reason, NONE), np.where(rejected, exit_stage, NONE)


def _close(rng, leads: Leads, opp: np.ndarray, q: np.ndarray):
    """Product, competitor, close time (product- and size-dependent cycle, some stall), outcome."""
    n = len(leads)
    product = _pick(rng, PRODUCT_BY_SIZE, group=leads.size)
    competitor = _pick(rng, COMPETITOR_SHARE, n) - 1  # NONE: no competitor named
    cycle = 38 * DAY * PRODUCT_CYCLE[product] * SIZE_CYCLE[leads.size]
    stall = np.where(rng.random(n) < 0.07, rng.uniform(3, 6, n), 1.0)
    close = np.where(np.isnan(opp), np.nan, opp + _delay(rng, cycle, 0.45, n, DAY) * stall)
    win = (-1.6 + SOURCE_PROFILE[leads.source, SRC["win"]] + INDUSTRY_WIN[leads.industry]
           + SIZE_WIN[leads.size] + PRODUCT_WIN[product] + COMPETITOR_WIN[competitor + 1]
           + REP_WIN[leads.owner] + 0.5 * q)
    amount = (PRODUCT_AMOUNT[product] * SIZE_DEAL[leads.size] * SOURCE_PROFILE[leads.source, SRC["deal"]]
              * rng.lognormal(0.0, 0.45, n))
    return product, competitor, np.round(amount, -2), close, _chance(rng, _logistic(win))


def _drop_outs(rng, sal, sql, opp, qualifies, converts):
    """Leads that stop after sal or sql: recycled, disqualified, or left to stall."""
    n = len(sal)
    stuck_sal = ~np.isnan(sal) & ~qualifies & np.isnan(sql)
    stuck_sql = ~np.isnan(sql) & ~converts & np.isnan(opp)
    since = np.where(stuck_sal, sal, np.where(stuck_sql, sql, np.nan))
    wait = np.where(stuck_sal, 8 * DAY, 14 * DAY)
    outcome = _pick(rng, [0.45, 0.35, 0.20], n)  # recycled, disqualified, stalls
    leaves = ~np.isnan(since) & (outcome < 2)
    dropped = np.where(leaves, since + _delay(rng, wait, 0.8, n), np.nan)
    return dropped, np.where(leaves, np.where(outcome == 0, RECYCLED, DISQUALIFIED), NONE)


# ------------------------------------------------------------------------- event tables --

def _rows(lead_parts, time_parts, *value_parts, cutoff: float):
    """Concatenate per-lead candidate events, keep those before the cut-off, sort them by lead
    and time (ties by the first value column), and return the columns as arrays."""
    lead = np.concatenate(lead_parts)
    t = np.concatenate(time_parts)
    values = [np.concatenate(v) for v in value_parts]
    keep = ~np.isnan(t) & (t < cutoff)
    lead, t, values = lead[keep], t[keep], [v[keep] for v in values]
    order = np.lexsort(tuple(reversed([lead, t] + values[:1])))
    return lead[order], t[order], [v[order] for v in values]


def stage_history_table(leads: Leads, j: Journey, lead_ids: pl.Series, cutoff: float) -> pl.DataFrame:
    """Grain: one row per lead per stage entered."""
    n = len(leads)
    everyone = np.arange(n)
    closes = np.where(j.won, WON, LOST)
    entries = [  # (time, stage)
        (leads.created, np.full(n, LEAD)),
        (j.mql1, np.full(n, MQL)),
        (np.where(j.exit1 >= 0, j.decided1, np.nan), j.exit1),
        (j.mql2, np.full(n, MQL)),
        (np.where(j.exit2 >= 0, j.decided2, np.nan), j.exit2),
        (j.sal, np.full(n, SAL)),
        (j.sql, np.full(n, SQL)),
        (j.opp, np.full(n, OPP)),
        (j.close, closes),
        (j.dropped, j.dropped_stage),
    ]
    lead, t, (stage,) = _rows([everyone] * len(entries), [e[0] for e in entries],
                              [e[1] for e in entries], cutoff=cutoff)
    return _frame(lead_id=lead_ids.gather(lead), stage=_labels(STAGES, stage),
                  entered_at=_timestamps(t))


def opportunities_table(leads: Leads, j: Journey, ids: dict, cutoff: float, seed: int) -> pl.DataFrame:
    """Grain: one row per lead that reached opportunity (created_at = that stage's entry)."""
    rng = _rng(seed, "opportunities")
    rows = np.flatnonzero(~np.isnan(j.opp) & (j.opp < cutoff))
    rows = rows[np.lexsort((rows, j.opp[rows]))]
    m = len(rows)
    closed = j.close[rows] < cutoff
    won = closed & j.won[rows]
    lost = closed & ~j.won[rows]
    competitor = j.competitor[rows]
    loss = _pick(rng, LOSS_SHARE, group=(competitor >= 0).astype(np.int64))
    win = _pick(rng, WIN_SHARE, m)
    status = np.where(won, "won", np.where(lost, "lost", "open"))
    return _frame(
        opportunity_id=_ids("O", m, max(5, len(str(m)))),
        lead_id=ids["lead"].gather(rows),
        account_id=ids["account"].gather(leads.account[rows]),
        created_at=_timestamps(j.opp[rows]),
        closed_at=_timestamps(np.where(closed, j.close[rows], np.nan)),
        status=pl.Series(status),
        amount=pl.Series(j.amount[rows].astype(np.int64)),
        product=_labels(PRODUCTS, j.product[rows]),
        owner_id=ids["rep"].gather(leads.owner[rows]),
        loss_reason=_labels(LOSS_REASONS, np.where(lost, loss, NONE)),
        win_reason=_labels(WIN_REASONS, np.where(won, win, NONE)),
        competitor=_labels(COMPETITORS, competitor),
    )


def activities_table(leads: Leads, j: Journey, ids: dict, cutoff: float, seed: int) -> pl.DataFrame:
    """Grain: one row per sales activity. The first follow-up after each hand-off comes after
    the owner's typical delay; a few leads were called before they were handed off."""
    rng = _rng(seed, "activities")
    n = len(leads)
    everyone = np.arange(n)
    lead_parts, time_parts, rep_parts, type_parts = [], [], [], []

    def add(lead, t, rep, kind):
        lead_parts.append(lead), time_parts.append(t), rep_parts.append(rep), type_parts.append(kind)

    # Follow-ups after the first and second hand-off (call or email), by the owner.
    for follow in (j.follow1, j.follow2):
        add(everyone, follow, leads.owner, _pick(rng, [0.6, 0.4, 0.0], n))
    # An SDR call before the hand-off.
    lead_time = j.mql1 - leads.created
    early = (lead_time > 2 * HOUR) & (rng.random(n) < 0.06)
    add(everyone, np.where(early, leads.created + rng.uniform(0.1, 0.9, n) * lead_time, np.nan),
        leads.sdr, _pick(rng, [0.5, 0.5, 0.0], n))
    # Outbound prospecting by the SDR until the first meeting (or for a month).
    outbound = np.flatnonzero(~leads.marketing)
    span = np.where(np.isnan(j.outbound_entry), 30 * DAY, j.outbound_entry - leads.created)[outbound]
    who, when = _spread(rng, outbound, 1 + rng.poisson(1.5, len(outbound)), leads.created[outbound], span)
    add(who, when, leads.sdr[who], _pick(rng, [0.5, 0.5, 0.0], len(who)))
    # Working the lead from sal / sql / opportunity until it closes, drops or goes quiet.
    working = np.flatnonzero(~np.isnan(j.work_start))
    start = j.work_start[working]
    stop = np.where(~np.isnan(j.close), j.close, np.where(~np.isnan(j.dropped), j.dropped,
                                                          j.work_start + 45 * DAY))[working]
    count = rng.poisson(1.0 + 1.5 * ~np.isnan(j.sql[working]) + 3.0 * ~np.isnan(j.opp[working]))
    who, when = _spread(rng, working, count, start + MINUTE, stop - start - MINUTE)
    rep = np.where(rng.random(len(who)) < 0.8, leads.owner[who], leads.sdr[who])
    add(who, when, rep, _pick(rng, [0.35, 0.40, 0.25], len(who)))

    lead, t, (kind, rep) = _rows(lead_parts, [_minute(x) for x in time_parts], type_parts, rep_parts,
                                 cutoff=cutoff)
    return _frame(
        activity_id=_ids("X", len(lead), max(6, len(str(len(lead))))),
        lead_id=ids["lead"].gather(lead),
        rep_id=ids["rep"].gather(rep),
        occurred_at=_timestamps(t),
        activity_type=_labels(ACTIVITY_TYPES, kind),
    )


def _spread(rng, who: np.ndarray, count: np.ndarray, start: np.ndarray, span: np.ndarray):
    """`count[i]` events for lead `who[i]`, uniform over [start, start + span)."""
    repeat = np.repeat(np.arange(len(who)), count)
    return who[repeat], start[repeat] + rng.random(len(repeat)) * np.maximum(span[repeat], 0.0)


def feedback_table(leads: Leads, j: Journey, ids: dict, cutoff: float, seed: int) -> pl.DataFrame:
    """Grain: one row per verdict on a hand-off. Accepts at the sal entry (most, not all, are
    recorded), rejections at the recycled / disqualified entry, by the lead's owner."""
    rng = _rng(seed, "feedback")
    n = len(leads)
    everyone = np.arange(n)
    times, verdicts, reasons = [], [], []
    for verdict, decided, reason in ((j.verdict1, j.decided1, j.reason1),
                                     (j.verdict2, j.decided2, j.reason2)):
        recorded_accept = (verdict == 1) & (j.sal == decided) & (rng.random(n) < 0.85)
        accept_reason = np.where(rng.random(n) < 0.15, _pick(rng, [0.35, 0.3, 0.25, 0.1], n), NONE)
        times.append(np.where(recorded_accept | (verdict == 2), decided, np.nan))
        verdicts.append(verdict)
        reasons.append(np.where(verdict == 2, reason,
                                np.where(accept_reason >= 0, accept_reason + len(REJECT_REASONS), NONE)))
    lead, t, (verdict, reason) = _rows([everyone, everyone], times, verdicts, reasons, cutoff=cutoff)
    q = leads.quality[lead]
    m = len(lead)
    rating = np.where(verdict == 1, 3.6 + 0.8 * q + rng.normal(0, 0.7, m),
                      1.7 + 0.3 * q + rng.normal(0, 0.6, m))
    rating = np.where(rng.random(m) < 0.7, np.clip(np.round(rating), 1, 5), np.nan)
    return _frame(
        lead_id=ids["lead"].gather(lead),
        rep_id=ids["rep"].gather(leads.owner[lead]),
        created_at=_timestamps(t),
        verdict=_labels(("", "accepted", "rejected"), verdict),
        reason=_labels(REJECT_REASONS + ACCEPT_REASONS, reason),
        rating=pl.Series(rating, nan_to_null=True).cast(pl.Int64),
    )


def score_history_table(leads: Leads, j: Journey, lead_ids: pl.Series, cutoff: float,
                        seed: int) -> pl.DataFrame:
    """Grain: one row per lead per score change. Scores climb from capture to the hand-off
    (or to the last engagement); the last row equals leads.score."""
    rng = _rng(seed, "score_history")
    n = len(leads)
    handed = ~np.isnan(j.mql1)
    last = np.where(handed, j.mql1 - rng.uniform(1, 30, n) * MINUTE,
                    leads.created + np.where(leads.marketing, _delay(rng, 10 * DAY, 1.0, n),
                                             rng.uniform(0, 2 * DAY, n)))
    last = np.clip(last, leads.created, cutoff - MINUTE)
    count = 1 + rng.binomial(3, np.where(handed, 0.6, 0.3))
    count = np.where(last - leads.created < HOUR, 1, count)
    lead = np.repeat(np.arange(n), count)
    step = np.arange(len(lead)) - np.repeat(np.cumsum(count) - count, count)  # 0 .. count-1
    share = np.where(count[lead] > 1, step / np.maximum(count[lead] - 1, 1), 1.0)
    start = rng.uniform(0.35, 0.75, n)[lead]
    score = np.round(j.score[lead] * (start + (1 - start) * share))
    t = _minute(leads.created[lead] + share * (last - leads.created)[lead])
    return _frame(lead_id=lead_ids.gather(lead), scored_at=_timestamps(t),
                  score=pl.Series(score.astype(np.int64)))


# ------------------------------------------------------------------------------- touches --

def touches_table(leads: Leads, j: Journey, campaigns: Campaigns, ids: dict, cutoff: float,
                  seed: int) -> pl.DataFrame:
    """Grain: one row per marketing interaction: the capture touch, nurture before the
    hand-off, the touch that triggered it, and content sent while an opportunity is open."""
    rng = _rng(seed, "touches")
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
    who, when = _spread(rng, np.arange(n), rng.poisson(rate), leads.created, until - leads.created)
    kind = _pick(rng, [0.33, 0.40, 0.08, 0.07, 0.07, 0.05], len(who))
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
    who, when = _spread(rng, deal, rng.poisson(1.2 + 1.8 * won), j.opp[deal], (j.close - j.opp)[deal])
    kind = _pick(rng, [0.40, 0.55, 0.0, 0.0, 0.03, 0.02], len(who))
    phase = np.where(j.won[who], WON_DEAL, DEAL)
    batches.append(_touch_batch(rng, leads, campaigns, who, when, kind, phase, j.close[who]))

    columns = ("lead", "t", "channel", "campaign", "content", "type")
    lead, t, (channel, campaign, content, kind) = _rows(
        *([b[c] for b in batches] for c in columns), cutoff=cutoff)
    return _frame(
        touch_id=_ids("T", len(lead), max(6, len(str(len(lead))))),
        lead_id=ids["lead"].gather(lead),
        occurred_at=_timestamps(t),
        channel=_labels(CHANNELS, channel),
        campaign_id=_ref(ids["campaign"], campaign),
        content_id=_ref(ids["content"], content),
        touch_type=_labels(TOUCH_TYPES, kind),
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

    content = _pick(rng, _content_weights(), group=phase)
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
    return {"lead": np.asarray(who), "t": _minute(t), "channel": kind, "campaign": chosen,
            "content": content, "type": touch_type}


# ------------------------------------------------------------------------------- targets --

def targets_table(leads: Leads, j: Journey, period: Period, seed: int) -> pl.DataFrame:
    """Grain: one row per month per metric. The plan follows the smoothed actuals (held flat
    at the end, where cohorts are still immature) with some ambition and noise, so some months
    are hit and some missed."""
    rng = _rng(seed, "targets")
    first = period.start.year * 12 + period.start.month - 1
    last_day = period.end - timedelta(days=1)
    months = np.arange(first, last_day.year * 12 + last_day.month)
    mql = np.where(np.isnan(j.mql1), j.outbound_entry, j.mql1)  # skipped stages count as passed
    sql = np.where(np.isnan(j.sql), j.opp, j.sql)
    won = np.where(j.won, j.close, np.nan)
    actuals = {  # metric: (event times, weights, months of lag before the figure is mature)
        "leads": (leads.created, None, 0),
        "mqls": (mql, None, 1),
        "sqls": (sql, None, 1),
        "opportunities": (j.opp, None, 2),
        "pipeline_amount": (j.opp, j.amount, 2),
        "won_amount": (won, j.amount, 3),
    }
    month_start = np.array([_seconds(date(m // 12, m % 12 + 1, 1)) for m in months])
    month_end = np.append(month_start[1:], _seconds(_next_month(months[-1])))
    elapsed = np.clip((period.t1 - month_start) / (month_end - month_start), 0.05, 1.0)
    rows = []
    for metric, (t, weight, lag) in actuals.items():
        seen = ~np.isnan(t) & (t < period.t1)
        index = _months(t[seen]) - first
        actual = np.bincount(index, None if weight is None else weight[seen], len(months))
        actual = actual / elapsed  # a partial last month, extrapolated
        smooth = np.convolve(np.pad(actual, 1, mode="edge"), np.ones(3) / 3, mode="valid")
        mature = max(len(months) - lag, 1)
        smooth[mature:] = smooth[mature - 1] * 1.02 ** np.arange(1, len(months) - mature + 1)
        target = smooth * rng.uniform(0.92, 1.15, len(months))
        target = np.round(target, -3) if metric.endswith("_amount") else np.maximum(np.round(target), 1)
        rows.append((metric, target.astype(np.int64)))
    return pl.DataFrame({
        "period_start": np.tile(month_start, len(rows)).astype("datetime64[s]").astype("datetime64[D]"),
        "period_end": np.tile(month_end - DAY, len(rows)).astype("datetime64[s]").astype("datetime64[D]"),
        "metric": np.repeat([r[0] for r in rows], len(months)),
        "target": np.concatenate([r[1] for r in rows]),
    }).with_columns(team=pl.lit(None, pl.String), segment=pl.lit(None, pl.String)).sort(
        "period_start", maintain_order=True)


def _next_month(month: int) -> date:
    return date((month + 1) // 12, (month + 1) % 12 + 1, 1)


# ---------------------------------------------------------------------------------- main --

def generate(out_dir: Path | str, leads: int = 4000, seed: int = 7, file_format: str = "csv",
             end: date = date(2026, 11, 27), months: int = 18) -> dict[str, int]:
    """Write the canonical tables into out_dir (csv or parquet); return rows written per table."""
    if file_format not in ("csv", "parquet"):
        raise ValueError(f"file_format must be csv or parquet, not {file_format!r}")
    if leads < 1:
        raise ValueError("leads must be at least 1")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    period = Period.ending(end, months)
    cutoff = period.t1
    campaigns = build_campaigns(period, seed, scale=leads / 4000)
    people = build_leads(leads, period, campaigns, seed)
    journey = build_journey(people, seed)
    ids = {
        "lead": _ids("L", leads, max(5, len(str(leads)))),
        "account": _ids("A", int(people.account.max()) + 1, max(5, len(str(people.account.max() + 1)))),
        "campaign": campaigns.table["campaign_id"],
        "content": content_table()["content_id"],
        "rep": reps_table()["rep_id"],
    }
    builders = {  # built and written one at a time to keep memory modest
        "reps": reps_table,
        "campaigns": lambda: campaigns.table,
        "content": content_table,
        "leads": lambda: leads_table(people, ids["lead"], ids["account"], ids["campaign"],
                                     ids["rep"], journey.score),
        "stage_history": lambda: stage_history_table(people, journey, ids["lead"], cutoff),
        "opportunities": lambda: opportunities_table(people, journey, ids, cutoff, seed),
        "touches": lambda: touches_table(people, journey, campaigns, ids, cutoff, seed),
        "activities": lambda: activities_table(people, journey, ids, cutoff, seed),
        "feedback": lambda: feedback_table(people, journey, ids, cutoff, seed),
        "targets": lambda: targets_table(people, journey, period, seed),
        "score_history": lambda: score_history_table(people, journey, ids["lead"], cutoff, seed),
    }
    return {name: _write(build(), out / f"{name}.{file_format}") for name, build in builders.items()}


def _write(table: pl.DataFrame, path: Path) -> int:
    if path.suffix == ".csv":
        table.write_csv(path, datetime_format=TIMESTAMP_FORMAT, date_format="%Y-%m-%d", null_value="")
    else:
        table.write_parquet(path)
    return table.height


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m analytics.sample",
        description="Write a seeded sample export (Northwind Metrics) in the canonical format.")
    parser.add_argument("out", metavar="OUT", type=Path, help="folder to write the tables into")
    parser.add_argument("--leads", type=int, default=4000, help="number of leads (default 4000)")
    parser.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
    parser.add_argument("--format", choices=("csv", "parquet"), default="csv", dest="file_format")
    args = parser.parse_args(argv)
    counts = generate(args.out, leads=args.leads, seed=args.seed, file_format=args.file_format)
    width = max(map(len, counts))
    for name, rows in counts.items():
        print(f"{name:<{width}}  {rows:>9,} rows")
    print(f"wrote {sum(counts.values()):,} rows to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
