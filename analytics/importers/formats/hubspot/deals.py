"""HubSpot deals -> opportunities and their stage entries; each deal linked to its contact (by
association id, else by e-mail) or standing alone; then every row accounted for."""
from __future__ import annotations

from analytics.importers.formats import ConversionFailed
from analytics.importers.formats.common import (
    Sheet,
    number_text,
    truthy,
)
from analytics.importers.formats.hubspot.fields import (
    CREATED,
    DEAL_EMAIL,
    DEAL_ID,
    DEAL_STAGE_DATE,
    EMAIL,
)
from analytics.importers.formats.hubspot.reading import Reading


class Deals(Reading):
    """Deals -> opportunities and stage entries, linked to their contacts; then the output."""

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
        self.deal_history(deals)
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

    def deal_history(self, deals: dict[str, dict]) -> None:
        """The deal stages' "Date entered" columns as opportunity_history: one change per stage entered,
        the stage as HubSpot labels it (amounts and close dates have no history in an export)."""
        changes = 0
        for did, deal in deals.items():
            for _, at, _, label in sorted(deal["stages"], key=lambda s: s[1]):
                self.out.add_also("opportunity_history", {"opportunity_id": did, "changed_at": at, "stage": label},
                                  deal["file"], deal["line"])
                changes += 1
        if changes:
            self.out.present.add("opportunity_history")
            self.notes.append(f"deal stages' Date entered columns: {changes:,} stage changes kept as "
                              "opportunity_history (pipeline movement by stage; amounts and close dates as exported)")
