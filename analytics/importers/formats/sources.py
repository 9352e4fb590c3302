"""Reading the files of an export as text frames, and the row rules the frame-based converters (Olist,
Maven, ad spend, mapped) share.

- `read_source`: a CSV in any common encoding (BOM or not), delimiter (`,` `;` tab `|`) and line ending,
  read as text with the physical line of every row. A trailing comma on every line (an unnamed, empty
  last column) is ignored; a row with the wrong number of fields becomes a reject, never a shifted row.
- `reject_where`, `reject_duplicates`: rows split off as rejects with their file, line, column and value.
- `with_dates`: date columns parsed by `dates.parse_dates`, each flagged where a value is not a date.
"""
from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from analytics.core.config import Config
from analytics.importers.formats import SOURCE_FILE, SOURCE_LINE, ConversionFailed, Reject
from analytics.importers.formats.dates import parse_dates
from analytics.importers.readers import UnreadableFile, detect_encoding, load_raw, normalise_header
from analytics.store import limits


@dataclass
class Source:
    """One source file as text: `frame` has the header's columns (as written) plus `_source_line`."""
    path: Path
    frame: pl.DataFrame
    rejects: list[Reject] = field(default_factory=list)
    absent: tuple[str, ...] = ()  # optional columns the file does not have (read_columns: read as empty)

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def columns(self) -> list[str]:
        return [c for c in self.frame.columns if c != SOURCE_LINE]

    def find(self, wanted: str) -> str | None:
        """The column called `wanted`, exactly or up to case and spacing ("Lead Source" ~ lead_source)."""
        if wanted in self.columns:
            return wanted
        matches = [c for c in self.columns if normalise_header(c) == normalise_header(wanted)]
        return matches[0] if len(matches) == 1 else None


def read_source(path: Path, encoding: str = "") -> Source:
    """Read a CSV (or .xlsx/.parquet) export file as text, keeping each row's physical line."""
    if path.suffix.lower() in (".xlsx", ".parquet"):
        return _read_other(path, encoding)
    enc = encoding or detect_encoding(path)
    try:
        with open(path, encoding=enc, newline="") as f:
            first = f.readline()
            f.seek(0)
            return _read_csv(path, f, max(",;\t|", key=first.count))
    except (OSError, UnicodeError) as e:
        raise ConversionFailed(f"{path.name}: cannot be read ({e})") from None
    except csv.Error as e:
        raise ConversionFailed(f"{path.name}: not a readable CSV file ({e})") from None


def _read_csv(path: Path, f, delimiter: str) -> Source:
    reader = csv.reader(f, delimiter=delimiter)
    header = next(reader, None)
    if not header or not any(h.strip() for h in header):
        raise ConversionFailed(f"{path.name}: the file is empty (no header row)")
    header = [h.replace("\ufeff", "").strip() for h in header]
    # a trailing delimiter on every line leaves unnamed empty columns at the end: tolerated
    named = len(header)
    while named and not header[named - 1]:
        named -= 1
    header = header[:named]
    _check_header(header, path)
    values: list[list[str | None]] = [[] for _ in header]
    lines: list[int] = []
    rejects: list[Reject] = []
    start = reader.line_num + 1
    for record in reader:
        if not any(v.strip() for v in record):  # blank line: not a row
            start = reader.line_num + 1
            continue
        if len(record) > named and not any(v.strip() for v in record[named:]):
            record = record[:named]  # trailing commas
        if len(record) != named:
            rejects.append(Reject(path.name, start, None, _preview(delimiter.join(record)),
                                  f"expected {named} fields, found {len(record)}"))
        else:
            for column, v in zip(values, record, strict=True):
                column.append(v.strip() or None)
            lines.append(start)
        start = reader.line_num + 1
    data: dict[str, Any] = dict(zip(header, values, strict=True))
    data[SOURCE_LINE] = lines
    frame = pl.DataFrame(data, schema={**{h: pl.String for h in header}, SOURCE_LINE: pl.Int64})
    return Source(path, frame, rejects)


def _check_header(header: list[str], path: Path) -> None:
    if "" in header:
        raise ConversionFailed(f"{path.name}: column {header.index('') + 1} of the header has no name")
    seen = {h for h in header if header.count(h) > 1}
    if seen:
        raise ConversionFailed(f"{path.name}: column {sorted(seen)[0]!r} appears twice in the header")


def _read_other(path: Path, encoding: str) -> Source:
    con = limits.connect()  # with the running import's memory limit and threads
    try:
        bad = load_raw(con, path, "raw", encoding)
        frame = con.sql("select * exclude (_line), _line::bigint as _source_line from raw order by _line").pl()
    except UnreadableFile as e:
        raise ConversionFailed(str(e)) from None
    finally:
        con.close()
    frame = frame.with_columns(pl.col(c).str.strip_chars().replace("", None) for c in frame.columns
                               if c != SOURCE_LINE)
    return Source(path, frame, [Reject(path.name, line, None, None, reason) for line, reason in bad])


def _preview(text: str, n: int = 80) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def require_columns(source: Source, wanted: Sequence[str]) -> None:
    """Stop when the file lacks one of `wanted` (matched up to case and spacing), naming them all."""
    missing = [w for w in wanted if source.find(w) is None]
    if missing:
        what = "column" if len(missing) == 1 else "columns"
        raise ConversionFailed(f"{source.name}: {what} {', '.join(repr(m) for m in missing)} missing "
                               f"(found: {', '.join(source.columns)})")


def read_columns(path: Path, columns: Sequence[str], encoding: str = "", optional: Sequence[str] = (),
                 notes: list[str] | None = None) -> Source:
    """A file of a fixed export format: exactly `columns` (found up to case and spacing, renamed to
    these names); a missing one stops the conversion, naming the file and the column, unless it is
    `optional`: then it is read as empty, listed in the Source's `absent`, and a note says so."""
    source = read_source(path, encoding)
    absent = tuple(c for c in optional if c in columns and source.find(c) is None)
    require_columns(source, [c for c in columns if c not in absent])
    if absent and notes is not None:
        notes.append(f"{source.name}: no {', '.join(repr(c) for c in absent)} column (optional): left empty")
    frame = source.frame.select(*(pl.lit(None, pl.String).alias(c) if c in absent else pl.col(source.find(c)).alias(c)
                                  for c in columns), SOURCE_LINE)
    return Source(source.path, frame, source.rejects, absent)


def export_files(src: Path) -> list[Path]:
    """The CSV files of an export folder, by name (hidden files and Excel lock files left out)."""
    return [p for p in sorted(src.iterdir())
            if p.is_file() and p.suffix.lower() in (".csv", ".txt") and not p.name.startswith((".", "~$"))]


# --- dates ----------------------------------------------------------------------------------------

def category(expr: pl.Expr) -> pl.Expr:
    """One spelling per category: lower case, words joined by `_` ("Car Accessories", "car-accessories"
    and "car_accessories" are one value); list items stay `, `-separated ("Cat,Wolf" -> "cat, wolf")."""
    return (expr.str.to_lowercase().str.strip_chars()
            .str.replace_all(r"\s*,\s*", ",").str.replace_all(r"[\s\-_]+", "_")
            .str.strip_chars("_").str.replace_all(",", ", ").replace("", None))


def reject_where(frame: pl.DataFrame, bad: pl.Expr, file: str, column: str | None,
                 reason: str | pl.Expr, value: str | pl.Expr | None = None,
                 table: str | None = None) -> tuple[pl.DataFrame, list[Reject]]:
    """Split off the rows where `bad` holds as rejects (file, original line, column, value, reason;
    `table`, the canonical table the rows were meant for)."""
    reason_expr = pl.lit(reason) if isinstance(reason, str) else reason
    if value is None:
        value_expr = pl.col(column).cast(pl.String) if column else pl.lit(None, pl.String)
    else:
        value_expr = pl.lit(value) if isinstance(value, str) else value
    # reason and value are computed on the whole frame (they may look at other rows, as a window does)
    flagged = frame.with_columns(_bad=bad.fill_null(False), _value=value_expr, _reason=reason_expr)
    hit = flagged.filter(pl.col("_bad"))
    rejects = [Reject(file, line, column, v, r, table)
               for line, v, r in hit.select(SOURCE_LINE, "_value", "_reason").rows()]
    return flagged.filter(~pl.col("_bad")).drop("_bad", "_value", "_reason"), rejects


def reject_duplicates(frame: pl.DataFrame, key: str, file: str) -> tuple[pl.DataFrame, list[Reject]]:
    """Keep the first row of each key; later ones are rejects that point at the first."""
    first = pl.col(SOURCE_LINE).min().over(key)
    return reject_where(frame, pl.col(SOURCE_LINE) > first, file, key,
                        pl.format("duplicate {} (first at line {})", pl.lit(key), first))


def with_dates(frame: pl.DataFrame, columns: Mapping[str, str], file: str, cfg: Config, hint: str,
               notes: list[str]) -> pl.DataFrame:
    """Parse each date column (source -> ISO text column, plus a `_bad_<out>` flag); the file's date
    columns are evidence for each other's day/month order; how the order was read goes to notes."""
    values = {c: frame[c].to_list() for c in columns}
    for column, out in columns.items():
        dates = parse_dates(values[column], file, column, cfg.timestamp_formats, None, hint, values)
        if dates.note:
            notes.append(dates.note)
        flags = [False] * frame.height
        for i in dates.bad:
            flags[i] = True
        frame = frame.with_columns(pl.Series(out, dates.text, pl.String), pl.Series(f"_bad_{out}", flags))
    return frame


def finish(frame: pl.DataFrame, columns: Sequence[str], file: str) -> pl.DataFrame:
    """The canonical frame: `columns` (text) plus where each row came from."""
    return frame.select(*(pl.col(c).cast(pl.String) for c in columns),
                        pl.lit(file).alias(SOURCE_FILE), pl.col(SOURCE_LINE))


# --- the mapping ----------------------------------------------------------------------------------
