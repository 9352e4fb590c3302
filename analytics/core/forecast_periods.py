"""The periods a bookings forecast covers (the month and quarter containing its cut-off) and the bound
parameters of its marts, shared by the engine (analytics/engine/forecast.py) and the import, which stores
the answers at the data's own as-of (forecast_*_now tables) so that the page's forecast reads them."""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

PERIODS = ("month", "quarter")
# the tables the import stores (queries/marts/<mart> at the default as-of, default currency)
STORED = {"forecast_training_now": "marts/forecast_training", "forecast_new_deals_now": "marts/forecast_new_deals",
          "forecast_deals_now": "marts/forecast_deals"}


@dataclass(frozen=True)
class Period:
    kind: str
    start: datetime
    end: datetime  # exclusive

    @property
    def label(self) -> str:
        if self.kind == "month":
            return self.start.strftime("%Y-%m")
        return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"


def period_of(kind: str, at: datetime) -> Period:
    first_month = at.month if kind == "month" else 3 * ((at.month - 1) // 3) + 1
    start = datetime(at.year, first_month, 1)
    index = start.year * 12 + start.month - 1 + (1 if kind == "month" else 3)
    return Period(kind, start, datetime(index // 12, index % 12 + 1, 1))


def previous(period: Period) -> Period:
    return period_of(period.kind, period.start - timedelta(days=1))


def horizon_days(cutoff: datetime, end: datetime) -> int:
    return max(1, math.ceil((end - cutoff).total_seconds() / 86400))


def mart_params(cutoff: datetime, periods: list[Period], currency: str | None) -> dict[str, dict]:
    """mart -> its parameters for a forecast made at `cutoff` over `periods`."""
    training = {"as_of": cutoff, "horizons": sorted({horizon_days(cutoff, p.end) for p in periods}),
                "currency": currency}
    return {"marts/forecast_training": training, "marts/forecast_new_deals": training,
            "marts/forecast_deals": {"as_of": cutoff, "from_at": min(p.start for p in periods), "currency": currency}}


def current_periods(cutoff: datetime) -> list[Period]:
    return [period_of(kind, cutoff) for kind in PERIODS]
