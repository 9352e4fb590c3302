"""Action lists: leads a meeting acts on (SLA breaches, stalled leads), one row per lead with the
owner's name, the stage and SLA in words, and a journey link; a picked row opens the journey here."""
from __future__ import annotations

import polars as pl

from analytics.i18n.messages import has, stage_label, t
from analytics.ui import widgets
from analytics.ui.lookups import with_owner_names
from analytics.ui.url import journey_links


def _words(frame: pl.DataFrame) -> pl.DataFrame:
    """Stages and SLAs by their names (the frame's own codes stay in its CSV download)."""
    sla = lambda s: t(f"weekly.sla.{s}") if s and has(f"weekly.sla.{s}") else s  # noqa: E731
    for column, label in (("stage", stage_label), ("sla", sla)):
        if column in frame.columns:
            frame = frame.with_columns(pl.Series(column, [label(v) if v else v for v in frame[column]],
                                                 dtype=pl.String))
    return frame


def lead_list(frame: pl.DataFrame, name: str, key: str, labels: dict[str, str] | None = None,
              keep_codes: bool = False) -> None:
    """The list as ordered by the engine (the most recent, least overdue first), the owner by name (the
    id in the last column and the CSV download), stages and SLAs in words (with `keep_codes`, their codes
    too, in the last columns), a journey link on every row."""
    if "owner_id" in frame.columns and "owner_name" not in frame.columns:
        frame = with_owner_names(frame)
    top = frame.head(widgets.TABLE_ROWS)  # what the table shows: links and words for these rows only
    links = pl.Series("journey", journey_links(top["lead_id"]), dtype=pl.String)
    shown = _words(top).insert_column(0, links)
    labels = dict(labels or {})
    if keep_codes:  # the words where the codes were, the codes at the far end
        for column in ("stage", "sla"):
            if column in frame.columns:
                shown = shown.rename({column: f"{column}_name"}).with_columns(top[column])
                labels.setdefault(f"{column}_name", t(f"weekly.col.{column}"))
                labels.setdefault(column, t(f"weekly.col.{column}_code"))
    if "owner_name" in shown.columns and "owner_id" in shown.columns:  # the name up front, the id at the far end
        shown = shown.select(pl.exclude("owner_id"), "owner_id")
    picked = widgets.pick(frame, name, key, shown=shown, labels=labels)
    if picked:
        widgets.journey_link(picked["lead_id"])
