"""The Salesforce objects this converter reads: their files, required and kept fields, id prefixes,
and the default picklist maps (value -> stage role, resolved through the config's stage names)."""
from __future__ import annotations

import re

from analytics.importers.formats.common import truthy

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


def clean_salesforce(value: str) -> str | None:
    value = value.lstrip("\x00").strip()
    return None if not value or value == EMPTY_ID else value


def bool_text(value: str | None) -> str | None:
    got = truthy(value)
    return None if got is None else str(got).lower()

