"""Shown-text helpers every page uses: a column relabelled in the session's language, and the sentence
naming the export files a section needs."""
from __future__ import annotations

import polars as pl

from analytics.i18n.messages import t


def relabel(frame: pl.DataFrame, column: str, label) -> pl.DataFrame:
    """frame with `column` replaced by label(value), computed here: t() reads the session's language from
    this thread's context, which Polars' worker threads (map_elements) do not have."""
    return frame.with_columns(pl.Series(column, [label(v) for v in frame[column]], dtype=pl.String))


def needs_text(tables) -> str:
    """The sentence naming the export files a section needs and what each switches on."""
    return t("handoff.needs", files=", ".join(f"**{n}.csv**" for n in tables),
             enables=" ".join(t(f"enables.{n}") for n in tables))


def missing(present: set[str], *tables: str) -> str | None:
    """needs_text for the tables this database lacks; None when it has them all."""
    lacking = [n for n in tables if n not in present]
    return needs_text(lacking) if lacking else None
