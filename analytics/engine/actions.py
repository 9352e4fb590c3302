"""The meeting's action items as of one ISO week: which a week's meeting lists, which are open,
carried over from earlier weeks, or overdue. The one rule the weekly page, the review pack and the
meeting store share.

As of week W (week labels such as 2026-W07 sort in time order):

- an item belongs to the week it was raised in (`week`); a later week's items do not exist yet;
- it is closed as of W when its status is done or dropped and it was closed in week W or before
  (`closed_week`; closed in an unknown week counts as closed at every week); otherwise it is open —
  an item done in W47 was still open in the W46 meeting;
- W lists its own items (open or closed) and the earlier weeks' items still open (carried over);
- an open item due before W's Sunday is overdue.

Frames in (MeetingStore.actions()), frame out; nothing here reads a clock or a database.
"""
from __future__ import annotations

import polars as pl

from analytics.engine.weekly import Week
from analytics.store.meetings import CLOSED, STATUSES

OPEN = tuple(s for s in STATUSES if s not in CLOSED)  # open, in progress


def is_open_now() -> pl.Expr:
    """Open today, whatever the week: status open or in progress."""
    return pl.col("status").is_in(list(OPEN))


def still_open(items: pl.DataFrame) -> pl.DataFrame:
    """The items open today."""
    return items.filter(is_open_now())


def as_of(items: pl.DataFrame, week: Week) -> pl.DataFrame:
    """The items the meeting of `week` lists (its own, and earlier weeks' still open), with
    status_as_of (a status closed after the week reads open), is_open, is_carried and is_overdue."""
    closed_week = pl.col("closed_week") if "closed_week" in items.columns else pl.lit(None, pl.String)
    closed_later = pl.col("status").is_in(list(CLOSED)) & closed_week.is_not_null() & (closed_week > week.label)
    is_open = is_open_now() | closed_later
    return (items
            .filter(pl.col("week") <= week.label)
            .with_columns(pl.when(closed_later).then(pl.lit("open")).otherwise(pl.col("status")).alias("status_as_of"),
                          is_open.alias("is_open"),
                          (pl.col("week") < week.label).alias("is_carried"))
            .filter(~pl.col("is_carried") | pl.col("is_open"))
            .with_columns((pl.col("is_open") & (pl.col("due_date") < week.sunday)).fill_null(False)
                          .alias("is_overdue")))


def counts(listed: pl.DataFrame) -> dict[str, int]:
    """How many items a week lists (as_of's frame): n, open, carried (over from earlier weeks), overdue."""
    return {"n": listed.height, "open": int(listed["is_open"].sum()), "carried": int(listed["is_carried"].sum()),
            "overdue": int(listed["is_overdue"].sum())}
