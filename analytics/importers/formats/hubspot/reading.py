"""The HubSpot conversion's base: its settings, the plumbing every step uses (rejects, times in the
account zone, ids, records) and the reading of the folder, each file recognised by its header."""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from datetime import UTC, datetime
from pathlib import Path

from analytics.core.config import Config
from analytics.importers.formats import ConversionFailed, Reject
from analytics.importers.formats.common import (
    Clock,
    Sheet,
    StageMap,
    load_settings,
    read_sheet,
    role_stage,
)
from analytics.importers.formats.dates import date_reason, parse_dates
from analytics.importers.formats.hubspot.fields import (
    DEFAULT_DEAL_STAGE,
    DEFAULT_LIFECYCLE,
    EXAMPLE,
    FORMAT_HINT,
    REJECT_TABLE,
    SCIENTIFIC,
    TWO_DIGIT_YEAR,
    lifecycle_key,
    name_segments,
    used_label,
)
from analytics.importers.formats.ledger import Emitter, Ledger


class Reading:
    """The state of one HubSpot conversion and the steps every other part uses."""

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
            self.lifecycle[lifecycle_key(label)] = stage or None
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
            sheet = read_sheet(path, self.cfg.encoding, self.rejects, keep=used_label, rename=name_segments)
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

