"""The HubSpot export shapes this converter knows: the default lifecycle and deal stage maps, the
labels it reads (both label generations), and how a header's repeated labels are told apart."""
from __future__ import annotations

import re

from analytics.importers.formats.common import (
    dedupe,
)

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


def used_label(label: str) -> bool:
    low = label.lower()
    return low in USED or "date" in low or low.startswith("record id") or low.startswith("hs_lifecyclestage_")


def lifecycle_key(label: str) -> str:
    """A lifecycle stage label or internal name as the internal name ("Marketing Qualified Lead")."""
    key = re.sub(r"[^a-z0-9]", "", label.lower())
    return {"otherlifecycle": "other"}.get(key, key)


def name_segments(header: list[str]) -> list[str]:
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


def number_or_none(text: str | None) -> float | None:
    try:
        return float(text) if text is not None else None
    except ValueError:
        return None

