"""`--format olist`: Olist's marketing funnel export (MQLs and closed deals) as the canonical model.

Files: one CSV whose name contains `marketing_qualified_leads` or `mql` (mql_id, first_contact_date,
landing_page_id, origin) and one whose name contains `closed_deals` (mql_id, seller_id, sdr_id, sr_id,
won_date, business_segment, lead_type, lead_behaviour_profile, has_company, has_gtin, average_stock,
business_type, declared_product_catalog_size, declared_monthly_revenue). Any encoding, `,` or `;`,
CRLF; headers match up to case and spacing (`business segment`). A missing column stops the import,
naming the file and the column: a partial copy (such as the 380-deal subset without sdr_id/sr_id)
would otherwise give a smaller "won" that looks real. Optional, with a note when missing:
landing_page_id and the deal's descriptive columns (segment, lead type, behaviour profile, business
type, has_company, has_gtin, average_stock, catalog size): the leads or deals then lack that column.

What each record becomes, and why:

- MQL -> lead: lead_id = mql_id, created_at = first_contact_date, source = origin as a readable label
  (`organic_search` -> "Organic Search", the spelling of the marketing list in closed_loop.toml; every
  Olist MQL is inbound, and the list decides which origins count as marketing), landing_page_id as
  an extra column. Stage rows `lead` and `mql` at first contact: Olist's funnel starts at the MQL (the
  seller asked to be contacted, and was handed to an SDR at that point).
- Closed deal -> `won` at won_date. Olist records no SAL, SQL or opportunity dates, so none are made
  up: the metrics' skip rule counts those stages as passed at the won time. Every deal in the file is
  won (the export has no lost deals; an MQL without a deal simply is not won).
- Closed deal -> opportunity: opportunity_id = lead_id = mql_id, status won, closed_at = won_date,
  owner_id = sr_id (the SR closes), account_id = seller_id (the seller account it became). created_at
  = first contact: Olist has no opportunity date, the SDR starts working the lead at first contact,
  and won_date would make every sales cycle 0 days; so the sales cycle here is first contact -> won.
  amount = declared_monthly_revenue when above 0: 0 means "not declared" (797 of 842 deals), and a
  0 would count as a real zero in averages, so it stays empty. It is what the seller declared as its
  monthly revenue, not what the deal is worth: a caveat stored with the data says so on the Revenue
  and Win/loss pages. Segment, lead type, behaviour profile,
  business type, has_company, has_gtin, average_stock and catalog size are extra columns.
- The lead gets sdr_id, owner_id = sr_id and account_id = seller_id from its deal. Olist only knows
  these for won leads: conversion *by* SDR or owner is 100% by construction; use them within won deals.
- Reps: each sdr_id (role SDR) and sr_id (role AE); an id seen in both roles is `SDR, AE`.

The known traps, and what happens:

- A deal won before its first contact (one in the real file: won 2018-03-06, first contact
  2018-03-08). One deal policy for every importer: the deal is kept and repaired, never split from
  its stage. A stage cannot come before the lead exists, so the deal is taken as won at its first
  contact: its close, its creation and its `won` stage entry are that moment, and a note names it.
  So the funnel's 842 won leads equal win/loss's 842 won deals.
- Blank origin vs `unknown`: blank -> empty (shown as "(none)"); "unknown" is what Olist recorded and
  stays "Unknown". They are different facts: no value at all vs a value saying the channel is unknown.
- Category spellings: origin and the deal categories are written one way: the deal categories in lower
  case, words joined by `_`, origins as labels, so `paid_search` = "Paid Search" and `Car Accessories` =
  `car_accessories`; booleans become
  true/false; catalog sizes `100.0` = `100`. Spreadsheet-mangled stock ranges (`01-May`, `05.jan` for
  1-5; `May-20`, `20.máj` for 5-20) are restored.
- Dates: ISO or `YYYY.MM.DD`; `DD-MM-YYYY` and `M/D/YYYY` are told apart by the values of the whole
  column; a column no value decides stops the import unless `timestamp_formats` in the config states it.
- Trailing commas (blank last field) are empty values; rows with the wrong number of fields, an empty
  or duplicate mql_id, a missing or invalid date, or a deal for an unknown MQL are rejects with file,
  line and reason. Every row read is loaded or rejected.
- Not detectable: a copy that filled blank origins as "Direct Traffic" (the Hungarian variant) or
  blank business types as "Reseller" imports those values as written.
"""
from __future__ import annotations

from pathlib import Path

import polars as pl

from analytics.core.config import Config
from analytics.importers.formats import SOURCE_FILE, SOURCE_LINE, Caveat, ConversionFailed, Converted, Reject
from analytics.importers.formats.sources import (
    Source,
    category,
    export_files,
    finish,
    read_columns,
    reject_duplicates,
    reject_where,
    with_dates,
)
from analytics.importers.readers import normalise_header

MQL_COLUMNS = ("mql_id", "first_contact_date", "landing_page_id", "origin")
DEAL_COLUMNS = ("mql_id", "seller_id", "sdr_id", "sr_id", "won_date", "business_segment", "lead_type",
                "lead_behaviour_profile", "has_company", "has_gtin", "average_stock", "business_type",
                "declared_product_catalog_size", "declared_monthly_revenue")
DEAL_CATEGORIES = ("business_segment", "lead_type", "lead_behaviour_profile", "business_type",
                   "has_company", "has_gtin")
DEAL_EXTRAS = (*DEAL_CATEGORIES, "average_stock", "declared_product_catalog_size")
HINT = ' with timestamp_formats = ["%d/%m/%Y"] (or "%m/%d/%Y") in closed_loop.toml or --config FILE'
# Spreadsheets turn the stock ranges 1-5 and 5-20 into dates; these are the spellings found in copies.
STOCK_RANGES = {"01-may": "1-5", "1-may": "1-5", "05.jan": "1-5", "5.jan": "1-5",
                "may-20": "5-20", "20.máj": "5-20", "20.maj": "5-20"}
CURRENCY = "BRL"  # a Brazilian marketplace: declared revenues are in reais


def convert(src: Path, cfg: Config, mapping: Path | None = None) -> Converted:
    notes: list[str] = []
    if mapping is not None:
        notes.append("--mapping is not used by --format olist")
    mql_path, deal_path, others = _files(src)
    notes += [f"skipped {p.name}: not part of the Olist funnel export" for p in others]
    mqls = read_columns(mql_path, MQL_COLUMNS, cfg.encoding, optional=("landing_page_id",), notes=notes)
    deals = read_columns(deal_path, DEAL_COLUMNS, cfg.encoding, optional=DEAL_EXTRAS, notes=notes)
    rejects = [*mqls.rejects, *deals.rejects]

    leads, bad = _leads(mqls, cfg, notes)
    rejects += bad
    won, bad = _deals(deals, leads, cfg, notes)
    rejects += bad
    early = won.filter(pl.col("is_won_before_contact"))
    if not early.is_empty():  # one deal policy: kept, repaired, with a note (docs/metrics.md)
        notes.append(f"{deals.name}: {early.height} deal(s) won before their first contact ("
                     + ", ".join(f"{m} won {c[:10]}, first contact {f[:10]}" for m, c, f in
                                 early.select("mql_id", "won_date", "lead_created_at").rows()[:5])
                     + "): a stage cannot come before the lead exists, so each is taken as won at its first "
                       "contact (the won entry and the close move forward to it)")
    won = won.with_columns(closed_at=pl.when(pl.col("is_won_before_contact")).then("lead_created_at")
                           .otherwise("closed_at"))

    leads = leads.join(won.select("mql_id", sdr_id="sdr_id", owner_id="sr_id", account_id="seller_id"),
                       on="mql_id", how="left").sort(SOURCE_LINE)
    lead_table = finish(leads.rename({"mql_id": "lead_id"}),
                        ("lead_id", "created_at", "source", "account_id", "owner_id", "sdr_id",
                         *(c for c in ("landing_page_id",) if c not in mqls.absent)), mqls.name)
    stages = pl.concat([
        finish(leads.select("mql_id", "created_at", SOURCE_LINE, stage=pl.lit(stage)).rename(
            {"mql_id": "lead_id", "created_at": "entered_at"}), ("lead_id", "stage", "entered_at"), mqls.name)
        for stage in (cfg.main_stages[0], cfg.handoff_stage)
    ] + [finish(won.select(
        "closed_at", SOURCE_LINE, lead_id="mql_id", stage=pl.lit(cfg.won_stage), entered_at="closed_at"),
        ("lead_id", "stage", "entered_at"), deals.name)])
    opportunities = finish(won.with_columns(
        opportunity_id="mql_id", lead_id="mql_id", account_id="seller_id", owner_id="sr_id",
        status=pl.lit("won"), currency=pl.lit(CURRENCY), created_at=pl.when(pl.col("is_won_before_contact"))
        .then("closed_at").otherwise("lead_created_at")),
        ("opportunity_id", "lead_id", "account_id", "created_at", "closed_at", "status", "amount", "currency",
         "owner_id", *(c for c in DEAL_EXTRAS if c not in deals.absent)), deals.name)
    return Converted({"leads": lead_table, "stage_history": stages, "opportunities": opportunities,
                      "reps": _reps(won, deals.name)}, rejects, notes, [_amount_caveat(won, deals.name)])


def _amount_caveat(won: pl.DataFrame, file: str) -> Caveat:
    """Olist's amount is the seller's declared monthly revenue, where declared: not a deal value."""
    declared = {"declared": won["amount"].is_not_null().sum(), "deals": won.height, "file": file}
    return Caveat("amount", "olist_declared_revenue",
                  f"{file}: amount is the seller's declared monthly revenue (declared_monthly_revenue), not the "
                  f"deal's value; declared on {declared['declared']} of {declared['deals']} deals", declared)


def _files(src: Path) -> tuple[Path, Path, list[Path]]:
    files = export_files(src)
    stem = {p: normalise_header(p.stem).replace("-", "_") for p in files}
    deals = [p for p in files if "closed_deals" in stem[p]]
    mqls = [p for p in files if p not in deals and ("marketing_qualified_leads" in stem[p] or "mql" in stem[p])]
    for what, found, rule in (("MQL", mqls, "'marketing_qualified_leads' or 'mql'"),
                              ("closed deals", deals, "'closed_deals'")):
        if not found:
            raise ConversionFailed(f"{src}: no {what} file (a CSV whose name contains {rule}); "
                                   f"found: {', '.join(p.name for p in files) or 'no CSV files'}")
        if len(found) > 1:
            raise ConversionFailed(f"{src}: several {what} files ({', '.join(p.name for p in found)}); "
                                   "keep one in the folder")
    return mqls[0], deals[0], [p for p in files if p not in (mqls[0], deals[0])]


def _leads(mqls: Source, cfg: Config, notes: list[str]) -> tuple[pl.DataFrame, list[Reject]]:
    file, rejects = mqls.name, []
    frame = with_dates(mqls.frame, {"first_contact_date": "created_at"}, file, cfg, HINT, notes)
    for bad, column, reason in (
        (pl.col("mql_id").is_null(), "mql_id", "mql_id is empty"),
        (pl.col("first_contact_date").is_null(), "first_contact_date",
         "first_contact_date is empty: a lead needs the date it was created"),
        (pl.col("_bad_created_at"), "first_contact_date", "not a date"),
    ):
        frame, found = reject_where(frame, bad, file, column, reason)
        rejects += found
    frame, found = reject_duplicates(frame, "mql_id", file)
    origin = category(pl.col("origin")).str.replace_all("_", " ").str.to_titlecase()  # paid_search -> Paid Search
    return frame.with_columns(source=origin), rejects + found


def _deals(deals: Source, leads: pl.DataFrame, cfg: Config, notes: list[str]) -> tuple[pl.DataFrame, list[Reject]]:
    file, rejects = deals.name, []
    frame = with_dates(deals.frame, {"won_date": "closed_at"}, file, cfg, HINT, notes)
    frame = frame.join(leads.select("mql_id", lead_created_at="created_at"), on="mql_id", how="left")
    for bad, column, reason in (
        (pl.col("mql_id").is_null(), "mql_id", "mql_id is empty"),
        (pl.col("won_date").is_null(), "won_date", "won_date is empty: a closed deal needs the date it was won"),
        (pl.col("_bad_closed_at"), "won_date", "not a date"),
    ):
        frame, found = reject_where(frame, bad, file, column, reason)
        rejects += found
    frame, found = reject_duplicates(frame, "mql_id", file)
    rejects += found
    frame, found = reject_where(frame, pl.col("lead_created_at").is_null(), file, "mql_id",
                                "no loaded MQL has this mql_id (it is not in the MQL file, or its row was rejected)")
    rejects += found

    revenue = pl.col("declared_monthly_revenue").cast(pl.Float64, strict=False)
    size = pl.col("declared_product_catalog_size").cast(pl.Float64, strict=False)
    stock = pl.col("average_stock").str.to_lowercase()
    restored = frame.filter(stock.is_in(list(STOCK_RANGES))).height
    if restored:
        notes.append(f"{file}: average_stock: {restored} spreadsheet-mangled ranges restored (e.g. 01-May -> 1-5)")
    frame = frame.with_columns(
        *(category(pl.col(c)) for c in DEAL_CATEGORIES),
        average_stock=stock.replace(STOCK_RANGES),
        declared_product_catalog_size=pl.when(size.is_null()).then(pl.col("declared_product_catalog_size"))
        .when(size == size.round()).then(size.cast(pl.Int64).cast(pl.String)).otherwise(size.cast(pl.String)),
        # 0 means "not declared": empty, never a real zero; text that is not a number (or a negative
        # one) goes through as written for the canonical import to reject with this line
        amount=pl.when(revenue == 0).then(None).when(revenue.is_not_null()).then(revenue.cast(pl.String))
        .otherwise(pl.col("declared_monthly_revenue")),
        is_won_before_contact=pl.col("closed_at").str.slice(0, 19) < pl.col("lead_created_at").str.slice(0, 19),
    )
    return frame.sort(SOURCE_LINE), rejects


def _reps(won: pl.DataFrame, file: str) -> pl.DataFrame:
    roles = pl.concat([
        won.select(rep_id="sdr_id", role=pl.lit("SDR"), line=SOURCE_LINE),
        won.select(rep_id="sr_id", role=pl.lit("AE"), line=SOURCE_LINE),
    ]).drop_nulls("rep_id")
    reps = roles.group_by("rep_id").agg(
        role=pl.col("role").unique().sort(descending=True).str.join(", "), line=pl.col("line").min())
    return reps.sort("line").select("rep_id", "role", pl.lit(file).alias(SOURCE_FILE),
                                    pl.col("line").alias(SOURCE_LINE))
