"""The Salesforce conversion's base: its settings, the plumbing every step uses (rejects, skipped rows,
times, deleted rows) and the reading of the export folder into one sheet per object."""
from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from analytics.core.config import Config
from analytics.importers.formats import ConversionFailed, Reject
from analytics.importers.formats.common import (
    Clock,
    Sheet,
    StageMap,
    load_settings,
    read_sheet,
    sniff_encoding,
    truthy,
)
from analytics.importers.formats.ledger import Emitter, Ledger
from analytics.importers.formats.salesforce.objects import (
    COMPETITOR,
    DEFAULT_LEAD_STATUS,
    DEFAULT_OPPORTUNITY_STAGE,
    FIELDS,
    ID_PREFIX,
    LOSS_REASON,
    OBJECTS,
    REQUIRED,
    clean_salesforce,
)


@dataclass
class Person:
    """A funnel person: a Lead, a Contact that an opportunity points at, or a lone opportunity."""
    lead_id: str
    kind: str
    created_at: datetime
    file: str
    line: int
    row: dict = field(default_factory=dict)
    since: str = ""  # where created_at comes from, for stage_history.entered_at_source


class Reading:
    """The state of one Salesforce conversion and the steps every other part uses."""

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
        self.people: dict[str, Person] = {}
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
            sheet = read_sheet(path, self.cfg.encoding, self.rejects, keep, clean_salesforce)
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
