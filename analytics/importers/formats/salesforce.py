"""`--format salesforce`: a Salesforce Data Export (or Data Loader export) folder -> canonical tables.

Reads whichever of these objects are present, one `<Object>.csv` each (a Data Loader `extract.csv`
is recognised by the id prefix of its first row): Lead, LeadHistory (or the Data Export's
EntityHistory), Contact, Account, Opportunity, OpportunityHistory, OpportunityContactRole, Campaign,
CampaignMember, Task, User. Both producers: the Data Export service (every value quoted, 0/1
booleans, `000000000000000AAA` for an empty lookup, `YYYY-MM-DD HH:MM:SS` in UTC, Latin-1 or UTF-8,
rich text starting with a NUL byte) and the Data Loader (`...T...Z` times, UTF-8 with a BOM, any
header case). The funnel person ("lead" in the canonical model) is the Lead; an opportunity belongs
to the lead converted into it, else to its contact (Opportunity.ContactId, else its first contact
role), else it stands for its own buyer. Lead Status and StageName values map to stages through
`DEFAULT_LEAD_STATUS` / `DEFAULT_OPPORTUNITY_STAGE`, overridable by a mapping file (`--mapping`):

    [salesforce]
    timezone = "UTC"                 # zone of Data Export times (Salesforce stores UTC)
    lead_fields = ["Region__c"]      # extra Lead / Opportunity columns to keep as dimensions
    opportunity_fields = []
    [salesforce.lead_status]
    "Open - Not Contacted" = "mql"   # a configured stage name, or "" to ignore the value
    [salesforce.opportunity_stage]
    "Interes" = "sql"

Won and lost come from Opportunity.IsClosed / IsWon, never from a label. Every row of every file
read ends as a canonical row, a reject, or a counted reason in the notes (`Ledger`). Helpers used
by `hubspot.py` too: `read_sheet`, `Clock`, `StageMap`, `Ledger`, `load_settings`, `Emitter`.
"""
from __future__ import annotations

import csv
import re
import tomllib
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import polars as pl

from analytics.core.config import Config
from analytics.core.schema import DATE, TABLES, TIMESTAMP
from analytics.importers.formats import SOURCE_FILE, SOURCE_LINE, ConversionFailed, Converted, Reject
from analytics.importers.readers import detect_encoding

# --- default picklist maps: value -> stage role (resolved through the config's stage names) ------

DEFAULT_LEAD_STATUS = {
    # the classic picklist
    "Open - Not Contacted": "mql",        # routed to sales, not yet worked: the hand-off
    "Working - Contacted": "sal",         # sales is working it: accepted
    "Closed - Converted": "sql",          # qualified; conversion creates the opportunity
    "Closed - Not Converted": "disqualified",
    # the picklist of orgs created since 2022
    "New": "mql",
    "Working": "sal",
    "Nurturing": "recycled",
    "Qualified": "sql",
    "Unqualified": "disqualified",
}
DEFAULT_OPPORTUNITY_STAGE = {
    "Prospecting": "opportunity",
    "Qualification": "opportunity",
    "Needs Analysis": "opportunity",
    "Value Proposition": "opportunity",
    "Id. Decision Makers": "opportunity",
    "Perception Analysis": "opportunity",
    "Proposal/Price Quote": "opportunity",
    "Negotiation/Review": "opportunity",
    "Closed Won": "won",                  # only where no Opportunity.csv gives IsWon
    "Closed Lost": "lost",
}

EMPTY_ID = "000000000000000AAA"
ID_PREFIX = {"00Q": "Lead", "003": "Contact", "001": "Account", "006": "Opportunity",
             "008": "OpportunityHistory", "00K": "OpportunityContactRole", "00T": "Task",
             "005": "User", "701": "Campaign", "00v": "CampaignMember", "04w": "DatedConversionRate"}
OBJECTS = ("Lead", "LeadHistory", "EntityHistory", "Contact", "Account", "Opportunity",
           "OpportunityHistory", "OpportunityContactRole", "Campaign", "CampaignMember", "Task", "User",
           "DatedConversionRate", "CurrencyType")
REQUIRED = {
    "Lead": ("Id", "CreatedDate"),
    "LeadHistory": ("LeadId", "Field", "NewValue", "CreatedDate"),
    "EntityHistory": ("ParentId", "ParentSobjectType", "FieldName", "NewvalString", "CreatedDate"),
    "Contact": ("Id", "CreatedDate"),
    "Account": ("Id",),
    "Opportunity": ("Id", "CreatedDate", "IsClosed", "IsWon"),
    "OpportunityHistory": ("OpportunityId", "CreatedDate", "StageName"),
    "OpportunityContactRole": ("OpportunityId", "ContactId"),
    "Campaign": ("Id",),
    "CampaignMember": ("Id", "CampaignId", "HasResponded"),
    "Task": ("Id", "CreatedDate"),
    "User": ("Id",),
    "DatedConversionRate": ("IsoCode", "StartDate", "ConversionRate"),
    "CurrencyType": ("IsoCode", "ConversionRate"),
}
FIELDS = {
    "Lead": REQUIRED["Lead"] + (
        "IsDeleted", "LeadSource", "Status", "Industry", "Rating", "NumberOfEmployees", "Country",
        "CountryCode", "Company", "OwnerId", "IsConverted", "ConvertedDate", "ConvertedAccountId",
        "ConvertedContactId", "ConvertedOpportunityId"),
    "LeadHistory": REQUIRED["LeadHistory"] + ("Id", "IsDeleted", "OldValue"),
    "EntityHistory": REQUIRED["EntityHistory"] + ("Id", "IsDeleted", "OldvalString"),
    "Contact": REQUIRED["Contact"] + ("IsDeleted", "AccountId", "LeadSource", "OwnerId",
                                      "MailingCountry", "Country__c"),
    "Account": REQUIRED["Account"] + ("IsDeleted", "Name", "Industry", "NumberOfEmployees",
                                      "BillingCountry"),
    "Opportunity": REQUIRED["Opportunity"] + (
        "IsDeleted", "AccountId", "StageName", "Amount", "CloseDate", "Type", "LeadSource",
        "CampaignId", "OwnerId", "ContactId", "CurrencyIsoCode", "Probability", "ForecastCategory"),
    "OpportunityHistory": REQUIRED["OpportunityHistory"] + ("Id", "IsDeleted", "Amount", "CloseDate",
                                                            "CurrencyIsoCode"),
    "OpportunityContactRole": REQUIRED["OpportunityContactRole"] + ("Id", "IsDeleted", "IsPrimary",
                                                                    "Role", "CreatedDate"),
    "Campaign": REQUIRED["Campaign"] + ("IsDeleted", "Name", "Type", "StartDate", "EndDate",
                                        "ActualCost", "BudgetedCost", "CurrencyIsoCode"),
    "CampaignMember": REQUIRED["CampaignMember"] + ("IsDeleted", "LeadId", "ContactId", "Status",
                                                    "FirstRespondedDate", "CreatedDate"),
    "Task": REQUIRED["Task"] + ("IsDeleted", "WhoId", "WhatId", "OwnerId", "Type", "TaskSubtype",
                                "CallType", "EmailMessageId", "Subject", "Status", "IsClosed",
                                "CompletedDateTime"),
    "User": REQUIRED["User"] + ("FirstName", "LastName", "Name", "Title", "Department", "Division",
                                "ManagerId", "UserType", "IsActive"),
    "DatedConversionRate": REQUIRED["DatedConversionRate"] + ("Id",),
    "CurrencyType": REQUIRED["CurrencyType"] + ("Id", "IsCorporate", "IsActive"),
}
LOSS_REASON = re.compile(r"^loss_?reason(__c)?$", re.I)
COMPETITOR = re.compile(r"competitor", re.I)


# === shared helpers (hubspot.py uses them as well) ===============================================

@dataclass
class Sheet:
    """One export file read as text columns; `lines[i]` is the physical line where row i starts."""
    file: str
    header: list[str]
    columns: dict[str, list[str | None]]
    lines: list[int]
    encoding: str = "utf-8"
    quoted: bool = True
    crlf: bool = False

    def __post_init__(self) -> None:
        self._lower: dict[str, str] = {}
        self._found: dict[tuple[str, ...], str | None] = {}
        self._empty: list[None] = []
        for h in self.header:
            self._lower.setdefault(h.lower(), h)

    def __len__(self) -> int:
        return len(self.lines)

    def name(self, *labels: str) -> str | None:
        """The header name of the first label present (case-insensitive)."""
        if labels not in self._found:
            self._found[labels] = next((found for label in labels if (found := self._lower.get(label.lower()))
                                        is not None and found in self.columns), None)
        return self._found[labels]

    def has(self, *labels: str) -> bool:
        return self.name(*labels) is not None

    def col(self, *labels: str) -> list[str | None]:
        found = self.name(*labels)
        if found is None:
            if len(self._empty) != len(self):
                self._empty = [None] * len(self)  # one shared column of nothing
            return self._empty
        return self.columns[found]


def read_sheet(path: Path, encoding: str, rejects: list[Reject],
               keep: Callable[[str], bool] | None = None, clean: Callable[[str], str | None] | None = None,
               rename: Callable[[list[str]], list[str]] | None = None) -> Sheet:
    """Read a CSV (any delimiter, quoted line breaks, BOM) or .xlsx file; ragged rows become rejects."""
    clean = clean or _clean
    if path.suffix.lower() == ".xlsx":
        return _read_xlsx(path, rejects, keep, clean, rename)
    enc = encoding or sniff_encoding(path)
    try:
        with open(path, encoding=enc, newline="") as f:
            sample = f.read(64 * 1024)
            f.seek(0)
            if not sample.strip():
                raise ConversionFailed(f"{path.name}: the file is empty")
            first = sample.splitlines()[0]
            delimiter = max([",", ";", "\t", "|"], key=first.count)
            reader = csv.reader(f, delimiter=delimiter)
            header = [h.replace("\ufeff", "").strip() for h in next(reader)]
            header = rename(header) if rename else _dedupe(header)
            kept = [(i, h) for i, h in enumerate(header) if keep is None or keep(h)]
            columns: dict[str, list] = {h: [] for _, h in kept}
            lines: list[int] = []
            start = reader.line_num + 1
            for record in reader:
                if not record or record == [""]:
                    start = reader.line_num + 1
                    continue
                if len(record) != len(header):
                    rejects.append(Reject(path.name, start, None, None,
                                          f"expected {len(header)} fields, found {len(record)}"))
                else:
                    for i, h in kept:
                        columns[h].append(clean(record[i]))
                    lines.append(start)
                start = reader.line_num + 1
    except (UnicodeDecodeError, csv.Error, StopIteration) as e:
        raise ConversionFailed(f"{path.name}: cannot be read as a CSV table ({str(e)[:200]})") from None
    quoted = sample.lstrip("\ufeff").startswith('"')
    return Sheet(path.name, header, columns, lines, enc, quoted, "\r\n" in sample)


def sniff_encoding(path: Path) -> str:
    """readers.detect_encoding, with one more check before GB18030: in Chinese text CJK characters
    come in runs (words, names), while Latin-1 text read as GB18030 gives lone ones ("ñí" in
    "Compañía" is one valid GB2312 character). Mostly lone ones: Windows-1252 / Latin-1."""
    found = detect_encoding(path)
    if found != "gb18030":
        return found
    with open(path, "rb") as f:
        text = f.read(1 << 20).decode("gb18030", errors="ignore")
    runs = [len(r) for r in re.findall(r"[\u3400-\u9fff\uf900-\ufaff]+", text)]
    if runs and sum(n for n in runs if n >= 2) >= 0.5 * sum(runs):
        return found
    try:
        with open(path, encoding="cp1252") as f:
            f.read()
        return "cp1252"
    except UnicodeDecodeError:
        return "latin-1"


def _read_xlsx(path, rejects, keep, clean, rename) -> Sheet:
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python(skip_empty_area=False)
    except CalamineError as e:
        raise ConversionFailed(f"{path.name}: cannot be read as an Excel workbook ({str(e)[:200]})") from None
    if not rows:
        raise ConversionFailed(f"{path.name}: the first sheet is empty")
    header = [str(h or "").strip() for h in rows[0]]
    header = rename(header) if rename else _dedupe(header)
    kept = [(i, h) for i, h in enumerate(header) if keep is None or keep(h)]
    columns: dict[str, list] = {h: [] for _, h in kept}
    lines = []
    for n, row in enumerate(rows[1:], start=2):
        if all(v in (None, "") for v in row):
            continue
        for i, h in kept:
            columns[h].append(clean(_cell(row[i])) if i < len(row) else None)
        lines.append(n)
    return Sheet(path.name, header, columns, lines, "xlsx", False, False)


def _cell(v) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, datetime):
        return v.isoformat(sep=" ")
    if isinstance(v, date):
        return v.isoformat()
    return str(v)


def _dedupe(header: list[str]) -> list[str]:
    seen: Counter = Counter()
    out = []
    for h in header:
        seen[h.lower()] += 1
        out.append(h if seen[h.lower()] == 1 else f"{h} ({seen[h.lower()]})")
    return out


def _clean(value: str) -> str | None:
    value = value.lstrip("\x00").strip()
    return value or None


def _clean_salesforce(value: str) -> str | None:
    value = value.lstrip("\x00").strip()
    return None if not value or value == EMPTY_ID else value


def iso_currency(value: str | None) -> str | None:
    """A currency code as ISO writes it (three letters), else none (some orgs export "000")."""
    return value.upper() if value and re.fullmatch(r"[A-Za-z]{3}", value.strip()) else None


def truthy(value: str | None) -> bool | None:
    if value is None:
        return None
    v = value.strip().lower()
    if v in ("1", "true", "yes", "y", "on", "1.0"):
        return True
    if v in ("0", "false", "no", "n", "off", "0.0"):
        return False
    return None


class Clock:
    """Parses export times. A value without an offset is wall-clock time in `zone`; results are UTC."""
    ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?"
                     r"\s*(Z|[+-]\d{2}(?::?\d{2})?)?$")

    def __init__(self, zone: str, where: str = "timezone") -> None:
        try:
            self.zone = ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ConversionFailed(f"{where}: unknown time zone {zone!r} (use a name like 'Europe/Madrid')") from None
        self.zone_name = zone
        self._cache: dict[str, datetime | None] = {}

    def time(self, text: str | None) -> datetime | None | bool:
        """UTC datetime; None for an empty value; False for a value that is not a time."""
        if text is None:
            return None
        if text not in self._cache:
            self._cache[text] = self._parse(text)
        got = self._cache[text]
        return False if got is None else got

    def _parse(self, text: str) -> datetime | None:
        m = self.ISO.match(text)
        if not m:
            return None
        y, mo, d, hh, mi, ss, frac, off = m.groups()
        try:
            naive = datetime(int(y), int(mo), int(d), int(hh or 0), int(mi or 0), int(ss or 0),
                             int((frac or "0")[:6].ljust(6, "0")))
        except ValueError:
            return None
        if off:
            if off == "Z":
                return naive.replace(tzinfo=UTC)
            sign = 1 if off[0] == "+" else -1
            digits = off[1:].replace(":", "")
            delta = timedelta(hours=int(digits[:2]), minutes=int(digits[2:4] or 0))
            return (naive - sign * delta).replace(tzinfo=UTC)
        return self.localize(naive)

    def localize(self, naive: datetime) -> datetime | None:
        """Wall-clock time in the zone -> UTC; None when the time does not exist (a DST gap)."""
        utc = naive.replace(tzinfo=self.zone).astimezone(UTC)
        if utc.astimezone(self.zone).replace(tzinfo=None) != naive:
            return None
        return utc

    def day(self, text: str | None) -> date | None | bool:
        """A calendar date (a date-only field, maybe written with 00:00:00); False if not a date."""
        if text is None:
            return None
        m = self.ISO.match(text)
        if not m:
            return False
        try:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            return False

    def midnight(self, d: date, floor: datetime | None = None) -> datetime:
        """Start of day `d` in the zone, as UTC; a day equal to `floor`'s local day gives `floor`
        (a date-only close or conversion on the day a record was created is not before it)."""
        start = datetime(d.year, d.month, d.day, tzinfo=self.zone).astimezone(UTC)
        if floor is not None and start < floor and floor.astimezone(self.zone).date() == d:
            return floor
        return start


ROLES = ("lead", "mql", "sal", "sql", "opportunity", "won", "lost", "recycled", "disqualified")


def role_stage(cfg: Config, role: str) -> str | None:
    """A default map's role -> the configured stage name (None when the config has no such stage)."""
    stage = {"lead": cfg.main_stages[0], "mql": cfg.handoff_stage, "sal": cfg.accepted_stage,
             "sql": cfg.qualified_stage, "opportunity": cfg.opportunity_stage, "won": cfg.won_stage,
             "lost": cfg.lost_stage, "recycled": cfg.recycled_stage}.get(role)
    if stage is None and role in cfg.all_stages:
        stage = role
    return stage


def _key(label: str) -> str:
    return " ".join(label.casefold().split())


class StageMap:
    """CRM picklist value -> configured stage: the defaults (by role), then the mapping file's entries
    (stage names; "" means "not a stage"). Matching ignores case and repeated spaces."""

    def __init__(self, defaults: dict[str, str], overrides: dict, cfg: Config, where: str) -> None:
        self.map: dict[str, str | None] = {_key(k): role_stage(cfg, v) for k, v in defaults.items()}
        for label, stage in overrides.items():
            if not isinstance(stage, str) or (stage and stage not in cfg.all_stages):
                raise ConversionFailed(f"{where}: {label!r} = {stage!r} is not a configured stage "
                                       f"(one of: {', '.join(cfg.all_stages)}, or \"\" to ignore it)")
            self.map[_key(str(label))] = stage or None
        self.unmapped: Counter = Counter()

    def get(self, label: str) -> tuple[bool, str | None]:
        k = _key(label)
        return (k in self.map, self.map.get(k))


def load_settings(mapping: Path | None, section: str, allowed: set[str]) -> dict:
    """The `[section]` table of a mapping TOML file (empty without a file); unknown keys stop."""
    if mapping is None:
        return {}
    try:
        with open(mapping, "rb") as f:
            data = tomllib.load(f)
    except FileNotFoundError:
        raise ConversionFailed(f"{mapping}: mapping file not found") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise ConversionFailed(f"{mapping.name}: not a valid TOML mapping file ({e})") from None
    settings = data.get(section)
    if not isinstance(settings, dict):
        raise ConversionFailed(f"{mapping.name}: no [{section}] section (found: {', '.join(data) or 'nothing'})")
    unknown = sorted(set(settings) - allowed)
    if unknown:
        raise ConversionFailed(f"{mapping.name}: [{section}] has unknown setting {unknown[0]!r} "
                               f"(known: {', '.join(sorted(allowed))})")
    return settings


class Ledger:
    """What became of every row read: loaded (into a canonical row), rejected, or a counted reason."""
    LOADED, REJECTED = "loaded", "rejected"

    def __init__(self) -> None:
        self.rows: dict[str, dict[int, str]] = defaultdict(dict)
        self.order: list[str] = []

    def read(self, sheet: Sheet) -> None:
        self.order.append(sheet.file)
        self.rows[sheet.file]  # noqa: B018  (a file with no rows still gets a line in the notes)

    def mark(self, file: str, line: int, outcome: str) -> None:
        """Loaded beats rejected beats any other reason: a lead that loads but whose status was
        rejected still counts as loaded (its reject stays in the rejects table)."""
        now = self.rows[file].get(line)
        rank = {self.LOADED: 2, self.REJECTED: 1}
        if now is None or rank.get(outcome, 0) > rank.get(now, 0):
            self.rows[file][line] = outcome

    def summary(self, file: str, total: int, loaded_as: str) -> str:
        counts = Counter(self.rows[file].values())
        parts = []
        if counts[self.LOADED]:
            parts.append(f"{counts[self.LOADED]:,} {loaded_as}")
        parts += [f"{n:,} {reason}" for reason, n in counts.items()
                  if reason not in (self.LOADED, self.REJECTED)]
        if counts[self.REJECTED]:
            parts.append(f"{counts[self.REJECTED]:,} rejected")
        unaccounted = total - sum(counts.values())
        if unaccounted:
            parts.append(f"{unaccounted:,} unaccounted")
        return f"{file}: {total:,} rows: {', '.join(parts) or 'none'}"


class Emitter:
    """Collects canonical rows per table (with their source file and line) and builds the frames."""

    def __init__(self, ledger: Ledger) -> None:
        self.rows: dict[str, list[dict]] = defaultdict(list)
        self.extras: dict[str, list[str]] = defaultdict(list)
        self.known: dict[str, set[str]] = defaultdict(set)
        self.ledger = ledger
        self.present: set[str] = set()

    def add(self, table: str, row: dict, file: str, line: int) -> None:
        row[SOURCE_FILE], row[SOURCE_LINE] = file, line
        self.rows[table].append(row)
        self.ledger.mark(file, line, Ledger.LOADED)
        if not row.keys() <= self.known[table]:
            for k in row:
                if k not in TABLES[table].columns and k not in self.extras[table] and k not in (SOURCE_FILE,
                                                                                                 SOURCE_LINE):
                    self.extras[table].append(k)
            self.known[table] |= row.keys()

    def frames(self) -> dict[str, pl.DataFrame]:
        out = {}
        for table in [*TABLES]:
            if table not in self.present and not self.rows.get(table):
                continue
            spec = TABLES[table]
            schema = {}
            for c, kind in spec.columns.items():
                schema[c] = (pl.Datetime("us", "UTC") if kind == TIMESTAMP else pl.Date if kind == DATE
                             else pl.String)
            for c in self.extras[table]:
                schema[c] = pl.String
            schema[SOURCE_FILE], schema[SOURCE_LINE] = pl.String, pl.Int64
            rows = self.rows.get(table, [])
            for r in rows:
                for c, v in r.items():
                    if v is not None and not isinstance(v, (str, int, datetime, date)):
                        r[c] = str(v)  # numbers become text: the canonical import types them
            out[table] = pl.from_dicts(rows, schema=schema) if rows else pl.DataFrame(schema=schema)
        return out


def employees_band(value: str | None) -> str | None:
    """A head count -> a size band like the canonical examples ("51-200"); text passes through."""
    if value is None:
        return None
    try:
        n = float(value.replace(",", ""))
    except ValueError:
        return value
    for top, band in ((50, "1-50"), (200, "51-200"), (1000, "201-1000"), (5000, "1001-5000")):
        if n <= top:
            return band
    return "5001+"


def number_text(value: str | None) -> str | None:
    """An amount as plain digits when it clearly is one ("1,234.50", "$ 900"); otherwise unchanged,
    so the canonical import rejects it with its line."""
    if value is None:
        return None
    v = re.sub(r"[\s$€£¥]", "", value)
    if re.fullmatch(r"-?\d{1,3}(,\d{3})+(\.\d+)?", v):
        v = v.replace(",", "")
    return v if re.fullmatch(r"-?\d+(\.\d+)?([eE][-+]?\d+)?", v) else value


# === Salesforce ===================================================================================

@dataclass
class _Person:
    """A funnel person: a Lead, a Contact that an opportunity points at, or a lone opportunity."""
    lead_id: str
    kind: str
    created_at: datetime
    file: str
    line: int
    row: dict = field(default_factory=dict)
    since: str = ""  # where created_at comes from, for stage_history.entered_at_source


def convert(src: Path, cfg: Config, mapping: Path | None = None) -> Converted:
    return convert_with_ledger(src, cfg, mapping)[0]


def convert_with_ledger(src: Path, cfg: Config, mapping: Path | None = None) -> tuple[Converted, Ledger]:
    run = _Salesforce(Path(src), cfg, mapping)
    converted = run.run()
    return converted, run.ledger


class _Salesforce:
    def __init__(self, src: Path, cfg: Config, mapping: Path | None) -> None:
        where = mapping.name if mapping else "defaults"
        s = load_settings(mapping, "salesforce", {"lead_status", "opportunity_stage", "timezone",
                                                  "lead_fields", "opportunity_fields"})
        self.src, self.cfg, self.mapping = src, cfg, mapping
        self.lead_status = StageMap(DEFAULT_LEAD_STATUS, s.get("lead_status", {}), cfg,
                                    f"{where}: [salesforce.lead_status]")
        self.opp_stage = StageMap(DEFAULT_OPPORTUNITY_STAGE, s.get("opportunity_stage", {}), cfg,
                                  f"{where}: [salesforce.opportunity_stage]")
        self.clock = Clock(s.get("timezone", "UTC"), f"{where}: [salesforce] timezone")
        self.local = Clock(cfg.timezone, "config timezone")
        self.lead_fields = list(s.get("lead_fields", []))
        self.opp_fields = list(s.get("opportunity_fields", []))
        self.rejects: list[Reject] = []
        self.notes: list[str] = []
        self.ledger = Ledger()
        self.out = Emitter(self.ledger)
        self.sheets: dict[str, Sheet] = {}
        self.people: dict[str, _Person] = {}
        self.stage_counts: Counter = Counter()

    # --- plumbing ---------------------------------------------------------------------------------

    def reject(self, sheet: Sheet, i: int, column: str | None, value, reason: str) -> None:
        self.rejects.append(Reject(sheet.file, sheet.lines[i], column, None if value is None else str(value),
                                   reason))
        self.ledger.mark(sheet.file, sheet.lines[i], Ledger.REJECTED)

    def skip(self, sheet: Sheet, i: int, reason: str) -> None:
        self.ledger.mark(sheet.file, sheet.lines[i], reason)

    def time(self, sheet: Sheet, i: int, column: str, required: bool = False) -> datetime | None | bool:
        """A datetime cell as UTC; False (and a reject when `required`) when it is not a time."""
        value = sheet.col(column)[i]
        got = self.clock.time(value)
        if got is False or (got is None and required):
            if required:
                self.reject(sheet, i, column, value, "required value missing" if value is None
                            else "not a Salesforce date/time (YYYY-MM-DD HH:MM:SS or ISO 8601)")
            return False
        return got

    def day_time(self, sheet: Sheet, i: int, column: str, floor: datetime | None) -> datetime | None:
        """A date-only cell (CloseDate, ConvertedDate) as the start of that day in the configured
        zone, or `floor` when it is the same day; None when empty or unreadable."""
        d = self.clock.day(sheet.col(column)[i])
        return self.local.midnight(d, floor) if d else None

    def deleted(self, sheet: Sheet, i: int) -> bool:
        if truthy(sheet.col("IsDeleted")[i]):
            self.skip(sheet, i, "deleted in Salesforce (IsDeleted = 1), skipped")
            return True
        return False

    # --- reading ------------------------------------------------------------------------------------

    def read(self) -> None:
        files = sorted(p for p in self.src.iterdir() if p.is_file() and p.suffix.lower() in (".csv", ".txt")
                       and not p.name.startswith((".", "~$")))
        by_name = {o.lower(): o for o in OBJECTS}
        ignored = []
        for path in files:
            obj = by_name.get(path.stem.lower()) or self._sniff(path)
            if obj is None or obj in self.sheets:
                ignored.append(path.name)
                continue
            wanted = {f.lower() for f in FIELDS[obj]}
            extra = {f.lower() for f in (self.lead_fields if obj == "Lead" else
                                         self.opp_fields if obj == "Opportunity" else [])}
            reasons = obj == "Opportunity"  # loss reason and competitor fields are custom: kept by pattern

            def keep(h: str, w=wanted, x=extra, r=reasons) -> bool:
                return h.lower() in w or h.lower() in x or (r and bool(LOSS_REASON.match(h) or COMPETITOR.search(h)))
            sheet = read_sheet(path, self.cfg.encoding, self.rejects, keep, _clean_salesforce)
            for column in REQUIRED[obj]:
                if not sheet.has(column):
                    raise ConversionFailed(f"{path.name}: required column {column!r} is missing (a Salesforce "
                                           f"{obj} export needs {', '.join(REQUIRED[obj])})")
            self.sheets[obj] = sheet
            self.ledger.read(sheet)
            missing = sorted(f for f in extra if not sheet.has(f))
            if missing:
                self.notes.append(f"{path.name}: fields named in the mapping file are not in the export "
                                  f"(left empty): {', '.join(missing)}")
        if not {"Lead", "Opportunity", "OpportunityHistory", "Contact"} & set(self.sheets):
            raise ConversionFailed(f"{self.src}: no Salesforce export found (expected Lead.csv, Opportunity.csv "
                                   f"or OpportunityHistory.csv; found {', '.join(p.name for p in files) or 'no CSV'})")
        producer = ("Data Loader export" if any(self._iso_z(s) for s in self.sheets.values())
                    else "Data Export")
        encodings = sorted({f"{s.file} {s.encoding}" for s in self.sheets.values()
                            if s.encoding not in ("utf-8", "utf-8-sig")})
        self.notes.append(f"Salesforce {producer}: {', '.join(s.file for s in self.sheets.values())}"
                          + (f" (read as {', '.join(encodings)})" if encodings else "")
                          + f"; times without an offset read as {self.clock.zone_name}")
        if ignored:
            self.notes.append(f"not read (not an object this importer uses): {', '.join(ignored)}")

    @staticmethod
    def _iso_z(sheet: Sheet) -> bool:
        values = sheet.col("CreatedDate")[:20]
        return any(v and v.endswith("Z") for v in values)

    def _sniff(self, path: Path) -> str | None:
        """A Data Loader file named extract.csv: the object from its columns and first id."""
        try:
            with open(path, encoding=self.cfg.encoding or sniff_encoding(path), newline="") as f:
                rows = csv.reader(f)
                header = [h.replace("\ufeff", "").strip().lower() for h in next(rows)]
                first = next(rows, [])
        except (UnicodeDecodeError, csv.Error, StopIteration):
            return None
        if "leadid" in header and "field" in header:
            return "LeadHistory"
        if "parentsobjecttype" in header:
            return "EntityHistory"
        if "id" in header and len(first) == len(header):
            prefix = first[header.index("id")][:3]
            return ID_PREFIX.get(prefix)
        return None

    # --- the conversion -----------------------------------------------------------------------------

    def run(self) -> Converted:
        self.read()
        self.reps()
        campaign_channel = self.campaigns()
        self.exchange_rates()
        accounts = self.accounts()
        self.leads()
        opps = self.opportunities()
        self.link(opps, accounts)
        self.opportunity_stages(opps)  # first: a deal's close may move its person's creation back
        self.person_stages()
        self.lead_stages()
        self.touches(campaign_channel)
        self.activities(opps)
        self.finish(opps)
        return Converted(self.out.frames(), self.rejects, self.notes)

    def reps(self) -> None:
        sheet = self.sheets.get("User")
        if sheet is None:
            return
        self.out.present.add("reps")
        for i in range(len(sheet)):
            first, last = sheet.col("FirstName")[i], sheet.col("LastName")[i]
            name = sheet.col("Name")[i] or " ".join(p for p in (first, last) if p) or None
            self.out.add("reps", {
                "rep_id": sheet.col("Id")[i], "name": name, "role": sheet.col("Title")[i],
                "team": sheet.col("Department")[i], "manager_id": sheet.col("ManagerId")[i],
                "division": sheet.col("Division")[i], "user_type": sheet.col("UserType")[i],
                "is_active": _bool_text(sheet.col("IsActive")[i]),
            }, sheet.file, sheet.lines[i])

    def campaigns(self) -> dict[str, str | None]:
        sheet = self.sheets.get("Campaign")
        channel: dict[str, str | None] = {}
        if sheet is None:
            return channel
        self.out.present.add("campaigns")
        for i in range(len(sheet)):
            if self.deleted(sheet, i):
                continue
            cid = sheet.col("Id")[i]
            channel[cid] = sheet.col("Type")[i]
            start, end = (self.clock.day(sheet.col(c)[i]) for c in ("StartDate", "EndDate"))
            self.out.add("campaigns", {
                "campaign_id": cid, "name": sheet.col("Name")[i], "channel": sheet.col("Type")[i],
                "start_date": start or None, "end_date": end or None,
                "cost": number_text(sheet.col("ActualCost")[i]),
                "budgeted_cost": number_text(sheet.col("BudgetedCost")[i]),
                "currency": iso_currency(sheet.col("CurrencyIsoCode")[i]),
            }, sheet.file, sheet.lines[i])
        return channel

    def exchange_rates(self) -> None:
        """Salesforce's rates (DatedConversionRate, else the static CurrencyType) say how many units of a
        currency one unit of the corporate currency buys; exchange_rates holds the inverse (1 unit of
        the currency = rate units of the corporate one). A static rate is valid from the first day."""
        dated, static = self.sheets.get("DatedConversionRate"), self.sheets.get("CurrencyType")
        sheet = dated or static
        if sheet is None:
            return
        self.out.present.add("exchange_rates")
        corporate = self.cfg.currency
        for i in range(len(sheet)):
            per_corporate = sheet.col("ConversionRate")[i]
            try:
                rate = 1 / float(per_corporate)
            except (TypeError, ValueError, ZeroDivisionError):
                self.reject(sheet, i, "ConversionRate", per_corporate, "not a positive number")
                continue
            if static is sheet and truthy(sheet.col("IsCorporate")[i]) and sheet.col("IsoCode")[i] != corporate:
                self.notes.append(f"{sheet.file}: the org's corporate currency is {sheet.col('IsoCode')[i]}, "
                                  f"the configuration's is {corporate}: set [money] currency to match")
            start = self.clock.day(sheet.col("StartDate")[i]) if dated is sheet else "0001-01-01"
            self.out.add("exchange_rates", {"currency": sheet.col("IsoCode")[i], "valid_from": start or None,
                                            "rate": repr(rate)}, sheet.file, sheet.lines[i])

    def accounts(self) -> dict[str, dict]:
        sheet = self.sheets.get("Account")
        found: dict[str, dict] = {}
        if sheet is None:
            return found
        for i in range(len(sheet)):
            if self.deleted(sheet, i):
                continue
            found[sheet.col("Id")[i]] = {
                "company": sheet.col("Name")[i], "industry": sheet.col("Industry")[i],
                "company_size": employees_band(sheet.col("NumberOfEmployees")[i]),
                "country": sheet.col("BillingCountry")[i]}
            self.skip(sheet, i, "accounts used for the firmographics of contacts and opportunities")
        return found

    def leads(self) -> None:
        sheet = self.sheets.get("Lead")
        self.converted_opp: dict[str, str] = {}      # opportunity id -> lead id
        self.converted_contact: dict[str, str] = {}  # contact id -> lead id
        self.lead_rows: dict[str, int] = {}
        if sheet is None:
            return
        label_converted = 0
        for i in range(len(sheet)):
            if self.deleted(sheet, i):
                continue
            lead_id = sheet.col("Id")[i]
            created = self.time(sheet, i, "CreatedDate", required=True)
            if not created:
                continue
            if lead_id is None or lead_id in self.people:
                self.reject(sheet, i, "Id", lead_id, "duplicate lead Id" if lead_id else "required value missing")
                continue
            converted = truthy(sheet.col("IsConverted")[i]) is True
            row = {
                "lead_id": lead_id, "created_at": created, "source": sheet.col("LeadSource")[i],
                "account_id": sheet.col("ConvertedAccountId")[i] if converted else None,
                "industry": sheet.col("Industry")[i],
                "company_size": employees_band(sheet.col("NumberOfEmployees")[i]),
                "country": sheet.col("Country")[i] or sheet.col("CountryCode")[i],
                "owner_id": sheet.col("OwnerId")[i],
                "crm_object": "Lead", "company": sheet.col("Company")[i],
                "crm_status": sheet.col("Status")[i], "rating": sheet.col("Rating")[i],
                "employees": sheet.col("NumberOfEmployees")[i],
                "is_converted": "true" if converted else "false",
                **{f.lower(): sheet.col(f)[i] for f in self.lead_fields},
            }
            self.people[lead_id] = _Person(lead_id, "Lead", created, sheet.file, sheet.lines[i], row)
            self.lead_rows[lead_id] = i
            if converted:
                if opp := sheet.col("ConvertedOpportunityId")[i]:
                    self.converted_opp.setdefault(opp, lead_id)
                if contact := sheet.col("ConvertedContactId")[i]:
                    self.converted_contact.setdefault(contact, lead_id)
            else:
                found, stage = self.lead_status.get(sheet.col("Status")[i] or "")
                if found and stage == role_stage(self.cfg, "sql") and sheet.col("Status")[i] in (
                        "Closed - Converted", "Qualified"):
                    label_converted += 1
        if label_converted:
            self.notes.append(f"{label_converted} leads have a converted status but IsConverted = 0: they "
                              "count at their status's stage, with no opportunity linked (conversion is read "
                              "from IsConverted / ConvertedOpportunityId only)")

    def opportunities(self) -> dict[str, dict]:
        """Opportunity records (from Opportunity.csv, else rebuilt from OpportunityHistory) with their
        collapsed stage history."""
        opps: dict[str, dict] = {}
        history = self.history()
        self.label_close: dict[str, str] = {}  # StageName -> won/lost/open, as Opportunity.csv flags it
        sheet = self.sheets.get("Opportunity")
        if sheet is not None:
            gone = set()
            for i in range(len(sheet)):
                oid = sheet.col("Id")[i]
                if self.deleted(sheet, i):
                    gone.add(oid)
                    continue
                if oid is None or oid in opps:
                    self.reject(sheet, i, "Id", oid, "duplicate opportunity Id" if oid else "required value missing")
                    continue
                created = self.time(sheet, i, "CreatedDate", required=True)
                if not created:
                    continue
                closed, won = truthy(sheet.col("IsClosed")[i]), truthy(sheet.col("IsWon")[i])
                if closed is None or (closed and won is None):
                    self.reject(sheet, i, "IsClosed" if closed is None else "IsWon",
                                sheet.col("IsClosed" if closed is None else "IsWon")[i],
                                "not a boolean (0/1 or true/false)")
                    continue
                status = "won" if closed and won else "lost" if closed else "open"
                if label := sheet.col("StageName")[i]:
                    if self.label_close.get(_key(label)) in (None, "open"):
                        self.label_close[_key(label)] = status
                opps[oid] = {"sheet": sheet, "i": i, "created_at": created, "status": status,
                             "history": history.pop(oid, [])}
            for oid, rows in history.items():
                for hs, hi, _ in rows:
                    if oid in gone:
                        self.skip(hs, hi, "history of deleted opportunities, skipped")
                    else:
                        self.reject(hs, hi, "OpportunityId", oid, "opportunity not in Opportunity.csv")
        else:
            for oid, rows in history.items():
                hs, hi, first = rows[0]
                opps[oid] = {"sheet": None, "i": None, "created_at": first, "status": None, "history": rows}
            if opps:
                self.notes.append("no Opportunity.csv: opportunities rebuilt from OpportunityHistory (created at "
                                  "their first history row; won/lost from the stage map, as no IsWon/IsClosed "
                                  "is available; amount and close date of the latest row)")
        return opps

    def history(self) -> dict[str, list[tuple[Sheet, int, datetime]]]:
        """OpportunityHistory rows per opportunity in time order, consecutive repeats of a stage
        collapsed (a row is written per change of amount, close date or stage)."""
        sheet = self.sheets.get("OpportunityHistory")
        if sheet is None:
            return {}
        by_opp: dict[str, list] = defaultdict(list)
        for i in range(len(sheet)):
            if self.deleted(sheet, i):
                continue
            for column in ("OpportunityId", "StageName"):
                if sheet.col(column)[i] is None:
                    self.reject(sheet, i, column, None, "required value missing")
                    break
            else:
                at = self.time(sheet, i, "CreatedDate", required=True)
            if self.ledger.rows[sheet.file].get(sheet.lines[i]) == Ledger.REJECTED:
                continue
            # ties in time go by Id: its first 15 characters count up in creation order
            by_opp[sheet.col("OpportunityId")[i]].append((at, (sheet.col("Id")[i] or "")[:15], i))
        collapsed: dict[str, list] = {}
        merged = 0
        for oid, rows in by_opp.items():
            rows.sort()
            kept, last = [], None
            for at, _, i in rows:
                stage = sheet.col("StageName")[i]
                if last is not None and _key(stage) == _key(last):
                    self.skip(sheet, i, "repeats of the same stage (amount or date edits), merged")
                    merged += 1
                    continue
                kept.append((sheet, i, at))
                last = stage
            collapsed[oid] = kept
        self.notes.append(f"OpportunityHistory: {len(collapsed):,} opportunities, "
                          f"{sum(len(v) for v in collapsed.values()):,} stage entries after collapsing "
                          f"{merged:,} rows that repeat the previous stage")
        return collapsed

    def link(self, opps: dict[str, dict], accounts: dict[str, dict]) -> None:
        """Give every opportunity its funnel person; contacts and lone opportunities become people."""
        contacts = self.contacts()
        roles = self.contact_roles(opps)
        self.person_of: dict[str, str] = {}
        lone = via_contact = 0
        for oid, opp in opps.items():
            sheet, i = opp["sheet"], opp["i"]
            person = self.converted_opp.get(oid)
            if person is None:
                candidates = [sheet.col("ContactId")[i]] if sheet is not None else []
                candidates += roles.get(oid, [])
                for contact in candidates:
                    if contact is None:
                        continue
                    if contact in self.converted_contact:
                        person = self.converted_contact[contact]
                    elif contact in contacts:
                        person = self._contact_person(contact, contacts[contact], opp, accounts)
                    if person:
                        via_contact += 1
                        break
            if person is None:
                person = self._lone_person(oid, opp, accounts)
                lone += 1
            self.person_of[oid] = person
        for cid, (cs, ci) in contacts.items():
            if cid in self.converted_contact:
                self.skip(cs, ci, "contacts converted from a lead (the lead stands for them)")
            elif cid not in self.people:
                self.skip(cs, ci, "contacts outside the funnel (no opportunity, not from a lead)")
        if opps:
            converted = len(opps) - lone - via_contact
            self.notes.append(f"opportunities: {converted:,} linked to the lead converted into them, "
                              f"{via_contact:,} to their contact, {lone:,} with no lead or contact "
                              "(each stands for its own buyer: lead_id = the opportunity id)")

    def contacts(self) -> dict[str, tuple[Sheet, int]]:
        sheet = self.sheets.get("Contact")
        found: dict[str, tuple[Sheet, int]] = {}
        if sheet is None:
            return found
        for i in range(len(sheet)):
            if not self.deleted(sheet, i):
                found[sheet.col("Id")[i]] = (sheet, i)
        return found

    def contact_roles(self, opps: dict) -> dict[str, list[str]]:
        """Contacts per opportunity: the primary role first, then by creation."""
        sheet = self.sheets.get("OpportunityContactRole")
        roles: dict[str, list] = defaultdict(list)
        if sheet is None:
            return {}
        for i in range(len(sheet)):
            if self.deleted(sheet, i):
                continue
            oid, contact = sheet.col("OpportunityId")[i], sheet.col("ContactId")[i]
            if oid not in opps:
                self.reject(sheet, i, "OpportunityId", oid, "opportunity not in the export")
                continue
            primary = truthy(sheet.col("IsPrimary")[i]) is True
            roles[oid].append((not primary, sheet.col("CreatedDate")[i] or "", sheet.lines[i], contact, i))
            self.skip(sheet, i, "contact roles read to link opportunities to people" if "Contact" in self.sheets
                      else "contact roles not used (no Contact.csv to take the contact from)")
        return {oid: [r[3] for r in sorted(rows)] for oid, rows in roles.items()}

    def _contact_person(self, cid: str, where: tuple[Sheet, int], opp: dict, accounts) -> str | None:
        sheet, i = where
        if cid in self.people:
            person = self.people[cid]
            if opp["created_at"] < person.created_at:  # the person existed by their first opportunity
                person.created_at = person.row["created_at"] = opp["created_at"]
            return cid
        created = self.time(sheet, i, "CreatedDate", required=True)
        if not created:
            return None
        account = accounts.get(sheet.col("AccountId")[i], {})
        row = {"lead_id": cid, "created_at": min(created, opp["created_at"]),
               "source": sheet.col("LeadSource")[i], "account_id": sheet.col("AccountId")[i],
               "industry": account.get("industry"), "company_size": account.get("company_size"),
               "country": sheet.col("MailingCountry")[i] or sheet.col("Country__c")[i] or account.get("country"),
               "owner_id": sheet.col("OwnerId")[i], "crm_object": "Contact",
               "company": account.get("company")}
        self.people[cid] = _Person(cid, "Contact", row["created_at"], sheet.file, sheet.lines[i], row)
        return cid

    def _lone_person(self, oid: str, opp: dict, accounts) -> str:
        sheet, i = opp["sheet"], opp["i"]
        if sheet is None:
            hs, hi, _ = opp["history"][0]
            row = {"lead_id": oid, "created_at": opp["created_at"], "crm_object": "Opportunity"}
            self.people[oid] = _Person(oid, "Opportunity", opp["created_at"], hs.file, hs.lines[hi], row,
                                       "OpportunityHistory (first row)")
            return oid
        account = accounts.get(sheet.col("AccountId")[i], {})
        row = {"lead_id": oid, "created_at": opp["created_at"], "source": sheet.col("LeadSource")[i],
               "campaign_id": sheet.col("CampaignId")[i], "account_id": sheet.col("AccountId")[i],
               "industry": account.get("industry"), "company_size": account.get("company_size"),
               "country": account.get("country"), "owner_id": sheet.col("OwnerId")[i],
               "crm_object": "Opportunity", "company": account.get("company")}
        self.people[oid] = _Person(oid, "Opportunity", opp["created_at"], sheet.file, sheet.lines[i], row)
        return oid

    # --- stage history ------------------------------------------------------------------------------

    def stage(self, person: str, stage: str, at: datetime, source: str, crm_stage: str | None,
              file: str, line: int) -> None:
        self.out.add("stage_history", {"lead_id": person, "stage": stage, "entered_at": at,
                                       "crm_stage": crm_stage, "entered_at_source": source}, file, line)
        self.stage_counts[source] += 1

    def person_stages(self) -> None:
        """Contacts and lone opportunities enter the funnel when they were created."""
        for person in self.people.values():
            if person.kind != "Lead":
                self.stage(person.lead_id, self.cfg.main_stages[0], person.created_at,
                           person.since or f"{person.kind}.CreatedDate", None, person.file, person.line)

    def status_changes(self) -> dict[str, list[tuple[datetime, str, str | None, str, Sheet, int]]]:
        """Lead Status changes per lead from LeadHistory (Field = Status) or EntityHistory."""
        changes: dict[str, list] = defaultdict(list)
        for obj, lead_col, field_col, old_col, new_col in (
                ("LeadHistory", "LeadId", "Field", "OldValue", "NewValue"),
                ("EntityHistory", "ParentId", "FieldName", "OldvalString", "NewvalString")):
            sheet = self.sheets.get(obj)
            if sheet is None:
                continue
            for i in range(len(sheet)):
                if self.deleted(sheet, i):
                    continue
                if (sheet.col(field_col)[i] or "").lower() != "status" or (
                        obj == "EntityHistory" and (sheet.col("ParentSobjectType")[i] or "") != "Lead"):
                    self.skip(sheet, i, "history rows of other fields or objects, not read")
                    continue
                lead_id = sheet.col(lead_col)[i]
                if lead_id not in self.people or self.people[lead_id].kind != "Lead":
                    self.reject(sheet, i, lead_col, lead_id, "unknown lead (not in Lead.csv)")
                    continue
                at = self.time(sheet, i, "CreatedDate", required=True)
                if not at:
                    continue
                changes[lead_id].append((at, sheet.col("Id")[i] or "", sheet.col(old_col)[i],
                                         sheet.col(new_col)[i], sheet, i))
        return changes

    def lead_stages(self) -> None:
        sheet = self.sheets.get("Lead")
        if sheet is None:
            self.out.present.add("stage_history")
            return
        changes = self.status_changes()
        has_history = bool(changes)  # a history file without Lead Status rows: tracking was off
        lead_stage = self.cfg.main_stages[0]
        for lead_id, i in self.lead_rows.items():
            person = self.people[lead_id]
            self.stage(lead_id, lead_stage, person.created_at, "Lead.CreatedDate", None, sheet.file, sheet.lines[i])
            rows = sorted(changes.get(lead_id, []), key=lambda r: (r[0], r[1]))
            timeline: list[tuple[datetime, str, str, Sheet, int]] = []
            if rows:
                if rows[0][2]:
                    timeline.append((person.created_at, rows[0][2], "status at creation (LeadHistory OldValue)",
                                     sheet, i))
                timeline += [(at, new, "LeadHistory", hs, hi) for at, _, _, new, hs, hi in rows if new]
            elif status := sheet.col("Status")[i]:
                converted_at = (self.day_time(sheet, i, "ConvertedDate", person.created_at)
                                if truthy(sheet.col("IsConverted")[i]) else None)
                if converted_at:
                    timeline.append((converted_at, status, "Lead.ConvertedDate", sheet, i))
                elif has_history:
                    timeline.append((person.created_at, status, "Lead.CreatedDate (no status change in history)",
                                     sheet, i))
                else:
                    timeline.append((person.created_at, status, "Lead.CreatedDate (current status, no history)",
                                     sheet, i))
            previous = None
            for at, label, source, hs, hi in timeline:
                if previous is not None and _key(label) == _key(previous):
                    continue
                previous = label
                found, stage = self.lead_status.get(label)
                if not found:
                    self.lead_status.unmapped[label] += 1
                    self.reject(hs, hi, "Status" if hs is sheet else "NewValue", label,
                                "lead status not mapped to a stage: add it under [salesforce.lead_status] "
                                "in a mapping file (--mapping)")
                elif stage:
                    self.stage(lead_id, stage, at, source, label, hs.file, hs.lines[hi])
        if not has_history and self.lead_rows:
            self.notes.append("no LeadHistory: each lead's current status is dated at its CreatedDate "
                              "(its ConvertedDate when converted); days in those stages are not real "
                              "(stage_history.entered_at_source says where each time came from)")

    def closing(self, label: str | None) -> str | None:
        """The stage of an opportunity stage value: won/lost as Opportunity.csv flags the value
        (IsWon/IsClosed), else the stage map; an unmapped open value counts as the opportunity stage."""
        won, lost, opp_stage = self.cfg.won_stage, self.cfg.lost_stage, self.cfg.opportunity_stage
        flagged = self.label_close.get(_key(label or ""))
        if flagged == "won":
            return won
        if flagged == "lost":
            return lost
        found, stage = self.opp_stage.get(label or "")
        if not found:
            self.opp_stage.unmapped[label] += 1
            return opp_stage
        if flagged == "open" and stage in (won, lost):
            self.conflicts[label] += 1
            return opp_stage
        return stage

    def opportunity_stages(self, opps: dict[str, dict]) -> None:
        self.conflicts: Counter = Counter()
        self.added_close = 0
        self.closed_before_person: list[str] = []
        for oid, opp in opps.items():
            person = self.person_of[oid]
            sheet, i = opp["sheet"], opp["i"]
            created = opp["created_at"]
            entered: list[str | None] = []
            times: list[datetime] = []  # of this deal's stage entries
            if sheet is not None:
                opp["closed_at"] = (self.day_time(sheet, i, "CloseDate", created)
                                    if opp["status"] in ("won", "lost") else None)
            if opp["history"]:
                for hs, hi, at in opp["history"]:
                    label = hs.col("StageName")[hi]
                    stage = self.closing(label)
                    entered.append(stage)
                    if stage:
                        self.stage(person, stage, at, "OpportunityHistory", label, hs.file, hs.lines[hi])
                        times.append(at)
            elif sheet is not None:
                label = sheet.col("StageName")[i]
                if opp["status"] == "open":
                    stage = self.closing(label)
                    if stage:
                        self.stage(person, stage, created, "Opportunity.CreatedDate (current stage, no history)",
                                   label, sheet.file, sheet.lines[i])
                        times.append(created)
                else:  # closed before it was created: the deal is taken as created when it closed
                    start = min(created, opp["closed_at"] or created)
                    self.stage(person, self.cfg.opportunity_stage, start, "Opportunity.CreatedDate", None,
                               sheet.file, sheet.lines[i])
                    times.append(start)
            if sheet is not None:
                want = {"won": self.cfg.won_stage, "lost": self.cfg.lost_stage}.get(opp["status"])
                last = next((s for s in reversed(entered) if s), None)
                if want and last != want and opp["closed_at"]:
                    at = max(opp["closed_at"], *(h[2] for h in opp["history"])) if opp["history"] else opp["closed_at"]
                    self.stage(person, want, at, "Opportunity.CloseDate (IsClosed = 1)", sheet.col("StageName")[i],
                               sheet.file, sheet.lines[i])
                    times.append(at)
                    self.added_close += bool(opp["history"])
            else:
                hs, hi, _ = opp["history"][-1]
                last = next((s for s in reversed(entered) if s), None)
                opp["status"] = ("won" if last == self.cfg.won_stage else
                                 "lost" if last == self.cfg.lost_stage else "open")
                opp["closed_at"] = (self.day_time(hs, hi, "CloseDate", created)
                                    if opp["status"] != "open" else None)
            self.exists_by(person, oid, min(times, default=None))

    def exists_by(self, person_id: str, oid: str, first: datetime | None) -> None:
        """One deal policy: a deal is kept with its stage entries, so the person it belongs to existed by
        the first of them (by the deal's creation, _contact_person, or by its close when it closed
        before it was created)."""
        person = self.people[person_id]
        if first and first < person.created_at:
            person.created_at = person.row["created_at"] = first
            self.closed_before_person.append(oid)

    # --- touches and activities --------------------------------------------------------------------

    def person_for(self, lead_id: str | None, contact_id: str | None) -> str | None:
        if lead_id and lead_id in self.people and self.people[lead_id].kind == "Lead":
            return lead_id
        if contact_id:
            if contact_id in self.converted_contact:
                return self.converted_contact[contact_id]
            if contact_id in self.people:
                return contact_id
        return None

    def touches(self, channel: dict[str, str | None]) -> None:
        sheet = self.sheets.get("CampaignMember")
        if sheet is None:
            return
        self.out.present.add("touches")
        first_campaign: dict[str, tuple] = {}
        for i in range(len(sheet)):
            if self.deleted(sheet, i):
                continue
            if not truthy(sheet.col("HasResponded")[i]):
                self.skip(sheet, i, "campaign members without a response (not touches)")
                continue
            lead_id, contact_id = sheet.col("LeadId")[i], sheet.col("ContactId")[i]
            person = self.person_for(lead_id, contact_id)
            if person is None:
                self.reject(sheet, i, "LeadId" if lead_id else "ContactId", lead_id or contact_id,
                            "unknown lead (not in Lead.csv, and not a contact converted from a lead or with "
                            "an opportunity)")
                continue
            day = self.clock.day(sheet.col("FirstRespondedDate")[i])
            if day:
                at = self.local.midnight(day)
            else:
                at = self.time(sheet, i, "CreatedDate", required=True)
                if not at:
                    continue
            campaign = sheet.col("CampaignId")[i]
            self.out.add("touches", {"touch_id": sheet.col("Id")[i], "lead_id": person, "occurred_at": at,
                                     "channel": channel.get(campaign), "campaign_id": campaign,
                                     "touch_type": sheet.col("Status")[i]}, sheet.file, sheet.lines[i])
            if person not in first_campaign or at < first_campaign[person][0]:
                first_campaign[person] = (at, campaign)
        for person, (_, campaign) in first_campaign.items():
            if self.people[person].row.get("campaign_id") is None:
                self.people[person].row["campaign_id"] = campaign

    def activities(self, opps: dict[str, dict]) -> None:
        sheet = self.sheets.get("Task")
        if sheet is None:
            return
        self.out.present.add("activities")
        for i in range(len(sheet)):
            if self.deleted(sheet, i):
                continue
            closed = truthy(sheet.col("IsClosed")[i])
            if closed is False or (closed is None and (sheet.col("Status")[i] or "").lower() not in ("completed", "")):
                self.skip(sheet, i, "open tasks (not done yet, not activities)")
                continue
            who, what = sheet.col("WhoId")[i], sheet.col("WhatId")[i]
            person = self.person_for(who if (who or "").startswith("00Q") else None,
                                     who if (who or "").startswith("003") else None)
            if person is None and not who and what in self.person_of:
                person = self.person_of[what]
            if person is None:
                self.reject(sheet, i, "WhoId" if who else "WhatId", who or what,
                            "not linked to a known lead, a contact in the funnel or an opportunity")
                continue
            at = self.clock.time(sheet.col("CompletedDateTime")[i]) or self.time(sheet, i, "CreatedDate", True)
            if not at:
                continue
            kind = (sheet.col("Type")[i] or sheet.col("TaskSubtype")[i]
                    or ("Call" if sheet.col("CallType")[i] else "Email" if sheet.col("EmailMessageId")[i] else "Task"))
            self.out.add("activities", {"activity_id": sheet.col("Id")[i], "lead_id": person,
                                        "rep_id": sheet.col("OwnerId")[i], "occurred_at": at,
                                        "activity_type": kind.lower(), "subject": sheet.col("Subject")[i]},
                         sheet.file, sheet.lines[i])

    # --- output -------------------------------------------------------------------------------------

    def finish(self, opps: dict[str, dict]) -> None:
        self.out.present.update({"leads", "stage_history"})
        for person in self.people.values():
            self.out.add("leads", person.row, person.file, person.line)
        if opps:
            self.out.present.add("opportunities")
        for oid, opp in opps.items():
            sheet, i = opp["sheet"], opp["i"]
            if sheet is None:
                hs, hi, _ = opp["history"][-1]
                currency = hs.col("CurrencyIsoCode")[hi]
                row = {"opportunity_id": oid, "lead_id": self.person_of[oid], "created_at": opp["created_at"],
                       "closed_at": opp["closed_at"], "status": opp["status"],
                       "amount": number_text(hs.col("Amount")[hi]), "crm_stage": hs.col("StageName")[hi],
                       "currency": currency}
                fs, fi, _ = opp["history"][0]
                file, line = fs.file, fs.lines[fi]
            else:
                currency = sheet.col("CurrencyIsoCode")[i]
                loss = next((sheet.columns[h][i] for h in sheet.columns
                             if LOSS_REASON.match(h) and sheet.columns[h][i]), None)
                competitor = next((sheet.columns[h][i] for h in sheet.columns
                                   if COMPETITOR.search(h) and sheet.columns[h][i]), None)
                row = {"opportunity_id": oid, "lead_id": self.person_of[oid],
                       "account_id": sheet.col("AccountId")[i], "created_at": opp["created_at"],
                       "closed_at": opp["closed_at"], "status": opp["status"],
                       "amount": number_text(sheet.col("Amount")[i]), "owner_id": sheet.col("OwnerId")[i],
                       "loss_reason": loss if opp["status"] == "lost" else None, "competitor": competitor,
                       "crm_stage": sheet.col("StageName")[i], "type": sheet.col("Type")[i],
                       "lead_source": sheet.col("LeadSource")[i], "campaign_id": sheet.col("CampaignId")[i],
                       "currency": currency, **{f.lower(): sheet.col(f)[i] for f in self.opp_fields}}
                file, line = sheet.file, sheet.lines[i]
            self.out.add("opportunities", row, file, line)
        self.explain(opps)

    def explain(self, opps: dict[str, dict]) -> None:
        # deals closed before they were created, and amounts in several currencies, are the canonical
        # import's to repair and convert (analytics/importers/deal_repairs.py), with its own notes
        if self.opp_stage.unmapped:
            self.notes.append("opportunity stages not in the map count as the opportunity stage (map them under "
                              "[salesforce.opportunity_stage]): "
                              + ", ".join(f"{k} ({n:,})" for k, n in self.opp_stage.unmapped.most_common()))
        if self.conflicts:
            self.notes.append("stages the map calls won/lost are open in Opportunity.csv (IsClosed = 0), so they "
                              "count as the opportunity stage: " + ", ".join(self.conflicts))
        if self.added_close:
            self.notes.append(f"{self.added_close} closed opportunities have no closing stage in OpportunityHistory: "
                              "their won/lost entry is dated at CloseDate")
        if moved := self.closed_before_person:
            self.notes.append(f"{len(moved):,} opportunities closed before their lead, contact or own record was "
                              f"created ({', '.join(moved[:5])}{' …' * (len(moved) > 5)}): each person is taken as "
                              "created at that close, so the won/lost entry is kept with its deal")
        if self.stage_counts:
            self.notes.append("stage entries by where their time comes from: "
                              + ", ".join(f"{k} {n:,}" for k, n in self.stage_counts.most_common()))
        loaded_as = {"Lead": "leads", "Contact": "contacts in the funnel as leads", "Opportunity": "opportunities",
                     "OpportunityHistory": "stage entries", "LeadHistory": "status changes",
                     "EntityHistory": "status changes", "Campaign": "campaigns", "CampaignMember": "touches",
                     "Task": "activities", "User": "reps", "Account": "accounts",
                     "OpportunityContactRole": "contact roles", "DatedConversionRate": "exchange rates",
                     "CurrencyType": "exchange rates"}
        for obj, sheet in self.sheets.items():
            self.notes.append(self.ledger.summary(sheet.file, len(sheet), loaded_as[obj]))


def _bool_text(value: str | None) -> str | None:
    got = truthy(value)
    return None if got is None else str(got).lower()

