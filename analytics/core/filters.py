"""The filters every page and report shares, as bound query parameters."""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta


@dataclass(frozen=True)
class Filters:
    """Lead filters (empty = all), an inclusive date range and the currency money figures are shown in
    (None = the data's default, queries/macros/money.sql); hashable, so it keys caches."""
    sources: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    industries: tuple[str, ...] = ()
    owners: tuple[str, ...] = ()
    start: date | None = None
    end: date | None = None
    currency: str | None = None

    def lead_params(self) -> dict[str, dict[str, list[str]]]:
        """The lead filters as the one bound parameter `$lead_filter` the SQL macros read (empty list =
        all; queries/macros/lead_filter.sql)."""
        return {"lead_filter": {"sources": list(self.sources), "regions": list(self.regions),
                                "industries": list(self.industries), "owners": list(self.owners)}}

    def over(self, start: date | None = None, end: date | None = None) -> Filters:
        """The same lead filters and currency over another period (None: all time)."""
        return replace(self, start=start, end=end)

    def lead_filters(self) -> tuple[tuple[str, ...], ...]:
        return self.sources, self.regions, self.industries, self.owners

    @property
    def is_narrowed(self) -> bool:
        return any(self.lead_filters())


def default_period(as_of: date, last_lead: date | None, days: int) -> tuple[date, date]:
    """The `days` days up to as-of; when no lead was created in them (a historic export whose as-of is
    a late close), the `days` days up to the day the last lead was created: the latest period with leads."""
    start = as_of - timedelta(days=days - 1)
    if last_lead is not None and last_lead < start:
        return last_lead - timedelta(days=days - 1), last_lead
    return start, as_of
