"""Salesforce engagement and the end of the conversion: campaign members -> touches, tasks ->
activities, then the opportunities and people written out and every row accounted for."""
from __future__ import annotations

from analytics.importers.formats.common import (
    number_text,
    truthy,
)
from analytics.importers.formats.salesforce.objects import (
    COMPETITOR,
    LOSS_REASON,
)
from analytics.importers.formats.salesforce.reading import Reading


class Engagement(Reading):
    """Campaign members -> touches, tasks -> activities, and the output with every row accounted for."""

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
        self.opportunity_history(opps)
        self.explain(opps)

    def opportunity_history(self, opps: dict[str, dict]) -> None:
        """Every OpportunityHistory row of a kept opportunity, repeats of a stage included (they change
        the amount or the close date): stage as the CRM names it, Amount in the deal's currency,
        CloseDate as the expected close, Probability."""
        sheet = self.sheets.get("OpportunityHistory")
        if sheet is None:
            return
        self.out.present.add("opportunity_history")
        kept = 0
        for oid, rows in getattr(self, "raw_history", {}).items():
            if oid not in opps:
                continue
            for at, _, i in rows:
                close = self.clock.day(sheet.col("CloseDate")[i])
                self.out.add_also("opportunity_history", {
                    "opportunity_id": oid, "changed_at": at, "stage": sheet.col("StageName")[i],
                    "amount": number_text(sheet.col("Amount")[i]),
                    "expected_close_at": self.local.midnight(close, None) if close else None,
                    "probability": number_text(sheet.col("Probability")[i])}, sheet.file, sheet.lines[i])
                kept += 1
        self.notes.append(f"OpportunityHistory: {kept:,} changes of stage, amount or close date kept as "
                          "opportunity_history (pipeline movement and the forecast's track record)")

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

