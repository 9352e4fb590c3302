"""Salesforce records -> canonical rows: users (reps), campaigns, exchange rates, accounts, leads,
opportunities and their history, and the link of each opportunity to its funnel person."""
from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from analytics.importers.formats.common import (
    Sheet,
    employees_band,
    iso_currency,
    label_key,
    number_text,
    role_stage,
    truthy,
)
from analytics.importers.formats.ledger import Ledger
from analytics.importers.formats.salesforce.objects import (
    bool_text,
)
from analytics.importers.formats.salesforce.reading import Person, Reading


class Records(Reading):
    """Salesforce objects -> reps, campaigns, rates, accounts, leads, opportunities, their people."""

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
                "is_active": bool_text(sheet.col("IsActive")[i]),
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
            self.people[lead_id] = Person(lead_id, "Lead", created, sheet.file, sheet.lines[i], row)
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
                    if self.label_close.get(label_key(label)) in (None, "open"):
                        self.label_close[label_key(label)] = status
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
        self.raw_history = {oid: sorted(rows) for oid, rows in by_opp.items()}  # every change: opportunity_history
        collapsed: dict[str, list] = {}
        merged = 0
        for oid, rows in by_opp.items():
            rows.sort()
            kept, last = [], None
            for at, _, i in rows:
                stage = sheet.col("StageName")[i]
                if last is not None and label_key(stage) == label_key(last):
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
        self.people[cid] = Person(cid, "Contact", row["created_at"], sheet.file, sheet.lines[i], row)
        return cid

    def _lone_person(self, oid: str, opp: dict, accounts) -> str:
        sheet, i = opp["sheet"], opp["i"]
        if sheet is None:
            hs, hi, _ = opp["history"][0]
            row = {"lead_id": oid, "created_at": opp["created_at"], "crm_object": "Opportunity"}
            self.people[oid] = Person(oid, "Opportunity", opp["created_at"], hs.file, hs.lines[hi], row,
                                       "OpportunityHistory (first row)")
            return oid
        account = accounts.get(sheet.col("AccountId")[i], {})
        row = {"lead_id": oid, "created_at": opp["created_at"], "source": sheet.col("LeadSource")[i],
               "campaign_id": sheet.col("CampaignId")[i], "account_id": sheet.col("AccountId")[i],
               "industry": account.get("industry"), "company_size": account.get("company_size"),
               "country": account.get("country"), "owner_id": sheet.col("OwnerId")[i],
               "crm_object": "Opportunity", "company": account.get("company")}
        self.people[oid] = Person(oid, "Opportunity", opp["created_at"], sheet.file, sheet.lines[i], row)
        return oid

