"""What became of every row a CRM converter read (`Ledger`: loaded, rejected, or a counted reason),
and the canonical rows it emits, with their source file and line (`Emitter`)."""
from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, datetime

import polars as pl

from analytics.core.schema import DATE, TABLES, TIMESTAMP
from analytics.importers.formats import SOURCE_FILE, SOURCE_LINE
from analytics.importers.formats.common import Sheet


class Ledger:
    """What became of every row read: loaded (into a canonical row), rejected, or a counted reason."""
    LOADED, REJECTED = "loaded", "rejected"

    def __init__(self) -> None:
        self.rows: dict[str, dict[int, str]] = defaultdict(dict)
        self.order: list[str] = []

    def read(self, sheet: Sheet) -> None:
        self.order.append(sheet.file)
        self.rows[sheet.file]  # noqa: B018  (a file with no rows still gets a line in the notes)

    def mark(self, file: str, line: int, outcome: str) -> None:
        """Loaded beats rejected beats any other reason: a lead that loads but whose status was
        rejected still counts as loaded (its reject stays in the rejects table)."""
        now = self.rows[file].get(line)
        rank = {self.LOADED: 2, self.REJECTED: 1}
        if now is None or rank.get(outcome, 0) > rank.get(now, 0):
            self.rows[file][line] = outcome

    def summary(self, file: str, total: int, loaded_as: str) -> str:
        counts = Counter(self.rows[file].values())
        parts = []
        if counts[self.LOADED]:
            parts.append(f"{counts[self.LOADED]:,} {loaded_as}")
        parts += [f"{n:,} {reason}" for reason, n in counts.items()
                  if reason not in (self.LOADED, self.REJECTED)]
        if counts[self.REJECTED]:
            parts.append(f"{counts[self.REJECTED]:,} rejected")
        unaccounted = total - sum(counts.values())
        if unaccounted:
            parts.append(f"{unaccounted:,} unaccounted")
        return f"{file}: {total:,} rows: {', '.join(parts) or 'none'}"


class Emitter:
    """Collects canonical rows per table (with their source file and line) and builds the frames."""

    def __init__(self, ledger: Ledger) -> None:
        self.rows: dict[str, list[dict]] = defaultdict(list)
        self.extras: dict[str, list[str]] = defaultdict(list)
        self.known: dict[str, set[str]] = defaultdict(set)
        self.ledger = ledger
        self.present: set[str] = set()

    def add(self, table: str, row: dict, file: str, line: int) -> None:
        row[SOURCE_FILE], row[SOURCE_LINE] = file, line
        self.rows[table].append(row)
        self.ledger.mark(file, line, Ledger.LOADED)
        if not row.keys() <= self.known[table]:
            for k in row:
                if k not in TABLES[table].columns and k not in self.extras[table] and k not in (SOURCE_FILE,
                                                                                                 SOURCE_LINE):
                    self.extras[table].append(k)
            self.known[table] |= row.keys()

    def add_also(self, table: str, row: dict, file: str, line: int) -> None:
        """A second canonical row from a source row another table already accounts for in the ledger
        (OpportunityHistory: a stage entry or a merged repeat, and always a history row)."""
        outcome = self.ledger.rows[file].get(line)
        self.add(table, row, file, line)
        if outcome is None:
            del self.ledger.rows[file][line]
        else:
            self.ledger.rows[file][line] = outcome

    def frames(self) -> dict[str, pl.DataFrame]:
        out = {}
        for table in [*TABLES]:
            if table not in self.present and not self.rows.get(table):
                continue
            spec = TABLES[table]
            schema = {}
            for c, kind in spec.columns.items():
                schema[c] = (pl.Datetime("us", "UTC") if kind == TIMESTAMP else pl.Date if kind == DATE
                             else pl.String)
            for c in self.extras[table]:
                schema[c] = pl.String
            schema[SOURCE_FILE], schema[SOURCE_LINE] = pl.String, pl.Int64
            rows = self.rows.get(table, [])
            for r in rows:
                for c, v in r.items():
                    if v is not None and not isinstance(v, (str, int, datetime, date)):
                        r[c] = str(v)  # numbers become text: the canonical import types them
            out[table] = pl.from_dicts(rows, schema=schema) if rows else pl.DataFrame(schema=schema)
        return out

