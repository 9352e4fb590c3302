"""`--format maven`: Maven Analytics' CRM Sales Opportunities export as the canonical model.

Files (names matched up to case): `sales_pipeline` (opportunity_id, sales_agent, product, account,
deal_stage, engage_date, close_date, close_value) is required; `accounts` (account, sector,
year_established, revenue, employees, office_location, subsidiary_of), `products` (product, series,
sales_price) and `sales_teams` (sales_agent, manager, regional_office) add firmographics, product
series and the team, and a note says what is lost without them. A present file missing a column stops
the import, naming file and column.

What each deal becomes, and why:

- The export has no leads: each deal is one lead, lead_id = `lead-` + opportunity_id, with the
  account's firmographics: account_id = account, industry = sector, company_size = a band of employees
  (1-99, 100-499, 500-999, 1000-4999, 5000-9999, 10000+), country = office_location, region = the
  regional office of the agent's team, owner_id = sales_agent.
- The funnel here starts at the opportunity: Maven records nothing before it, so no lead/MQL/SQL
  stages are invented (the metrics' skip rule counts them as passed). Stage rows: `opportunity` at
  engage_date (the first date Maven has for a deal; the Prospecting time before it is not in the
  export), then `won` or `lost` at close_date.
- Opportunity: status won/lost from deal_stage Won/Lost, open for Prospecting/Engaging; created_at =
  engage_date; closed_at = close_date for won and lost; amount = close_value, where 0 on a lost deal
  is its real value and is kept; product as products.csv spells it (the pipeline's `GTXPro` is
  products' `GTX Pro`: names are matched ignoring case, spaces and punctuation); extra columns
  deal_stage (Maven's own stage), series, sales_price, manager, regional_office.
- Prospecting deals have no engage_date (nor any other date). They are open pipeline, so they are
  kept: created_at = the export date (the latest date of the deals loaded, the closest bound the file
  gives), marked `is_created_at_estimated = true` on the lead and the opportunity, and they get no
  stage row, because their entry into the funnel is unknown: they count as open deals and leads, and
  stay out of conversion cohorts, velocity and stalled lists. A note says how many.
- Reps: each sales agent (role AE, team and region = regional office, manager_id = manager) and each
  manager (role Manager); agents in the pipeline but not in sales_teams are added with role AE and
  a note.

Traps: `GTXPro` vs `GTX Pro` (above); the sector misspelling `technolgy` and country `Philipines` are
corrected (a note says so); lost deals with value 0 keep 0; trailing commas (the blank close date and
value of open deals, blank subsidiary_of) are empty values. Rejects, with file, line and reason: an
empty or duplicate opportunity_id, an unknown deal_stage, a won/lost deal without close_date or
engage_date, a date that is not a date. Every row read is loaded or rejected. A deal closed before
its engage date is kept (one deal policy, docs/metrics.md): its lead and its opportunity entry are at
the close, and the import takes the deal as created when it closed, with a note naming it.
"""
from __future__ import annotations

from pathlib import Path

import polars as pl

from analytics.core.config import Config
from analytics.importers.formats import SOURCE_FILE, SOURCE_LINE, ConversionFailed, Converted, Reject
from analytics.importers.formats.sources import (
    Source,
    export_files,
    finish,
    read_columns,
    reject_duplicates,
    reject_where,
    with_dates,
)
from analytics.importers.readers import normalise_header

FILES = {
    "sales_pipeline": ("opportunity_id", "sales_agent", "product", "account", "deal_stage", "engage_date",
                       "close_date", "close_value"),
    "accounts": ("account", "sector", "year_established", "revenue", "employees", "office_location",
                 "subsidiary_of"),
    "products": ("product", "series", "sales_price"),
    "sales_teams": ("sales_agent", "manager", "regional_office"),
}
WITHOUT = {"accounts": "leads have no industry, company size or country",
           "products": "opportunities have no product series or list price",
           "sales_teams": "leads have no region and reps no manager or team"}
STATUS = {"prospecting": "open", "engaging": "open", "won": "won", "lost": "lost"}
# Misspellings in Maven's own files, corrected so that filters and groupings find them.
CORRECTIONS = {"sector": {"technolgy": "technology"}, "office_location": {"Philipines": "Philippines"}}
SIZE_BANDS = ((100, "1-99"), (500, "100-499"), (1000, "500-999"), (5000, "1000-4999"), (10000, "5000-9999"))
HINT = ' with timestamp_formats = ["%d/%m/%Y"] (or "%m/%d/%Y") in closed_loop.toml or --config FILE'
LEAD_PREFIX = "lead-"


def convert(src: Path, cfg: Config, mapping: Path | None = None) -> Converted:
    notes: list[str] = []
    if mapping is not None:
        notes.append("--mapping is not used by --format maven")
    sources = _read_all(src, cfg, notes)
    pipeline = sources["sales_pipeline"]
    rejects = [r for s in sources.values() if s is not None for r in s.rejects]
    deals, bad = _deals(pipeline, cfg, notes)
    rejects += bad
    deals = _join_lookups(deals, sources, notes)

    file = pipeline.name
    lead_columns = ("lead_id", "created_at", "account_id", "industry", "company_size", "region", "country",
                    "owner_id", "is_created_at_estimated")
    leads = finish(deals.with_columns(created_at=pl.coalesce("entered_at", "created_at")), lead_columns, file)
    entered = deals.filter(pl.col("engage_date").is_not_null())
    closed = entered.filter(pl.col("status") != "open")
    stages = pl.concat([
        finish(entered.with_columns(stage=pl.lit(cfg.opportunity_stage)),
               ("lead_id", "stage", "entered_at"), file),
        finish(closed.with_columns(stage=pl.when(pl.col("status") == "won").then(pl.lit(cfg.won_stage))
                                   .otherwise(pl.lit(cfg.lost_stage)), entered_at="closed_at"),
               ("lead_id", "stage", "entered_at"), file),
    ])
    opportunities = finish(deals, ("opportunity_id", "lead_id", "account_id", "created_at", "closed_at", "status",
                                   "amount", "product", "owner_id", "deal_stage", "series", "sales_price",
                                   "manager", "regional_office", "is_created_at_estimated"), file)
    tables = {"leads": leads, "stage_history": stages, "opportunities": opportunities,
              "reps": _reps(deals, sources["sales_teams"], file, notes)}
    return Converted(tables, rejects, notes)


def _read_all(src: Path, cfg: Config, notes: list[str]) -> dict[str, Source | None]:
    files = export_files(src)
    found: dict[str, Source | None] = {}
    used: list[Path] = []
    for name, columns in FILES.items():
        matches = [p for p in files if normalise_header(p.stem).replace("-", "_") == name]
        if not matches:
            if name == "sales_pipeline":
                raise ConversionFailed(f"{src}: no sales_pipeline.csv; found: "
                                       f"{', '.join(p.name for p in files) or 'no CSV files'}")
            notes.append(f"no {name}.csv: {WITHOUT[name]}")
            found[name] = None
            continue
        found[name] = read_columns(matches[0], columns, cfg.encoding)
        used.append(matches[0])
    notes += [f"skipped {p.name}: not part of the Maven export's data" for p in files if p not in used]
    return found


def _deals(pipeline: Source, cfg: Config, notes: list[str]) -> tuple[pl.DataFrame, list[Reject]]:
    file, rejects = pipeline.name, []
    frame = with_dates(pipeline.frame, {"engage_date": "engaged_at", "close_date": "closed_text"}, file, cfg,
                       HINT, notes)
    stage = pl.col("deal_stage").str.to_lowercase()
    frame = frame.with_columns(status=stage.replace_strict(STATUS, default=None))
    for bad, column, reason in (
        (pl.col("opportunity_id").is_null(), "opportunity_id", "opportunity_id is empty"),
        (pl.col("status").is_null(), "deal_stage", "deal_stage must be Prospecting, Engaging, Won or Lost"),
        (pl.col("_bad_engaged_at"), "engage_date", "not a date"),
        (pl.col("_bad_closed_text"), "close_date", "not a date"),
        ((pl.col("status") != "open") & pl.col("closed_text").is_null(), "close_date",
         "a won or lost deal needs its close_date"),
        ((pl.col("status") != "open") & pl.col("engaged_at").is_null(), "engage_date",
         "a won or lost deal needs its engage_date (when the opportunity entered the funnel)"),
    ):
        frame, found = reject_where(frame, bad, file, column, reason)
        rejects += found
    frame, found = reject_duplicates(frame, "opportunity_id", file)
    rejects += found

    # the export date: the latest date of the deals kept (ISO text sorts as time)
    export = max((d for d in (frame["engaged_at"].max(), frame["closed_text"].max()) if d), default=None)
    undated = frame.filter(pl.col("engaged_at").is_null())
    if undated.height:
        if export is None:
            raise ConversionFailed(f"{file}: no deal has an engage_date or close_date; nothing places it in time")
        by_stage = ", ".join(f"{n} {s}" for s, n in undated.group_by("deal_stage").len().sort("deal_stage").rows())
        notes.append(f"{file}: {undated.height} open deals have no engage_date ({by_stage}): created_at = "
                     f"the export date {export[:10]} (is_created_at_estimated = true), no stage row")
    value = pl.col("close_value").cast(pl.Float64, strict=False)
    frame = frame.with_columns(
        lead_id=pl.lit(LEAD_PREFIX) + pl.col("opportunity_id"),
        created_at=pl.col("engaged_at").fill_null(pl.lit(export)),
        # one deal policy: a deal closed before it was engaged is kept; its lead (the deal itself) enters
        # the funnel when it closed, and the canonical rule takes the deal as created then, with a note
        entered_at=pl.when(pl.col("status") != "open").then(pl.min_horizontal("engaged_at", "closed_text"))
        .otherwise("engaged_at"),
        is_created_at_estimated=pl.when(pl.col("engaged_at").is_null()).then(pl.lit("true")).otherwise(pl.lit("false")),
        closed_at=pl.when(pl.col("status") != "open").then("closed_text"),
        # lost deals' 0 is their real value; text that is not a number goes through for the canonical
        # import to reject with this line
        amount=pl.when(value.is_not_null()).then(value.cast(pl.String)).otherwise(pl.col("close_value")),
        deal_stage=pl.col("deal_stage").str.to_titlecase(),
        owner_id=_spaces(pl.col("sales_agent")),
        account_id=_spaces(pl.col("account")),
    )
    return frame, rejects


def _join_lookups(deals: pl.DataFrame, sources: dict[str, Source | None], notes: list[str]) -> pl.DataFrame:
    file = sources["sales_pipeline"].name
    accounts, products, teams = sources["accounts"], sources["products"], sources["sales_teams"]
    if accounts is not None:
        a = accounts.frame.unique("account", keep="first", maintain_order=True)
        employees = pl.col("employees").cast(pl.Float64, strict=False)
        band = pl.when(employees.is_null()).then(None)
        for limit, label in SIZE_BANDS:
            band = band.when(employees < limit).then(pl.lit(label))
        a = a.select(
            _key(pl.col("account")).alias("_account"),
            industry=pl.col("sector").str.to_lowercase().replace(CORRECTIONS["sector"]),
            company_size=band.otherwise(pl.lit("10000+")),
            country=pl.col("office_location").replace(CORRECTIONS["office_location"]))
        _note_corrections(accounts, notes)
        deals = deals.join(a, left_on=_key(pl.col("account_id")), right_on="_account", how="left")
        unknown = deals.filter(pl.col("account_id").is_not_null() & pl.col("industry").is_null()
                               & pl.col("company_size").is_null())["account_id"].unique().sort()
        if unknown.len():
            notes.append(f"{file}: {unknown.len()} accounts are not in {accounts.name} (e.g. {unknown[0]!r}): "
                         "no firmographics for their deals")
    else:
        deals = deals.with_columns(industry=pl.lit(None, pl.String), company_size=pl.lit(None, pl.String),
                                   country=pl.lit(None, pl.String))
    if products is not None:
        p = products.frame.unique("product", keep="first", maintain_order=True).select(
            _key(pl.col("product")).alias("_product"), pl.col("product").alias("_product_name"),
            "series", "sales_price")
        deals = deals.join(p, left_on=_key(pl.col("product")), right_on="_product", how="left")
        unknown = deals.filter(pl.col("_product_name").is_null() & pl.col("product").is_not_null())
        if unknown.height:
            notes.append(f"{file}: {unknown['product'].n_unique()} product names are not in {products.name} "
                         f"(e.g. {unknown['product'][0]!r}): kept as written, without series or price")
        respelled = deals.filter(pl.col("_product_name").is_not_null() & (pl.col("_product_name") != pl.col("product")))
        if respelled.height:
            pairs = respelled.select("product", "_product_name").unique().sort("product").rows()
            notes.append(f"{file}: product names written as in {products.name}: "
                         + ", ".join(f"{a} -> {b}" for a, b in pairs))
        deals = deals.with_columns(product=pl.coalesce("_product_name", _spaces(pl.col("product"))))
    else:
        deals = deals.with_columns(product=_spaces(pl.col("product")), series=pl.lit(None, pl.String),
                                   sales_price=pl.lit(None, pl.String))
    if teams is not None:
        t = teams.frame.unique("sales_agent", keep="first", maintain_order=True).select(
            _key(pl.col("sales_agent")).alias("_agent"), manager=_spaces(pl.col("manager")),
            regional_office=pl.col("regional_office"))
        deals = deals.join(t, left_on=_key(pl.col("owner_id")), right_on="_agent", how="left")
    else:
        deals = deals.with_columns(manager=pl.lit(None, pl.String), regional_office=pl.lit(None, pl.String))
    return deals.with_columns(region="regional_office").sort(SOURCE_LINE)


def _note_corrections(accounts: Source, notes: list[str]) -> None:
    for column, fixes in CORRECTIONS.items():
        values = accounts.frame[column]
        column_values = values.str.to_lowercase() if column == "sector" else values
        for wrong, right in fixes.items():
            n = int((column_values == wrong).sum())
            if n:
                notes.append(f"{accounts.name}: {column} {wrong!r} read as {right!r} ({n} account{'s' * (n != 1)})")


def _reps(deals: pl.DataFrame, teams: Source | None, file: str, notes: list[str]) -> pl.DataFrame:
    columns = ("rep_id", "name", "role", "team", "region", "manager_id")
    frames = []
    if teams is not None:
        t = teams.frame.unique("sales_agent", keep="first", maintain_order=True).with_columns(
            rep_id=_spaces(pl.col("sales_agent")), manager_id=_spaces(pl.col("manager")))
        agents = t.select("rep_id", SOURCE_LINE, name="rep_id", role=pl.lit("AE"), team="regional_office",
                          region="regional_office", manager_id="manager_id")
        managers = (t.drop_nulls("manager_id").group_by("manager_id")
                    .agg(pl.col("regional_office").mode().first(), pl.col(SOURCE_LINE).min())
                    .select(SOURCE_LINE, rep_id="manager_id", name="manager_id", role=pl.lit("Manager"),
                            team="regional_office", region="regional_office", manager_id=pl.lit(None, pl.String)))
        frames += [finish(agents, columns, teams.name),
                   finish(managers.filter(~pl.col("rep_id").is_in(agents["rep_id"].implode())), columns, teams.name)]
    known = pl.concat(frames)["rep_id"] if frames else pl.Series([], dtype=pl.String)
    missing = (deals.drop_nulls("owner_id").filter(~pl.col("owner_id").is_in(known.implode()))
               .group_by("owner_id").agg(pl.col(SOURCE_LINE).min()).sort(SOURCE_LINE))
    if missing.height:
        if teams is not None:
            notes.append(f"{file}: {missing.height} sales agents are not in {teams.name} "
                         f"(e.g. {missing['owner_id'][0]!r}): added as reps without team or manager")
        frames.append(finish(missing.select(SOURCE_LINE, rep_id="owner_id", name="owner_id", role=pl.lit("AE"),
                                            team=pl.lit(None, pl.String), region=pl.lit(None, pl.String),
                                            manager_id=pl.lit(None, pl.String)), columns, file))
    return pl.concat(frames) if frames else pl.DataFrame(
        schema={**{c: pl.String for c in columns}, SOURCE_FILE: pl.String, SOURCE_LINE: pl.Int64})


def _spaces(expr: pl.Expr) -> pl.Expr:
    """A name with single spaces (`Anna  Snelling ` -> `Anna Snelling`)."""
    return expr.str.replace_all(r"\s+", " ").str.strip_chars()


def _key(expr: pl.Expr) -> pl.Expr:
    """A name for joining: case, spaces and punctuation ignored (`GTXPro` = `GTX Pro` = `gtx-pro`)."""
    return expr.str.to_lowercase().str.replace_all(r"[^\p{L}\p{N}]+", "")

