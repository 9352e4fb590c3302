"""`--format salesforce`: a Salesforce Data Export (or Data Loader export) folder -> canonical tables.

Reads whichever of these objects are present, one `<Object>.csv` each (a Data Loader `extract.csv`
is recognised by the id prefix of its first row): Lead, LeadHistory (or the Data Export's
EntityHistory), Contact, Account, Opportunity, OpportunityHistory, OpportunityContactRole, Campaign,
CampaignMember, Task, User. Both producers: the Data Export service (every value quoted, 0/1
booleans, `000000000000000AAA` for an empty lookup, `YYYY-MM-DD HH:MM:SS` in UTC, Latin-1 or UTF-8,
rich text starting with a NUL byte) and the Data Loader (`...T...Z` times, UTF-8 with a BOM, any
header case). The funnel person ("lead" in the canonical model) is the Lead; an opportunity belongs
to the lead converted into it, else to its contact (Opportunity.ContactId, else its first contact
role), else it stands for its own buyer. Lead Status and StageName values map to stages through
`DEFAULT_LEAD_STATUS` / `DEFAULT_OPPORTUNITY_STAGE`, overridable by a mapping file (`--mapping`):

    [salesforce]
    timezone = "UTC"                 # zone of Data Export times (Salesforce stores UTC)
    lead_fields = ["Region__c"]      # extra Lead / Opportunity columns to keep as dimensions
    opportunity_fields = []
    [salesforce.lead_status]
    "Open - Not Contacted" = "mql"   # a configured stage name, or "" to ignore the value
    [salesforce.opportunity_stage]
    "Interes" = "sql"

Won and lost come from Opportunity.IsClosed / IsWon, never from a label. Every row of every file
read ends as a canonical row, a reject, or a counted reason in the notes (`Ledger`). What HubSpot's
converter shares with this one is in `formats/common.py` and `formats/ledger.py`; this package holds
the objects (`objects.py`), reading (`reading.py`), records (`records.py`), stage history
(`stages.py`) and touches, activities and the output (`engagement.py`).
"""
from __future__ import annotations

from pathlib import Path

from analytics.core.config import Config
from analytics.importers.formats import Converted
from analytics.importers.formats.ledger import Ledger
from analytics.importers.formats.salesforce.engagement import Engagement
from analytics.importers.formats.salesforce.objects import EMPTY_ID
from analytics.importers.formats.salesforce.records import Records
from analytics.importers.formats.salesforce.stages import StageHistory

__all__ = ["EMPTY_ID", "convert", "convert_with_ledger"]


def convert(src: Path, cfg: Config, mapping: Path | None = None) -> Converted:
    return convert_with_ledger(src, cfg, mapping)[0]


def convert_with_ledger(src: Path, cfg: Config, mapping: Path | None = None) -> tuple[Converted, Ledger]:
    run = SalesforceExport(Path(src), cfg, mapping)
    converted = run.run()
    return converted, run.ledger


class SalesforceExport(Records, StageHistory, Engagement):
    """One conversion: each step reads the sheets and emits rows; `run` gives their order."""

    def run(self) -> Converted:
        self.read()
        self.reps()
        campaign_channel = self.campaigns()
        self.exchange_rates()
        accounts = self.accounts()
        self.leads()
        opps = self.opportunities()
        self.link(opps, accounts)
        self.opportunity_stages(opps)  # first: a deal's close may move its person's creation back
        self.person_stages()
        self.lead_stages()
        self.touches(campaign_channel)
        self.activities(opps)
        self.finish(opps)
        return Converted(self.out.frames(), self.rejects, self.notes)
