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

The generator is split by concern: company.py (the company as parameters), common.py (period, random
streams, draws), dimensions.py, leads.py, journey.py, events.py, deal_history.py, touches.py, targets.py; this module
builds them in order and writes the tables.

Usage: python -m analytics.sample OUT [--leads N] [--seed S] [--format csv|parquet]
"""
from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

import polars as pl

from analytics.sample.common import Period, make_ids
from analytics.sample.deal_history import opportunity_history_table
from analytics.sample.dimensions import build_campaigns, content_table, reps_table
from analytics.sample.events import (
    activities_table,
    feedback_table,
    opportunities_table,
    score_history_table,
    stage_history_table,
)
from analytics.sample.journey import build_journey
from analytics.sample.leads import build_leads, leads_table
from analytics.sample.targets import targets_table
from analytics.sample.touches import touches_table

TIMESTAMP_FORMAT = "%Y-%m-%d %H:%M:%S"


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
        "lead": make_ids("L", leads, max(5, len(str(leads)))),
        "account": make_ids("A", int(people.account.max()) + 1, max(5, len(str(people.account.max() + 1)))),
        "campaign": campaigns.table["campaign_id"],
        "content": content_table()["content_id"],
        "rep": reps_table()["rep_id"],
    }
    deals = opportunities_table(people, journey, ids, cutoff, seed)
    builders = {  # built and written one at a time to keep memory modest
        "reps": reps_table,
        "campaigns": lambda: campaigns.table,
        "content": content_table,
        "leads": lambda: leads_table(people, ids["lead"], ids["account"], ids["campaign"],
                                     ids["rep"], journey.score, seed),
        "stage_history": lambda: stage_history_table(people, journey, ids["lead"], cutoff, seed),
        "opportunities": lambda: deals,
        "opportunity_history": lambda: opportunity_history_table(deals, cutoff, seed),
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
