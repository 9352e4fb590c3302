"""The bound parameters of the stalled-leads marts (`marts/stalled`, and `stalled_now`, which the
import stores): the lead filters, the as-of, the won stage and the stall thresholds of the
configuration, stage by stage. The import and the engine both build them here, so the stored list
and a list asked for later cannot disagree."""
from __future__ import annotations

from datetime import datetime

from analytics.core.config import Config
from analytics.core.filters import Filters


def stalled_params(cfg: Config, filters: Filters, as_of: datetime) -> dict:
    stall = cfg.stall_days or {}
    return {**filters.lead_params(), "as_of": as_of, "won_stage": cfg.won_stage,
            "stall_stages": list(stall), "stall_values": [float(v) for v in stall.values()]}
