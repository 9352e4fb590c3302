"""`--format hubspot`: HubSpot contacts and deals exports (CSV or XLSX, any file names) -> canonical tables.

Each file in the folder is recognised by its header: deals ("Deal Stage", "Deal Name", "Deal owner"),
contacts ("Lifecycle Stage", "Contact owner", "Record ID - Contact", "Email"), companies ("Company
name"); both label generations are read: "Became a Lead Date" / "Original Source" and 2026's
`Date entered "Lead (Lifecycle Stage Pipeline)"` / "Original Traffic Source". A contact is a funnel
person (lead), its source the original (traffic) source, else the portal's own `Lead Source` (kept as
`lead_source` either way); a deal is an opportunity, belonging to its first associated contact
(`Associated Contact IDs`, else a contact whose `Associated Deal IDs` lists it, else the contact with
the deal's e-mail in `Associated Contact` "Name (e-mail)" or `Contact email`), else standing alone as
`deal-<id>`. Owners are names (Contact owner, Deal owner) and become reps by name. Rejects name the
canonical table of their file (contacts: leads, deals: opportunities) and why a time is not one.

HubSpot writes wall-clock times in the account time zone with no offset: the config's `timezone`
(or `[hubspot] timezone` in a mapping file) says which. A file re-saved by a spreadsheet (unquoted,
CRLF, `M/D/YY H:MM` or `D/M/YYYY`) is read too: the day/month order is detected per file from
values like 13/2 or 2/13, or taken from `timestamp_formats` (config or mapping file); a file whose
slashed dates never say which, with no format configured, stops with the file, column and a value.

Mapping file (`--mapping`), every key optional:

    [hubspot]
    timezone = "Europe/Madrid"
    timestamp_formats = ["%d/%m/%Y %H:%M"]
    [hubspot.lifecycle_stage]      # lifecycle stage (label or internal name) -> stage, "" = none
    "Subscriber" = "lead"
    [hubspot.deal_stage]           # deal stage label, or "Label (Pipeline)" -> stage
    "Contract Sent" = "sql"
    [hubspot.lead_status]          # Lead Status value -> stage (no defaults: SAL lives here)
    "Connected" = "sal"

The package: export shapes and labels (`fields.py`), reading (`reading.py`), contacts
(`contacts.py`), deals and their links (`deals.py`); what it shares with Salesforce's converter is in
`formats/common.py` and `formats/ledger.py`.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from pathlib import Path

from analytics.core.config import Config
from analytics.importers.formats import Converted
from analytics.importers.formats.hubspot.contacts import Contacts
from analytics.importers.formats.hubspot.deals import Deals
from analytics.importers.formats.ledger import Ledger

__all__ = ["convert", "convert_with_ledger"]


def convert(src: Path, cfg: Config, mapping: Path | None = None) -> Converted:
    return convert_with_ledger(src, cfg, mapping)[0]


def convert_with_ledger(src: Path, cfg: Config, mapping: Path | None = None) -> tuple[Converted, Ledger]:
    run = HubSpotExport(Path(src), cfg, mapping)
    return run.run(), run.ledger


class HubSpotExport(Contacts, Deals):
    """One conversion: contacts, then deals linked to them; `run` gives the order."""

    def run(self) -> Converted:
        kinds = self.read()
        self.companies = self.read_companies(kinds.get("companies", []))
        self.people: dict[str, dict] = {}
        self.entries: dict[str, list] = defaultdict(list)
        self.reps: dict[str, tuple[str, int]] = {}
        self.deal_links: dict[str, list[tuple[datetime, str]]] = defaultdict(list)
        self.emails: dict[str, list[tuple[datetime, str]]] = defaultdict(list)  # e-mail -> (created, contact)
        for sheet in kinds.get("contacts", []):
            self.contacts(sheet)
        deals = {}
        for sheet in kinds.get("deals", []):
            deals.update(self.deals(sheet))
        self.link(deals)
        self.finish(deals, kinds)
        return Converted(self.out.frames(), self.rejects, self.notes)
