"""Northwind Metrics as parameters: its sources, industries, company sizes, regions, job levels, reps,
rejection, loss and win reasons, products, competitors, content and campaign plan, and the stages. Data
only; the generator (analytics/sample/generate.py) draws every table from these."""
import numpy as np

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
# The product column as exported (analytics/sample/events.py product_trajectories): the three products above
# plus Insights, launched from Analytics in the last year, so the portfolio shows all four quadrants.
PRODUCT_LABELS = (*PRODUCTS, "Insights")
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
