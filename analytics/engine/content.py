"""Content that moves deals (docs/reviews.md, what sales asks of marketing): for each content item and stage,
forward conversion of the leads that touched it in that stage against those that did not, the
lift with a 95% interval, a recommendation per stage, and late-stage content nobody uses."""
from __future__ import annotations

import math
from datetime import datetime

import polars as pl

from analytics.core.filters import Filters
from analytics.core.stats import Z95
from analytics.engine.base import NO_FILTERS, as_of_of, require
from analytics.store.db import Store
from analytics.store.sql import run

MIN_TOUCHED = 20
LATE = ("middle", "bottom")


def content_lift(store: Store, filters: Filters = NO_FILTERS, as_of: datetime | None = None) -> pl.DataFrame:
    """stage, content_id, title, content_type, funnel_stage, touched_leads, touched_rate,
    untouched_leads, untouched_rate, lift, lift_low, lift_high, is_low_volume."""
    require(store, "touches")
    frame = run(store.con, "marts/content_progress", {**filters.lead_params(), "as_of": as_of_of(store, as_of)})
    a, n1 = pl.col("touched_progressed"), pl.col("touched_leads")
    c, n2 = pl.col("untouched_progressed"), pl.col("untouched_leads")
    # Katz log interval for a ratio of two proportions; undefined when a count is zero.
    se = (1 / a - 1 / n1 + 1 / c - 1 / n2).sqrt()
    ok = (a > 0) & (c > 0) & (n2 > 0)
    return frame.with_columns(
        (a / n1).alias("touched_rate"),
        pl.when(n2 > 0).then(c / n2).alias("untouched_rate"),
        pl.when(ok).then((a / n1) / (c / n2)).alias("lift"),
        pl.when(ok).then(((a / n1) / (c / n2)).log() - Z95 * se).exp().alias("lift_low"),
        pl.when(ok).then(((a / n1) / (c / n2)).log() + Z95 * se).exp().alias("lift_high"),
        (n1 < MIN_TOUCHED).alias("is_low_volume"),
    )


def recommendations(lift: pl.DataFrame) -> pl.DataFrame:
    """Per stage, the content with the best lift among items touched by enough leads (a lower
    interval bound above 1 marks a reliable recommendation)."""
    usable = lift.filter(~pl.col("is_low_volume") & pl.col("lift").is_not_null())
    return (usable.sort(["stage_order", "lift"], descending=[False, True])
            .group_by("stage", maintain_order=True).head(3)
            .with_columns((pl.col("lift_low") > 1).alias("is_reliable")))


def unused_late_content(store: Store, lift: pl.DataFrame, late_stages: tuple[str, ...] | None = None) -> pl.DataFrame:
    """Middle/bottom-of-funnel content touched by few or no leads in the late sales stages."""
    cfg = store.cfg
    late_stages = late_stages or (cfg.qualified_stage, cfg.opportunity_stage)
    cur = store.con.cursor()
    try:
        catalogue = cur.sql("select content_id, title, content_type, funnel_stage from content").pl()
    finally:
        cur.close()
    used = (lift.filter(pl.col("stage").is_in(list(late_stages)))
            .group_by("content_id").agg(pl.col("touched_leads").sum().alias("late_stage_leads")))
    return (catalogue.filter(pl.col("funnel_stage").is_in(list(LATE)))
            .join(used, on="content_id", how="left")
            .with_columns(pl.col("late_stage_leads").fill_null(0))
            .filter(pl.col("late_stage_leads") < MIN_TOUCHED)
            .sort(["late_stage_leads", "content_id"]))


def katz_interval(a: int, n1: int, c: int, n2: int) -> tuple[float, float]:
    """95% interval of (a/n1) / (c/n2), the Katz log method (for tests and single figures)."""
    ratio = (a / n1) / (c / n2)
    se = math.sqrt(1 / a - 1 / n1 + 1 / c - 1 / n2)
    return math.exp(math.log(ratio) - Z95 * se), math.exp(math.log(ratio) + Z95 * se)
