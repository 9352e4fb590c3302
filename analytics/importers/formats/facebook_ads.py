"""`--format facebook_ads`: an ad-level spend export (Facebook / Meta Ads Manager, or the Kaggle
`KAG_conversion_data.csv` shape) as the canonical `spend` and `campaigns` tables, beside a CRM export.

A spend export has no leads, so it is never imported on its own: put it in the folder of a canonical
export (leads.csv, stage_history.csv, …) and import that folder with this format. Every canonical
table in the folder goes through unchanged (the canonical import validates it as usual); the ad
files become:

- `spend`: one row per campaign and day (per campaign when the export has no date column), cost =
  the sum of its ads' spend rounded to the cent (exports carry float artefacts such as
  1.429999948), plus the summed `ads`, `impressions`, `clicks`, `conversions` and
  `approved_conversions` the file has.
- `campaigns`: one row per campaign the folder's campaigns.csv does not already hold: name = the
  export's campaign name, else "Facebook campaign <id>"; channel Paid Social; start/end = its first
  and last day of spend; no cost of its own (the spend rows carry it, so nothing is counted twice).

A file is an ad export when its header has a spend column (`Spent`, `Amount spent`, `Amount spent
(EUR)`, `spend`) and a campaign column (`xyz_campaign_id`, `Campaign ID`, else `Campaign name`,
which then is the id too). The day is `Day`, `Date`, `date_start` or `Reporting starts`. Rejects, with
file, line and column: no campaign, a spend that is empty, not a number or negative, a date that is
not a date, a count that is not a number, the same ad on the same day twice in a file.
"""
from __future__ import annotations

import re
from pathlib import Path

import polars as pl

from analytics.core.config import Config
from analytics.core.schema import REQUIRED_TABLES, TABLES
from analytics.importers.formats import SOURCE_FILE, SOURCE_LINE, ConversionFailed, Converted, Reject
from analytics.importers.formats.sources import Source, read_source, reject_where, with_dates
from analytics.importers.readers import SUFFIXES, normalise_header

CHANNEL = "Paid Social"
CAMPAIGN_ID = ("xyz_campaign_id", "campaign_id")
CAMPAIGN_NAME = ("campaign_name", "campaign")
COST = ("spent", "amount_spent", "spend")  # also "Amount spent (EUR)": any currency in brackets
DAY = ("day", "date", "date_start", "reporting_starts")
AD_ID = ("ad_id",)
COUNTS = {"impressions": ("impressions",), "clicks": ("clicks", "link_clicks", "clicks_(all)"),
          "conversions": ("total_conversion", "results", "conversions"),
          "approved_conversions": ("approved_conversion",)}
HINT = ' with timestamp_formats = ["%d/%m/%Y"] (or "%m/%d/%Y") in closed_loop.toml or --config FILE'


def convert(src: Path, cfg: Config, mapping: Path | None = None) -> Converted:
    notes = ["--mapping is not used by --format facebook_ads"] if mapping is not None else []
    ads: list[Source] = []
    tables: dict[str, pl.DataFrame] = {}
    rejects: list[Reject] = []
    for path in _files(src):
        source = read_source(path, cfg.encoding)
        table = normalise_header(path.stem)
        if _columns(source):
            ads.append(source)
        elif table in TABLES:
            tables[table] = _canonical(source)
        else:
            notes.append(f"skipped {path.name}: neither an ad spend export nor a table of the canonical model")
            continue
        rejects += source.rejects
    if not ads:
        raise ConversionFailed(f"{src}: no ad spend export found (a file with a campaign column such as "
                               "xyz_campaign_id or Campaign ID and a spend column such as Spent or Amount spent)")
    spent = []
    for source in ads:
        frame, bad = _ad_rows(source, cfg, notes)
        spent.append(frame)
        rejects += bad
    daily = _daily(pl.concat(spent, how="diagonal_relaxed"))
    total = daily["cost"].sum()
    summary = (f"{', '.join(s.name for s in ads)}: {daily['campaign_id'].n_unique()} campaign(s), "
               f"{total:,.2f} spent")
    lacking = [t for t in REQUIRED_TABLES if t not in tables]
    if lacking:
        raise ConversionFailed(
            f"{summary}, and no {' or '.join(f'{t}.csv' for t in lacking)}: an ad spend export has no leads. "
            f"Put it in the folder of your CRM export's canonical tables (leads.csv, stage_history.csv, …) and "
            f"import that folder with --format facebook_ads, or add a spend.csv (campaign_id, spend_date, cost) "
            f"to the canonical export (docs/crm_formats.md)")
    notes.append(f"{summary}: {daily.height} spend row(s) by campaign and day")
    notes += _unlinked(daily, tables)
    tables["spend"] = pl.concat([t for t in (tables.get("spend"), _finish(daily)) if t is not None],
                                how="diagonal_relaxed")
    tables["campaigns"] = _campaigns(daily, tables.get("campaigns"))
    return Converted(tables, rejects, notes)


def _files(src: Path) -> list[Path]:
    return [p for p in sorted(src.iterdir()) if p.is_file() and p.suffix.lower() in SUFFIXES
            and not p.name.startswith((".", "~$"))]


def _find(source: Source, names: tuple[str, ...], prefix: bool = False) -> str | None:
    for column in source.columns:
        key = normalise_header(column)
        if key in names or (prefix and any(key.startswith(f"{n}_(") for n in names)):
            return column
    return None


def _columns(source: Source) -> dict[str, str] | None:
    """The ad export's columns by role (campaign_id, cost, …), or None when it is not an ad export."""
    cost = _find(source, COST, prefix=True)
    campaign = _find(source, CAMPAIGN_ID) or _find(source, CAMPAIGN_NAME)
    if cost is None or campaign is None:
        return None
    found = {"campaign_id": campaign, "cost": cost, "campaign_name": _find(source, CAMPAIGN_NAME),
             "day": _find(source, DAY), "ad_id": _find(source, AD_ID)}
    found |= {out: _find(source, names) for out, names in COUNTS.items()}
    return {role: column for role, column in found.items() if column is not None}


def _canonical(source: Source) -> pl.DataFrame:
    """A canonical table found beside the ads: as read, its header as the canonical import spells it."""
    names = {c: normalise_header(c) for c in source.columns}
    frame = source.frame.rename(names) if len(set(names.values())) == len(names) else source.frame
    return frame.with_columns(pl.lit(source.name).alias(SOURCE_FILE))


def _ad_rows(source: Source, cfg: Config, notes: list[str]) -> tuple[pl.DataFrame, list[Reject]]:
    """One row per ad (per day) with typed cost and counts; bad rows are rejects."""
    file, columns = source.name, _columns(source)
    frame = source.frame.select(*(pl.col(column).alias(role) for role, column in columns.items()), SOURCE_LINE)
    currency = re.fullmatch(r".*\(([A-Za-z]{3})\)\s*", columns["cost"])
    if currency:
        notes.append(f"{file}: spend is in {currency[1].upper()} ({columns['cost']}); campaign cost adds it as it is")
        frame = frame.with_columns(currency=pl.lit(currency[1].upper()))
    if "day" in frame.columns:
        frame = with_dates(frame, {"day": "spend_date"}, file, cfg, HINT, notes)
        frame = frame.with_columns(pl.col("spend_date").str.slice(0, 10))
    else:
        notes.append(f"{file}: no date column: spend is one row per campaign, without a day (ROI uses all of "
                     "it; the period filter cannot place it)")
        frame = frame.with_columns(spend_date=pl.lit(None, pl.String), _bad_spend_date=pl.lit(False))
    numbers = ["cost", *(c for c in COUNTS if c in frame.columns)]
    typed = frame.with_columns(pl.col(c).cast(pl.Float64, strict=False).alias(f"_{c}") for c in numbers)
    rejects: list[Reject] = []
    checks = [(pl.col("campaign_id").is_null(), "campaign_id", "no campaign: the spend cannot be assigned"),
              (pl.col("cost").is_null(), "cost", "spend is empty"),
              (pl.col("_bad_spend_date"), "day", "not a date")]
    checks += [(pl.col(c).is_not_null() & pl.col(f"_{c}").is_null(), c, "not a number") for c in numbers]
    checks.append((pl.col("_cost") < 0, "cost", "negative spend"))
    for bad, role, reason in checks:
        value = pl.col(role).cast(pl.String) if role in typed.columns else pl.lit(None, pl.String)
        typed, found = reject_where(typed, bad, file, columns.get(role, role), reason, value, table="spend")
        rejects += found
    if "ad_id" in typed.columns:  # an ad without an id is never a repeat of another
        ad_day = pl.coalesce(pl.concat_str("ad_id", pl.col("spend_date").fill_null(""), separator=" "),
                             pl.format("line {}", SOURCE_LINE))
        first = pl.col(SOURCE_LINE).min().over(ad_day)
        typed, found = reject_where(typed, pl.col(SOURCE_LINE) > first, file, columns["ad_id"],
                                    pl.format("the same ad (and day) again (first at line {})", first), ad_day,
                                    table="spend")
        rejects += found
    return typed.with_columns(pl.lit(file).alias(SOURCE_FILE)).select(
        "campaign_id", "spend_date", *(pl.col(f"_{c}").alias(c) for c in numbers),
        *(c for c in ("campaign_name", "ad_id", "currency") if c in typed.columns), SOURCE_FILE, SOURCE_LINE), rejects


def _daily(ads: pl.DataFrame) -> pl.DataFrame:
    """Spend summed per campaign and day; where it came from is the first ad row's file and line."""
    texts = [c for c in ("campaign_name", "currency") if c in ads.columns]
    return ads.sort(SOURCE_FILE, SOURCE_LINE).group_by("campaign_id", "spend_date", maintain_order=True).agg(
        pl.col("cost").round(2).sum().round(2),
        pl.len().alias("ads"),  # ad rows: the same ad twice on a day is a reject
        *(pl.col(c).sum() for c in COUNTS if c in ads.columns),
        *(pl.col(c).drop_nulls().first() for c in texts),
        pl.col(SOURCE_FILE).first(), pl.col(SOURCE_LINE).first(),
    )


def _finish(daily: pl.DataFrame) -> pl.DataFrame:
    """The spend table as text (whole counts without a decimal point)."""
    whole = [c for c in ("ads", *COUNTS) if c in daily.columns]
    return daily.select("campaign_id", "spend_date", pl.col("cost").cast(pl.String),
                        *(pl.col(c).cast(pl.Int64, strict=False).cast(pl.String) for c in whole),
                        *(c for c in ("currency",) if c in daily.columns), SOURCE_FILE, SOURCE_LINE)


def _campaigns(daily: pl.DataFrame, known: pl.DataFrame | None) -> pl.DataFrame:
    """One row per ad campaign the folder's campaigns table lacks, after that table's own rows."""
    ours = daily.group_by("campaign_id", maintain_order=True).agg(
        (pl.col("campaign_name").drop_nulls().first() if "campaign_name" in daily.columns
         else pl.lit(None, pl.String)).alias("name"),
        pl.col("spend_date").min().alias("start_date"), pl.col("spend_date").max().alias("end_date"),
        pl.col(SOURCE_FILE).first(), pl.col(SOURCE_LINE).min(),
    ).select("campaign_id", pl.col("name").fill_null(pl.format("Facebook campaign {}", "campaign_id")),
             pl.lit(CHANNEL).alias("channel"), "start_date", "end_date", SOURCE_FILE, SOURCE_LINE)
    if known is None or "campaign_id" not in known.columns:
        return ours if known is None else pl.concat([known, ours], how="diagonal_relaxed")
    held = known["campaign_id"].str.strip_chars().drop_nulls().to_list()
    return pl.concat([known, ours.filter(~pl.col("campaign_id").is_in(held))], how="diagonal_relaxed")


def _unlinked(daily: pl.DataFrame, tables: dict[str, pl.DataFrame]) -> list[str]:
    """A note naming the ad campaigns no lead or touch refers to: their cost has no revenue beside it."""
    named = {v for t in ("leads", "touches") if t in tables and "campaign_id" in tables[t].columns
             for v in tables[t]["campaign_id"].str.strip_chars().drop_nulls().unique().to_list()}
    alone = sorted(set(daily["campaign_id"].to_list()) - named)
    if not alone:
        return []
    return [f"ad campaign(s) {', '.join(alone)}: no lead or touch has this campaign_id, so their spend counts "
            "in campaign cost with no leads or revenue beside it (leads.campaign_id or touches.campaign_id "
            "must carry the ad platform's campaign id)"]
