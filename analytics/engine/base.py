"""What every engine module shares: its errors, the as-of default and the bound parameters of a mart."""
from __future__ import annotations

from datetime import datetime

from analytics.core.filters import Filters
from analytics.store.db import Store

NO_FILTERS = Filters()


class MetricError(ValueError):
    """A request that cannot be answered as asked (unknown stage, stages in the wrong order)."""


class MissingData(MetricError):
    """The metric needs an export table this database does not have."""

    def __init__(self, table: str):
        self.table = table
        super().__init__(f"this needs {table}.csv (or .parquet/.xlsx) in the export folder; it was not imported")


def require(store: Store, table: str) -> None:
    if table not in store.tables_present():
        raise MissingData(table)


def as_of_of(store: Store, as_of: datetime | None) -> datetime | None:
    """The time a figure is judged at: the one asked for, else the data's own (its latest event)."""
    return as_of or store.default_as_of


def query_params(store: Store, filters: Filters, as_of: datetime | None, **extra) -> dict:
    """The bound parameters of a mart: the lead filter, the period, the as-of (default: the data's own)
    and the currency money is shown in (the chosen one when the data has it, else the default)."""
    return {**filters.lead_params(), "start": filters.start, "end": filters.end, "as_of": as_of_of(store, as_of),
            "currency": store.money_currency(filters.currency), **extra}
