"""Salesforce stage history: lead status changes and opportunity stages -> stage entries of the funnel
person, with the close of a deal from IsClosed / IsWon, never from a label."""
from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime

from analytics.importers.formats.common import (
    Sheet,
    label_key,
    truthy,
)
from analytics.importers.formats.salesforce.reading import Reading


class StageHistory(Reading):
    """Lead status changes and opportunity stages -> stage entries of each funnel person."""

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
                if previous is not None and label_key(label) == label_key(previous):
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
        flagged = self.label_close.get(label_key(label or ""))
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

