"""Importers for real exports: each turns a folder in its own shape into the canonical tables.

A converter reads `src` and returns a `Converted`: canonical tables as Polars frames (column names
of docs/data_model.md; values as text or typed), rows it could not map with the file, line, column and
reason, notes to print, and caveats about figures to store with the data. A frame may carry
`_source_file` and `_source_line` columns: the canonical import then reports rejects against the
original file and line, and drops them.
The canonical import validates everything a converter produced, like any other export.
A reject names the canonical table its row was meant for (`Reject.table`); a converter that leaves
it out gets the first table (in the canonical order) that rows of the same file went into.
"""
from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from analytics.core.config import Config
from analytics.core.schema import TABLES

SOURCE_FILE, SOURCE_LINE = "_source_file", "_source_line"


class ConversionFailed(Exception):
    """The export cannot be converted at all; the message names the file and column."""


@dataclass
class Reject:
    file: str
    line: int | None
    column: str | None
    value: str | None
    reason: str
    table: str | None = None  # the canonical table the row was meant for (None: see Converted.table_of)


@dataclass
class Caveat:
    """What the importer knows about a figure that the data cannot say (Olist's "amount" is a declared
    monthly revenue, not a deal value). Stored in the import_notes table; the pages showing figures of
    `topic` (amount) show the message `note.<code>` filled with `values`, `note` is its English text."""
    topic: str
    code: str
    note: str
    values: dict[str, str | int] = field(default_factory=dict)


@dataclass
class Converted:
    tables: dict[str, pl.DataFrame]
    rejects: list[Reject] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    caveats: list[Caveat] = field(default_factory=list)

    def table_of(self, reject: Reject) -> str:
        """The canonical table a reject belongs to: its own, else the first table fed by its file,
        else "(conversion)" (a file none of whose rows became a canonical row)."""
        if reject.table:
            return reject.table
        for name in (t for t in TABLES if t in self.tables):
            frame = self.tables[name]
            if SOURCE_FILE in frame.columns and (frame[SOURCE_FILE] == reject.file).any():
                return name
        return "(conversion)"


Converter = Callable[[Path, Config, Path | None], Converted]

# format name -> "module:function" (imported only when used)
FORMATS: dict[str, str] = {
    "olist": "analytics.importers.formats.olist:convert",
    "maven": "analytics.importers.formats.maven:convert",
    "salesforce": "analytics.importers.formats.salesforce:convert",
    "hubspot": "analytics.importers.formats.hubspot:convert",
    "mapped": "analytics.importers.formats.mapped:convert",
    "facebook_ads": "analytics.importers.formats.facebook_ads:convert",
}


def available() -> list[str]:
    """The formats whose converter module exists, plus canonical."""
    names = ["canonical"]
    for name, target in FORMATS.items():
        module = target.split(":")[0]
        if importlib.util.find_spec(module) is not None:
            names.append(name)
    return names


def convert(fmt: str, src: Path, cfg: Config, mapping: Path | None = None) -> Converted:
    if fmt not in FORMATS:
        raise ConversionFailed(f"unknown format {fmt!r}; choose one of: {', '.join(available())}")
    module, function = FORMATS[fmt].split(":")
    try:
        converter: Converter = getattr(importlib.import_module(module), function)
    except ModuleNotFoundError:
        raise ConversionFailed(f"the {fmt} importer is not available in this version") from None
    return converter(src, cfg, mapping)
