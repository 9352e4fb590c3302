"""`--format hubspot`: HubSpot contacts and deals exports (CSV or XLSX, any file names) -> canonical tables.

Each file in the folder is recognised by its header: deals ("Deal Stage", "Deal Name", "Deal owner"),
contacts ("Lifecycle Stage", "Contact owner", "Record ID - Contact", "Email"), companies ("Company
name"); both label generations are read: "Became a Lead Date" / "Original Source" and 2026's
`Date entered "Lead (Lifecycle Stage Pipeline)"` / "Original Traffic Source". A contact is a funnel
person (lead), its source the original (traffic) source, else the portal's own `Lead Source` (kept as
`lead_source` either way); a deal is an opportunity, belonging to its first associated contact
(`Associated Contact IDs`, else a contact whose `Associated Deal IDs` lists it, else the contact with
the deal's e-mail in `Associated Contact` "Name (e-mail)" or `Contact email`), else standing alone as
`deal-<id>`. Owners are names (Contact owner, Deal owner) and become reps by name. Rejects name the
canonical table of their file (contacts: leads, deals: opportunities) and why a time is not one.

HubSpot writes wall-clock times in the account time zone with no offset: the config's `timezone`
(or `[hubspot] timezone` in a mapping file) says which. A file re-saved by a spreadsheet (unquoted,
CRLF, `M/D/YY H:MM` or `D/M/YYYY`) is read too: the day/month order is detected per file from
values like 13/2 or 2/13, or taken from `timestamp_formats` (config or mapping file); a file whose
slashed dates never say which, with no format configured, stops with the file, column and a value.

Mapping file (`--mapping`), every key optional:

    [hubspot]
    timezone = "Europe/Madrid"
    timestamp_formats = ["%d/%m/%Y %H:%M"]
    [hubspot.lifecycle_stage]      # lifecycle stage (label or internal name) -> stage, "" = none
    "Subscriber" = "lead"
    [hubspot.deal_stage]           # deal stage label, or "Label (Pipeline)" -> stage
    "Contract Sent" = "sql"
    [hubspot.lead_status]          # Lead Status value -> stage (no defaults: SAL lives here)
    "Connected" = "sal"
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from datetime import UTC, datetime
from pathlib import Path

from analytics.core.config import Config
from analytics.importers.formats import ConversionFailed, Converted, Reject
from analytics.importers.formats.common import (
    Clock,
    Sheet,
    StageMap,
    dedupe,
    employees_band,
    load_settings,
    number_text,
    read_sheet,
    role_stage,
    truthy,
)
from analytics.importers.formats.dates import date_reason, parse_dates
from analytics.importers.formats.ledger import Emitter, Ledger

# lifecycle stage (internal name) -> role; "" = not a funnel stage
DEFAULT_LIFECYCLE = {
    "subscriber": "",          # pre-funnel: a subscriber counts once it becomes a lead
    "lead": "lead",
    "marketingqualifiedlead": "mql",
    "salesqualifiedlead": "sql",
    "opportunity": "opportunity",
    "customer": "won",
    "evangelist": "",          # after the funnel; a customer date, if any, already says won
    "other": "",
}
DEFAULT_DEAL_STAGE = {
    "Appointment Scheduled": "opportunity", "appointmentscheduled": "opportunity",
    "Qualified to Buy": "opportunity", "qualifiedtobuy": "opportunity",
    "Presentation Scheduled": "opportunity", "presentationscheduled": "opportunity",
    "Decision Maker Bought-In": "opportunity", "decisionmakerboughtin": "opportunity",
    "Contract Sent": "opportunity", "contractsent": "opportunity",
    "Closed Won": "won", "closedwon": "won",
    "Closed Lost": "lost", "closedlost": "lost",
}

CONTACT_ID = ("Record ID - Contact", "Record ID", "Contact ID", "hs_object_id")
DEAL_ID = ("Record ID - Deal", "Record ID", "Deal ID", "hs_object_id")
CREATED = ("Create Date", "Created Date", "createdate")
LIFECYCLE_DATE = [
    re.compile(r'^Date entered "(.+) \(Lifecycle Stage Pipeline\)"$', re.I),
    re.compile(r"^Became an? (.+?) Date$", re.I),
    re.compile(r"^hs_lifecyclestage_(\w+)_date$", re.I),
]
DEAL_STAGE_DATE = re.compile(r'^Date entered "(.+) \((.+)\)"$', re.I)
TWO_DIGIT_YEAR = re.compile(r"^\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2}(\s|$)")
FORMAT_HINT = (" with timestamp_formats in closed_loop.toml or in the mapping file's [hubspot] section, "
               "e.g. \"%d/%m/%Y %H:%M\" or \"%m/%d/%y %H:%M\"")
SCIENTIFIC = re.compile(r"^\d+(\.\d+)?[eE]\+\d+$")
EXAMPLE = "2026-02-25 22:36"  # how a HubSpot export writes a time
# a deal's contacts by e-mail, when it has no association ids: a contact e-mail property, or the
# association's label column, which HubSpot writes as "Name (e-mail)"
DEAL_EMAIL = ("Contact email", "Associated Contact Email", "Associated Contact", "Associated Contacts")
EMAIL = re.compile(r"[^\s;,()<>\"']+@[^\s;,()<>\"']+\.[^\s;,()<>\"']+")
# the canonical table a reject of each kind of file belongs to (company fields go into leads)
REJECT_TABLE = {"contacts": "leads", "deals": "opportunities", "companies": "leads"}
# the labels this importer reads (an all-properties export has ~300 columns; the rest are not kept)
USED = {label.lower() for label in (
    *CONTACT_ID, *DEAL_ID, *CREATED, "Contact ID", "Deal ID", "Company ID", "First Name", "Email", "Name",
    "Lifecycle Stage", "Lead Status", "Contact owner", "HubSpot Owner", "Owner", "Deal owner", "Company owner",
    "Original Source", "Original Traffic Source", "Lead Source", "Original Source Drill-Down 1",
    "Original Traffic Source Drill-Down 1", "HubSpot Score", "Industry", "Industry (Company)", "Company size",
    "Number of Employees", "Country/Region", "Country", "Country/Region (Company)", "Company Name", "Company name",
    "Company Domain Name", "Associated Company (Primary)", "Associated Company", "Associated Company IDs (Primary)",
    "Associated Company IDs", "Associated Deal IDs", "Associated Contact IDs", "First Deal Created Date", *DEAL_EMAIL,
    "Deal Name", "Deal Stage", "Pipeline", "Amount", "Close Date", "Deal Type", "Closed Lost Reason",
    "Closed Won Reason", "Is Closed Won", "Is closed lost", "Is Deal Closed?", "Products", "Associated Product",
    "Currency", "Deal currency code")}


def _used(label: str) -> bool:
    low = label.lower()
    return low in USED or "date" in low or low.startswith("record id") or low.startswith("hs_lifecyclestage_")


def _lc(label: str) -> str:
    """A lifecycle stage label or internal name as the internal name ("Marketing Qualified Lead")."""
    key = re.sub(r"[^a-z0-9]", "", label.lower())
    return {"otherlifecycle": "other"}.get(key, key)


def _segments(header: list[str]) -> list[str]:
    """Labels repeat when an export carries an associated object's properties after its own
    (`Record ID - Contact`, …, `Record ID - Company`, `Create Date`, …): name the later ones
    `Create Date (Company)`; any other repeat gets ` (2)`."""
    out, obj = [], None
    markers = [h for h in header if re.match(r"^Record ID - .+$", h)]
    for h in header:
        m = re.match(r"^Record ID - (.+)$", h)
        if m:
            obj = m.group(1) if h != markers[0] else None
            out.append(h)
        else:
            out.append(f"{h} ({obj})" if obj else h)
    return dedupe(out)


def convert(src: Path, cfg: Config, mapping: Path | None = None) -> Converted:
    return convert_with_ledger(src, cfg, mapping)[0]


def convert_with_ledger(src: Path, cfg: Config, mapping: Path | None = None) -> tuple[Converted, Ledger]:
    run = _HubSpot(Path(src), cfg, mapping)
    return run.run(), run.ledger


class _HubSpot:
    def __init__(self, src: Path, cfg: Config, mapping: Path | None) -> None:
        where = mapping.name if mapping else "defaults"
        s = load_settings(mapping, "hubspot", {"timezone", "timestamp_formats", "lifecycle_stage",
                                               "deal_stage", "lead_status"})
        self.src, self.cfg = src, cfg
        self.clock = Clock(s.get("timezone", cfg.timezone), f"{where}: timezone")
        self.formats = tuple(s.get("timestamp_formats", cfg.timestamp_formats))
        self.lifecycle: dict[str, str | None] = {k: role_stage(cfg, v) if v else None
                                                 for k, v in DEFAULT_LIFECYCLE.items()}
        for label, stage in s.get("lifecycle_stage", {}).items():
            if not isinstance(stage, str) or (stage and stage not in cfg.all_stages):
                raise ConversionFailed(f"{where}: [hubspot.lifecycle_stage] {label!r} = {stage!r} is not a "
                                       f"configured stage (one of: {', '.join(cfg.all_stages)}, or \"\")")
            self.lifecycle[_lc(label)] = stage or None
        self.deal_stage = StageMap(DEFAULT_DEAL_STAGE, s.get("deal_stage", {}), cfg,
                                   f"{where}: [hubspot.deal_stage]")
        self.lead_status = StageMap({}, s.get("lead_status", {}), cfg, f"{where}: [hubspot.lead_status]")
        self.rejects: list[Reject] = []
        self.notes: list[str] = []
        self.ledger = Ledger()
        self.out = Emitter(self.ledger)
        self.parsed: dict[tuple[str, str], list[datetime | None]] = {}
        self.why: dict[tuple[str, str], dict[int, str]] = {}
        self.noted: set[str] = set()
        self.stage_counts: Counter = Counter()
        self.tables: dict[str, str] = {}  # file -> the canonical table its rejects belong to

    # --- plumbing -----------------------------------------------------------------------------------

    def reject(self, sheet: Sheet, i: int, column: str | None, value, reason: str) -> None:
        self.rejects.append(Reject(sheet.file, sheet.lines[i], column, value, reason, self.tables.get(sheet.file)))
        self.ledger.mark(sheet.file, sheet.lines[i], Ledger.REJECTED)

    def time(self, sheet: Sheet, i: int, column: str | None, required: bool = False) -> datetime | None:
        """A HubSpot time (wall clock in the account zone) as UTC; None if empty or unreadable
        (unreadable: a reject naming the column; the row still loads unless `required`)."""
        value = sheet.columns[column][i] if column else None
        if value is None:
            if required:
                self.reject(sheet, i, column, None, "required value missing")
            return None
        got = self.times(sheet, column)[i]
        if got is None:
            self.reject(sheet, i, column, value,
                        self.why[(sheet.file, column)].get(i, "") + ("" if required else " (value ignored)"))
        return got

    def times(self, sheet: Sheet, column: str) -> list[datetime | None]:
        """A date column parsed by the rules the importers share (analytics.importers.formats.mapped.parse_dates:
        day/month order from the values of all the file's date columns, else the configured formats,
        else stop), then read as wall-clock time in the account zone; `why` keeps each bad value's reason."""
        key = (sheet.file, column)
        if key not in self.parsed:
            also = {c: sheet.columns[c] for c in self.date_columns(sheet)}
            dates = parse_dates(sheet.columns[column], sheet.file, column, self.formats, hint=FORMAT_HINT,
                                also=also)
            if dates.note and sheet.file not in self.noted:
                self.noted.add(sheet.file)
                short = any(TWO_DIGIT_YEAR.match(v or "") for values in also.values() for v in values)
                self.notes.append(dates.note + ("; 2-digit years read as 20xx up to 69, else 19xx" if short else ""))
            self.parsed[key] = [None if v is None else v.astimezone(UTC) if v.tzinfo
                                else self.clock.localize(v) for v in dates.values]
            values = sheet.columns[column]
            self.why[key] = {i: date_reason(values[i], dates.order, EXAMPLE) if dates.values[i] is None else
                             f"not a time in the account time zone {self.clock.zone_name}: the clocks skip it "
                             "(daylight saving)" for i, v in enumerate(self.parsed[key]) if v is None and values[i]}
        return self.parsed[key]

    def ids(self, sheet: Sheet, column: str | None, i: int) -> list[str]:
        value = sheet.columns[column][i] if column else None
        if not value:
            return []
        out = []
        for part in re.split(r"[;,]", value):
            part = part.strip()
            if part:
                out.append(self.check_id(sheet, column, part))
        return out

    def record(self, sheet: Sheet, i: int, id_col: str, created_col: str,
               seen: dict) -> tuple[str | None, datetime | None]:
        """A row's Record ID and Create Date; (None, None) after a reject (missing, repeated, bad date)."""
        rid = sheet.columns[id_col][i]
        if rid is None:
            self.reject(sheet, i, id_col, None, "required value missing")
            return None, None
        rid = self.check_id(sheet, id_col, rid)
        if rid in seen:
            self.reject(sheet, i, id_col, rid, "duplicate Record ID (the first row is kept)")
            return None, None
        return rid, self.time(sheet, i, created_col, required=True)

    @staticmethod
    def check_id(sheet: Sheet, column: str, value: str) -> str:
        if SCIENTIFIC.match(value):
            raise ConversionFailed(
                f"{sheet.file}: column {column!r}: {value!r} is an id a spreadsheet rounded to scientific "
                "notation; the ids are lost. Export again from HubSpot (or format the column as text before saving)")
        return value[:-2] if value.endswith(".0") and value[:-2].isdigit() else value

    # --- reading --------------------------------------------------------------------------------------

    def read(self) -> dict[str, list[Sheet]]:
        kinds: dict[str, list[Sheet]] = defaultdict(list)
        ignored = []
        files = sorted(p for p in self.src.iterdir() if p.is_file() and p.suffix.lower() in (".csv", ".txt", ".xlsx")
                       and not p.name.startswith((".", "~$")))
        for path in files:
            sheet = read_sheet(path, self.cfg.encoding, self.rejects, keep=_used, rename=_segments)
            kind = ("deals" if sheet.has("Deal Stage", "Deal Name", "Deal owner", "Record ID - Deal") else
                    "contacts" if sheet.has("Record ID - Contact", "Lifecycle Stage", "Contact owner", "Email",
                                            "First Name") else
                    "companies" if sheet.has("Company name", "Company owner", "Company Domain Name") else None)
            if kind is None:
                ignored.append(path.name)
                continue
            self.ledger.read(sheet)
            kinds[kind].append(sheet)
            self.tables[sheet.file] = REJECT_TABLE[kind]
            for r in self.rejects:  # rows the file's reading refused
                if r.file == sheet.file:
                    r.table = REJECT_TABLE[kind]
            resaved = not sheet.quoted or sheet.crlf
            self.notes.append(f"{sheet.file}: HubSpot {kind} export, {len(sheet):,} rows"
                              + (" (re-saved by a spreadsheet: unquoted values or CRLF)" if resaved else ""))
        if not kinds.get("contacts") and not kinds.get("deals"):
            raise ConversionFailed(f"{self.src}: no HubSpot contacts or deals export found (a CSV or XLSX whose "
                                   "header has Record ID with Lifecycle Stage / Contact owner, or Deal Stage; found: "
                                   f"{', '.join(p.name for p in files) or 'no files'})")
        if ignored:
            self.notes.append(f"not read (not a HubSpot contacts, deals or companies export): {', '.join(ignored)}")
        self.notes.append(f"HubSpot times read as wall-clock time in {self.clock.zone_name}, taken as the account "
                          "time zone (config `timezone`" + (
                              "; UTC is the default: set it if the HubSpot account's zone differs)"
                              if self.clock.zone_name == "UTC" else ")"))
        return kinds

    # --- the conversion -------------------------------------------------------------------------------

    def run(self) -> Converted:
        kinds = self.read()
        self.companies = self.read_companies(kinds.get("companies", []))
        self.people: dict[str, dict] = {}
        self.entries: dict[str, list] = defaultdict(list)
        self.reps: dict[str, tuple[str, int]] = {}
        self.deal_links: dict[str, list[tuple[datetime, str]]] = defaultdict(list)
        self.emails: dict[str, list[tuple[datetime, str]]] = defaultdict(list)  # e-mail -> (created, contact)
        for sheet in kinds.get("contacts", []):
            self.contacts(sheet)
        deals = {}
        for sheet in kinds.get("deals", []):
            deals.update(self.deals(sheet))
        self.link(deals)
        self.finish(deals, kinds)
        return Converted(self.out.frames(), self.rejects, self.notes)

    def read_companies(self, sheets: list[Sheet]) -> dict[str, dict]:
        found = {}
        for sheet in sheets:
            id_col = sheet.name("Record ID - Company", "Record ID", "Company ID")
            for i in range(len(sheet)):
                cid = sheet.columns[id_col][i] if id_col else None
                if cid:
                    cid = self.check_id(sheet, id_col, cid)
                    found[cid] = {"industry": sheet.col("Industry")[i],
                                  "company_size": employees_band(sheet.col("Number of Employees", "Company size")[i]),
                                  "country": sheet.col("Country/Region", "Country")[i],
                                  "company": sheet.col("Company name", "Name")[i]}
                self.ledger.mark(sheet.file, sheet.lines[i], "companies used for the firmographics of contacts")
        return found

    @staticmethod
    def date_columns(sheet: Sheet) -> list[str]:
        """Every column that holds dates: the evidence for the file's day/month order."""
        return [h for h in sheet.columns if "date" in h.lower() or any(p.match(h) for p in LIFECYCLE_DATE)]

    def contacts(self, sheet: Sheet) -> None:
        id_col = sheet.name(*CONTACT_ID)
        created_col = sheet.name(*CREATED)
        for column, label in ((id_col, "Record ID"), (created_col, "Create Date")):
            if column is None:
                raise ConversionFailed(f"{sheet.file}: required column {label!r} is missing (a HubSpot contacts "
                                       "export needs Record ID and Create Date)")
        stage_cols: list[tuple[str, str]] = []  # (column, lifecycle internal name); Date entered first
        for pattern in LIFECYCLE_DATE:
            for h in sheet.columns:
                if (m := pattern.match(h)) and not h.lower().startswith("date exited"):
                    stage_cols.append((h, _lc(m.group(1))))
        source_col, lead_source_col = self.source_columns(sheet)
        email_col = sheet.name("Email")
        owner_col = sheet.name("Contact owner", "Contact Owner", "HubSpot Owner", "Owner")
        lifecycle_col, status_col = sheet.name("Lifecycle Stage"), sheet.name("Lead Status")
        deal_col = sheet.name("Associated Deal IDs")
        company_cols = [c for c in (sheet.name(n) for n in ("Associated Company IDs (Primary)",
                                                            "Associated Company IDs", "Record ID - Company")) if c]
        first_deal_col = sheet.name("First Deal Created Date")
        out_of_range = prefunnel = 0
        unknown_stage: Counter = Counter()
        for i in range(len(sheet)):
            cid, created = self.record(sheet, i, id_col, created_col, self.people)
            if created is None:
                continue
            line = sheet.lines[i]
            companies = next((ids for c in company_cols if (ids := self.ids(sheet, c, i))), [])
            company = self.companies.get(companies[0], {}) if companies else {}
            owner = sheet.columns[owner_col][i] if owner_col else None
            if owner:
                self.reps.setdefault(owner, (sheet.file, line))
            score_text = sheet.col("HubSpot Score")[i]
            score = _number(score_text)
            if score is not None and not self.cfg.score_min <= score <= self.cfg.score_max:
                out_of_range += 1
                score = None
            row = {"lead_id": cid, "created_at": created,
                   "source": sheet.columns[source_col][i] if source_col else None,
                   "account_id": companies[0] if companies else None,
                   "industry": sheet.col("Industry", "Industry (Company)")[i] or company.get("industry"),
                   "company_size": employees_band(sheet.col("Company size", "Number of Employees")[i])
                   or company.get("company_size"),
                   "country": sheet.col("Country/Region", "Country", "Country/Region (Company)")[i]
                   or company.get("country"),
                   "owner_id": owner, "score": score,
                   "crm_object": "Contact",
                   "company": sheet.col("Company Name", "Associated Company (Primary)", "Associated Company")[i]
                   or company.get("company"),
                   "source_detail": sheet.col("Original Source Drill-Down 1",
                                              "Original Traffic Source Drill-Down 1")[i],
                   "lifecycle_stage": sheet.columns[lifecycle_col][i] if lifecycle_col else None,
                   "lead_status": sheet.columns[status_col][i] if status_col else None,
                   "hubspot_score": score_text}
            if lead_source_col:
                row["lead_source"] = sheet.columns[lead_source_col][i]
            self.people[cid] = {"row": row, "file": sheet.file, "line": line, "created": created}
            if email_col and (email := sheet.columns[email_col][i]):
                self.emails[email.lower()].append((created, cid))
            for deal in self.ids(sheet, deal_col, i):
                self.deal_links[deal].append((created, cid))
            # lifecycle entries: one per stage, the Date entered column first, else Became a … Date
            entries: list[tuple[str, datetime, str, str]] = []
            seen: set[str] = set()
            for column, key in stage_cols:
                if key in seen or sheet.columns[column][i] is None:
                    continue
                at = self.time(sheet, i, column)
                if at is None:
                    continue
                seen.add(key)
                if key not in self.lifecycle:
                    unknown_stage[key] += 1
                elif stage := self.lifecycle[key]:
                    entries.append((stage, at, column, key))
            current = _lc(sheet.columns[lifecycle_col][i] or "") if lifecycle_col else ""
            if current and current not in self.lifecycle:
                unknown_stage[current] += 1
            current_stage = self.lifecycle.get(current)
            lead_stage = self.cfg.main_stages[0]
            if not entries and current and current in self.lifecycle and current_stage is None:
                prefunnel += 1  # a subscriber (or other) that never became a lead
            else:
                if not any(e[0] == lead_stage for e in entries):
                    entries.append((lead_stage, created, "Create Date (no lead date)", "lead"))
                floor = max(e[1] for e in entries)
                if current_stage and not any(e[0] == current_stage for e in entries):
                    entries.append((current_stage, floor, "Lifecycle Stage (no date in the export; earliest "
                                                          "possible time)", current))
                if first_deal_col and (at := self.time(sheet, i, first_deal_col)):
                    entries.append((self.cfg.opportunity_stage, at, first_deal_col, "opportunity"))
                status = sheet.columns[status_col][i] if status_col else None
                if status:
                    found, stage = self.lead_status.get(status)
                    if found and stage:
                        entries.append((stage, floor, "Lead Status (no date in the export; earliest possible "
                                                      "time)", status))
            for stage, at, source, crm in entries:
                self.entries[cid].append((stage, at, source, crm, sheet.file, line))
        if out_of_range:
            self.notes.append(f"{sheet.file}: {out_of_range} HubSpot Scores outside {self.cfg.score_min:g}-"
                              f"{self.cfg.score_max:g} left out of `score` (kept in `hubspot_score`)")
        if prefunnel:
            self.notes.append(f"{sheet.file}: {prefunnel} contacts are subscribers (or other) that never became "
                              "leads: they load as leads with no stage, so the funnel does not count them")
        if unknown_stage:
            self.notes.append(f"{sheet.file}: lifecycle stages with no mapping, ignored (map them under "
                              "[hubspot.lifecycle_stage]): "
                              + ", ".join(f"{k} ({n})" for k, n in unknown_stage.items()))

    def source_columns(self, sheet: Sheet) -> tuple[str | None, str | None]:
        """leads.source and the kept `lead_source`: the original (traffic) source when the file has
        values in it, else the contacts' own Lead Source property; Lead Source is kept as the
        `lead_source` column either way (a dimension to group by), never dropped."""
        original = sheet.name("Original Source", "Original Traffic Source")
        lead_source = sheet.name("Lead Source")
        if lead_source is None:
            return original, None
        given = sum(v is not None for v in sheet.columns[lead_source])
        if original and any(v is not None for v in sheet.columns[original]):
            self.notes.append(f"{sheet.file}: source is {original}; {lead_source} is kept as lead_source "
                              f"({given:,} contacts have one)")
            return original, lead_source
        self.notes.append(f"{sheet.file}: source is {lead_source} ({given:,} contacts have one), as the export has "
                          + (f"no {original} values" if original else "no Original Source column")
                          + "; it is kept as lead_source too")
        return lead_source, lead_source

    def deals(self, sheet: Sheet) -> dict[str, dict]:
        id_col, created_col = sheet.name(*DEAL_ID), sheet.name(*CREATED)
        for column, label in ((id_col, "Record ID"), (created_col, "Create Date")):
            if column is None:
                raise ConversionFailed(f"{sheet.file}: required column {label!r} is missing (a HubSpot deals export "
                                       "needs Record ID and Create Date)")
        close_col = sheet.name("Close Date")
        flags = [sheet.name(c) for c in ("Is Closed Won", "Is closed lost", "Is Deal Closed?")]
        stage_cols = [(h, m.group(1), m.group(2)) for h in sheet.columns
                      if (m := DEAL_STAGE_DATE.match(h)) and "lifecycle stage pipeline" not in h.lower()]
        contact_col = sheet.name("Associated Contact IDs")
        email_cols = [c for c in (sheet.name(n) for n in DEAL_EMAIL) if c]
        deals: dict[str, dict] = {}
        for i in range(len(sheet)):
            did, created = self.record(sheet, i, id_col, created_col, deals)
            if created is None:
                continue
            label = sheet.col("Deal Stage")[i]
            pipeline = sheet.col("Pipeline")[i]
            won, lost, closed = (truthy(sheet.columns[c][i]) if c else None for c in flags)
            mapped = self.map_deal_stage(label, pipeline) if label else None
            if won:
                status = "won"
            elif lost or (closed and won is False):
                status = "lost"
            elif closed is False or (won is False and lost is False):
                status = "open"
            else:
                status = {self.cfg.won_stage: "won", self.cfg.lost_stage: "lost"}.get(mapped, "open")
            close = self.time(sheet, i, close_col) if close_col else None
            # an open deal's Close Date is the date it is expected to close: planned, not an event
            closed_at, expected_close_at = (None, close) if status == "open" else (close, None)
            owner = sheet.col("Deal owner", "Deal Owner")[i]
            if owner:
                self.reps.setdefault(owner, (sheet.file, sheet.lines[i]))
            stages = []
            for column, stage_label, stage_pipeline in stage_cols:
                if sheet.columns[column][i] and (at := self.time(sheet, i, column)):
                    stage = self.map_deal_stage(stage_label, stage_pipeline)
                    if stage:
                        stages.append((stage, at, column, stage_label))
            deals[did] = {
                "row": {"opportunity_id": did, "created_at": created, "closed_at": closed_at,
                        "expected_close_at": expected_close_at, "status": status,
                        "amount": number_text(sheet.col("Amount")[i]),
                        "currency": sheet.col("Currency", "Deal currency code")[i],
                        "product": sheet.col("Products", "Associated Product")[i], "owner_id": owner,
                        "loss_reason": sheet.col("Closed Lost Reason")[i] if status == "lost" else None,
                        "win_reason": sheet.col("Closed Won Reason")[i] if status == "won" else None,
                        "account_id": (self.ids(sheet, sheet.name("Associated Company IDs"), i) or [None])[0],
                        "deal_name": sheet.col("Deal Name")[i], "crm_stage": label, "pipeline": pipeline,
                        "deal_type": sheet.col("Deal Type")[i]},
                "contacts": self.ids(sheet, contact_col, i), "stages": stages, "file": sheet.file,
                "emails": [e.lower() for c in email_cols for e in EMAIL.findall(sheet.columns[c][i] or "")],
                "line": sheet.lines[i], "source": sheet.col("Original Source", "Original Traffic Source")[i]}
        return deals

    def map_deal_stage(self, label: str, pipeline: str | None) -> str | None:
        if pipeline:
            found, stage = self.deal_stage.get(f"{label} ({pipeline})")
            if found:
                return stage
        found, stage = self.deal_stage.get(label)
        if not found:
            self.deal_stage.unmapped[label] += 1
            return self.cfg.opportunity_stage
        return stage

    def link(self, deals: dict[str, dict]) -> None:
        lone = via_deal = via_contact = via_email = missing_contact = shared_email = 0
        early: list[str] = []
        for did, deal in deals.items():
            person = next((c for c in deal["contacts"] if c in self.people), None)
            by_email = next((self.emails[e] for e in deal["emails"] if e in self.emails), None)
            if person:
                via_deal += 1
            elif self.deal_links.get(did):
                person = min(self.deal_links[did])[1]
                via_contact += 1
            elif by_email:  # no association ids: the contact with the deal's e-mail (the earliest, if several)
                person = min(by_email)[1]
                via_email += 1
                shared_email += len(by_email) > 1
            if person is None:
                missing_contact += bool(deal["contacts"] or deal["emails"])
                lone += 1
                person = f"deal-{did}"
                self.people[person] = {"row": {"lead_id": person, "created_at": deal["row"]["created_at"],
                                               "source": deal["source"], "owner_id": deal["row"]["owner_id"],
                                               "account_id": deal["row"]["account_id"], "crm_object": "Deal"},
                                       "file": deal["file"], "line": deal["line"], "created": deal["row"]["created_at"]}
                self.entries[person].append((self.cfg.main_stages[0], deal["row"]["created_at"],
                                             "deal Create Date (a deal with no contact)", None, deal["file"],
                                             deal["line"]))
            deal["row"]["lead_id"] = person
            row, file, line = deal["row"], deal["file"], deal["line"]
            entries = [(self.cfg.opportunity_stage, row["created_at"], "deal Create Date", row["crm_stage"], file,
                        line)]
            entries += [(stage, at, column, label, file, line) for stage, at, column, label in deal["stages"]]
            want = {"won": self.cfg.won_stage, "lost": self.cfg.lost_stage}.get(row["status"])
            if want and row["closed_at"] and not any(s[0] == want for s in deal["stages"]):
                entries.append((want, row["closed_at"], "deal Close Date", row["crm_stage"], file, line))
            first = min(e[1] for e in entries)
            lead = self.people[person]["row"]
            if first < lead["created_at"]:  # one deal policy: the deal keeps its entries, its buyer existed by then
                lead["created_at"] = first
                entries.append((self.cfg.main_stages[0], first, "deal's first date (the contact was created after it)",
                                None, file, line))
                early.append(did)
            self.entries[person] += entries
        if early:
            self.notes.append(f"{len(early):,} deals have dates before their contact was created ("
                              + ", ".join(early[:5]) + " …" * (len(early) > 5) + "): each contact is taken as created "
                              "at its deal's first date, so the deal keeps its stage entries")
        won_by_deal = {d["row"]["lead_id"] for d in deals.values() if d["row"]["status"] == "won"}
        customers = sum(1 for p, entries in self.entries.items() if p not in won_by_deal
                        and any(e[0] == self.cfg.won_stage for e in entries))
        if deals and customers:
            self.notes.append(f"{customers:,} contacts became customers (lifecycle) with no won deal in the export: "
                              "the funnel counts them won; win/loss, sourcing and revenue have no deal for them")
        unknown = sum(1 for d in self.deal_links if d not in deals)
        if deals:
            self.notes.append(f"deals: {via_deal:,} linked through Associated Contact IDs, {via_contact:,} through a "
                              f"contact's Associated Deal IDs, {via_email:,} through a contact's e-mail"
                              + (f" ({shared_email:,} of them by an e-mail several contacts share: the "
                                 "earliest created is taken)" if shared_email else "")
                              + f", {lone:,} with no contact in the export (each stands for its own buyer: "
                              "lead_id = deal-<id>"
                              + (f"; {missing_contact:,} of them name contacts that are not in the export)"
                                 if missing_contact else ")"))
        if unknown:
            self.notes.append(f"{unknown:,} deals named in contacts' Associated Deal IDs are not in a deals export: "
                              "their contacts get the opportunity stage only from lifecycle dates")

    def finish(self, deals: dict[str, dict], kinds: dict[str, list[Sheet]]) -> None:
        self.out.present.update({"leads", "stage_history"})
        for person in self.people.values():
            self.out.add("leads", person["row"], person["file"], person["line"])
        for lead_id, entries in self.entries.items():
            for stage, at, source, crm, file, line in entries:
                self.out.add("stage_history", {"lead_id": lead_id, "stage": stage, "entered_at": at,
                                               "crm_stage": crm, "entered_at_source": source}, file, line)
                self.stage_counts[source if not source.startswith("Date entered") else 'Date entered "…"'] += 1
        if deals:
            self.out.present.add("opportunities")
        for deal in deals.values():
            self.out.add("opportunities", deal["row"], deal["file"], deal["line"])
        if self.reps:
            self.out.present.add("reps")
        for name, (file, line) in self.reps.items():
            self.out.add("reps", {"rep_id": name, "name": name}, file, line)
        if self.deal_stage.unmapped:
            self.notes.append("deal stages not in the map count as the opportunity stage (map them under "
                              "[hubspot.deal_stage]): " + ", ".join(f"{k} ({n:,})" for k, n in
                                                                   self.deal_stage.unmapped.most_common()))
        if self.stage_counts:
            self.notes.append("stage entries by where their time comes from: "
                              + ", ".join(f"{k} {n:,}" for k, n in self.stage_counts.most_common()))
        loaded_as = {"contacts": "leads", "deals": "opportunities", "companies": "companies"}
        for kind, sheets in kinds.items():
            for sheet in sheets:
                self.notes.append(self.ledger.summary(sheet.file, len(sheet), loaded_as[kind]))


def _number(text: str | None) -> float | None:
    try:
        return float(text) if text is not None else None
    except ValueError:
        return None
