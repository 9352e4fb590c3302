"""HubSpot contacts -> leads and their lifecycle stage entries (the companies' fields joined in), with
the contact's source and the time of each stage it entered."""
from __future__ import annotations

from collections import Counter
from datetime import datetime

from analytics.importers.formats import ConversionFailed
from analytics.importers.formats.common import (
    Sheet,
    employees_band,
)
from analytics.importers.formats.hubspot.fields import (
    CONTACT_ID,
    CREATED,
    LIFECYCLE_DATE,
    lifecycle_key,
    number_or_none,
)
from analytics.importers.formats.hubspot.reading import Reading


class Contacts(Reading):
    """Contacts (with their companies) -> leads and lifecycle stage entries."""

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
                    stage_cols.append((h, lifecycle_key(m.group(1))))
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
            score = number_or_none(score_text)
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
            current = lifecycle_key(sheet.columns[lifecycle_col][i] or "") if lifecycle_col else ""
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

