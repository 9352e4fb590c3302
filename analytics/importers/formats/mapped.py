"""`--format mapped --mapping FILE`: any CRM's CSV export, described by a small mapping file.

The mapping (TOML, or YAML with the same structure; docs/mapping.md) says, per canonical table, which
file feeds it and, per canonical column, which source column (or constant) with an optional value map;
stage rows come from rules (a constant stage at a date column, a status column mapped to stages, a
condition such as `Converted = 1`). A table or stage rule may `join` lookup files on a key (their
columns become usable, rows never multiply). Stage and status labels that the map leaves out stop the
conversion with every such label and its row count; a stage rule without its own time says which it
took. `mappings/salesforce_report.toml` and `mappings/x_education.toml` are the worked examples.

This module also holds the reading and date rules the Olist and Maven converters share:

- `read_source`: a CSV in any common encoding (BOM or not), delimiter (`,` `;` tab `|`) and line ending,
  read as text with the physical line of every row. A trailing comma on every line (an unnamed, empty
  last column) is ignored; a row with the wrong number of fields becomes a reject, never a shifted row.
- `parse_dates`: ISO or year-first dates with `-` `.` `/` separators, optional time, AM/PM and offset;
  for `12/03/2018`-style dates the day/month order is decided once per column from the values (a first
  part above 12 proves day-first, a second part above 12 proves month-first). A column where nothing
  decides it, and no format is configured, stops the conversion with the file, column and an example:
  a date is never guessed.
"""
from __future__ import annotations

import calendar
import csv
import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from analytics.core.config import Config
from analytics.core.schema import DATE, REQUIRED_TABLES, TABLES, TIMESTAMP
from analytics.importers.formats import SOURCE_FILE, SOURCE_LINE, ConversionFailed, Converted, Reject
from analytics.importers.readers import UnreadableFile, detect_encoding, load_raw, normalise_header

# --- reading a source file ------------------------------------------------------------------------


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
    con = duckdb.connect()
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

_TIME = (r"(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,6}))?)?(?:\s*([AaPp])\.?[Mm]\.?)?)?"
         r"\s*(Z|[+-]\d{2}:?\d{2})?")
_YEAR_FIRST = re.compile(r"(\d{4})[-./](\d{1,2})[-./](\d{1,2})\.?" + _TIME)
_YEAR_LAST = re.compile(r"(\d{1,2})[-./](\d{1,2})[-./](\d{4}|\d{2})" + _TIME)
ISO_TEXT = "%Y-%m-%d %H:%M:%S"


@dataclass
class Dates:
    """A parsed date column: `values` as datetimes (None when blank or bad), `text` as ISO text for the
    canonical import, `bad` the positions of values that are not dates, `note` how the order was read."""
    values: list[datetime | None]
    bad: list[int]
    note: str | None = None
    order: str | None = None  # how `12/03/2018`-style values were read: "dmy", "mdy" or a strptime format

    @property
    def text(self) -> list[str | None]:
        return [None if v is None else _iso(v) for v in self.values]


def _iso(v: datetime) -> str:
    text = v.strftime(ISO_TEXT + (".%f" if v.microsecond else ""))
    if v.tzinfo is not None:
        offset = v.utcoffset() or timedelta(0)
        minutes = int(offset.total_seconds() // 60)
        text += f"{'+' if minutes >= 0 else '-'}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
    return text


def parse_dates(values: Sequence[str | None], file: str, column: str, formats: Sequence[str] = (),
                stated: str | None = None, hint: str = "",
                also: Mapping[str, Sequence[str | None]] | None = None) -> Dates:
    """Parse one column of dates; see the module docstring for the rules.

    `stated` is a strptime format that applies to every value (ISO values are accepted too);
    `formats` (the config's timestamp_formats) settle a column whose day/month order the values
    leave open, and read values of no known shape; `also` holds the file's other date columns, whose
    values count as evidence of the order too (one file is written with one locale). Stops
    (ConversionFailed) on a column nothing decides.
    """
    out: list[datetime | None] = [None] * len(values)
    bad: list[int] = []
    year_last: list[tuple[int, re.Match]] = []
    for i, raw in enumerate(values):
        if raw is None or not raw.strip():
            continue
        v = raw.strip()
        if stated:
            out[i] = _strptime(v, (stated,)) or _year_first(v)
        elif m := _YEAR_LAST.fullmatch(v):
            year_last.append((i, m))
            continue
        else:
            out[i] = _year_first(v) or _strptime(v, formats)
        if out[i] is None:
            bad.append(i)
    note = order = None
    if year_last:
        evidence = [(column, values[i].strip(), m) for i, m in year_last]
        for other, others in (also or {}).items():
            if other != column:
                evidence += [(other, v.strip(), m) for v in others if v and (m := _YEAR_LAST.fullmatch(v.strip()))]
        order, note = _order(evidence, [values[i].strip() for i, _ in year_last], file, column, formats, hint)
        for i, m in year_last:
            out[i] = _strptime(values[i].strip(), (order,)) if order.startswith("%") else _year_last(m, order)
            if out[i] is None:
                bad.append(i)
    return Dates(out, sorted(bad), note, order)


def date_reason(value: str, order: str | None = None, example: str = "2024-03-05 14:30") -> str:
    """Why `value` is not a date/time: a value of a date's shape whose month, day or time cannot be
    ("not a calendar date: February 2026 has no 30th day"), or one in no known date form at all.
    `order` is the column's day/month order (Dates.order), needed to explain `31/02/2024`."""
    v = value.strip()
    parts = None
    if m := _YEAR_FIRST.fullmatch(v):
        parts = int(m[1]), int(m[2]), int(m[3])
    elif (m := _YEAR_LAST.fullmatch(v)) and order:
        if order.startswith("%"):
            order = "dmy" if order.find("%d") < order.find("%m") else "mdy"
        a, b, year = int(m[1]), int(m[2]), int(m[3])
        year += (2000 if year < 70 else 1900) if len(m[3]) == 2 else 0
        parts = (year, b, a) if order == "dmy" else (year, a, b)
    unreadable = f"unreadable date/time format (expected e.g. {example})"
    if parts is None:
        return unreadable
    year, month, day = parts
    if not 1 <= month <= 12:
        return f"not a calendar date: there is no month {month}"
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        return f"not a calendar date: {calendar.month_name[month]} {year} has {days} days, no {_ordinal(day)}"
    hour, minute, second, half = int(m[4] or 0), int(m[5] or 0), int(m[6] or 0), m[8]
    if hour > 23 or minute > 59 or second > 59 or (half and not 1 <= hour <= 12):
        return f"not a time of day: {m[4]}:{m[5]}" + (f" {half.upper()}M" if half else "")
    return unreadable


def _ordinal(n: int) -> str:
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


def _order(evidence: list[tuple[str, str, re.Match]], own: list[str], file: str, column: str,
           formats: Sequence[str], hint: str) -> tuple[str, str]:
    """'dmy' or 'mdy' from the evidence, else the first configured format that reads all `own` values."""
    day_first = next(((c, v) for c, v, m in evidence if int(m[1]) > 12 and int(m[2]) <= 12), None)
    month_first = next(((c, v) for c, v, m in evidence if int(m[2]) > 12 and int(m[1]) <= 12), None)
    shown = lambda found: repr(found[1]) + ("" if found[0] == column else f" in {found[0]}")  # noqa: E731
    if day_first and month_first:
        raise ConversionFailed(f"{file}: column {column}: dates are both day-first ({shown(day_first)}) and "
                               f"month-first ({shown(month_first)}); fix the file or state one format{hint}")
    if day_first or month_first:
        order, example = ("dmy", day_first) if day_first else ("mdy", month_first)
        label = "day-first (DD/MM/YYYY)" if day_first else "month-first (MM/DD/YYYY)"
        return order, f"{file}: {column} read as {label}, as {shown(example)} shows"
    for fmt in formats:
        if all(_strptime(v, (fmt,)) for v in own):
            return fmt, f"{file}: {column} read with the configured format {fmt!r}"
    raise ConversionFailed(
        f"{file}: column {column}: cannot tell whether dates such as {own[0]!r} are day-first or "
        f"month-first (no date in the file has a day above 12); state the format{hint}")


def _strptime(v: str, formats: Sequence[str]) -> datetime | None:
    for fmt in formats:
        try:
            return datetime.strptime(v, fmt)
        except ValueError:
            continue
    return None


def _year_first(v: str) -> datetime | None:
    m = _YEAR_FIRST.fullmatch(v)
    return _build(int(m[1]), int(m[2]), int(m[3]), m, 4) if m else None


def _year_last(m: re.Match, order: str) -> datetime | None:
    a, b, year = int(m[1]), int(m[2]), int(m[3])
    if len(m[3]) == 2:
        year += 2000 if year < 70 else 1900
    day, month = (a, b) if order == "dmy" else (b, a)
    return _build(year, month, day, m, 4)


def _build(year: int, month: int, day: int, m: re.Match, g: int) -> datetime | None:
    hour, minute, second, fraction, half, offset = (m[g], m[g + 1], m[g + 2], m[g + 3], m[g + 4], m[g + 5])
    h = int(hour or 0)
    if half:
        if not 1 <= h <= 12:
            return None
        h = h % 12 + (12 if half.lower() == "p" else 0)
    tz = None
    if offset:
        if offset == "Z":
            tz = UTC
        else:
            digits = offset[1:].replace(":", "")
            delta = timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
            tz = timezone(delta if offset[0] == "+" else -delta)
    try:
        return datetime(year, month, day, h, int(minute or 0), int(second or 0),
                        int((fraction or "0").ljust(6, "0")), tzinfo=tz)
    except ValueError:
        return None


# --- helpers the converters share -----------------------------------------------------------------

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

STATUSES = ("open", "won", "lost")
MAPPING_HINT = ' (date_format = "%d/%m/%Y", or format = ... on the column, in the mapping)'
SPEC_KEYS = {"column", "value", "map", "format"}


class MappingError(ConversionFailed):
    pass


def convert(src: Path, cfg: Config, mapping: Path | None = None) -> Converted:
    if mapping is None:
        raise ConversionFailed("--format mapped needs --mapping FILE (TOML or YAML); see docs/mapping.md")
    spec = load_mapping(mapping, cfg)
    return Mapped(src, cfg, spec, mapping.name).run()


def load_mapping(path: Path, cfg: Config) -> dict:
    """Read the mapping file (TOML, or YAML by suffix) and check it against the canonical model and
    the configured stages, before any data is read; errors name the file and the entry."""
    try:
        text = path.read_bytes()
    except OSError as e:
        raise MappingError(f"{path}: cannot read the mapping ({e.strerror or e})") from None
    if path.suffix.lower() in (".yaml", ".yml"):
        import yaml

        try:
            spec = yaml.safe_load(text)
        except yaml.YAMLError as e:
            raise MappingError(f"{path.name}: not valid YAML ({str(e).splitlines()[0]})") from None
    else:
        try:
            spec = tomllib.loads(text.decode("utf-8-sig"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
            raise MappingError(f"{path.name}: not valid TOML ({e})") from None
    if not isinstance(spec, dict):
        raise MappingError(f"{path.name}: the mapping must be a table of settings")
    _validate(spec, path.name, cfg)
    return spec


def _validate(spec: dict, name: str, cfg: Config) -> None:
    known = {"missing", "date_format", *TABLES}
    for key in spec:
        if key not in known:
            raise MappingError(f"{name}: [{key}] is not a canonical table or setting "
                               f"(tables: {', '.join(TABLES)}; settings: missing, date_format)")
    for table in REQUIRED_TABLES:
        if table not in spec:
            raise MappingError(f"{name}: [{table}] is missing; the canonical model requires it")
    missing = spec.get("missing", [])
    if not isinstance(missing, list) or not all(isinstance(m, str) for m in missing):
        raise MappingError(f"{name}: missing must be a list of texts, e.g. missing = [\"Select\"]")
    if not isinstance(spec.get("date_format", ""), str):
        raise MappingError(f"{name}: date_format must be a strptime format such as \"%d/%m/%Y\"")
    tables = [t for t in spec if t not in ("missing", "date_format", "stage_history")]
    for table in tables:
        _validate_table(table, spec[table], f"{name}: [{table}]", spec, cfg)
    rules = spec["stage_history"]
    for i, rule in enumerate(rules if isinstance(rules, list) else [rules], 1):
        _validate_rule(rule, f"{name}: [[stage_history]] rule {i}", spec, cfg)


def _validate_table(table: str, section: Any, where: str, mapping: dict, cfg: Config) -> None:
    if not isinstance(section, dict):
        raise MappingError(f"{where} must be a table with file and columns")
    for key in section:
        if key not in ("file", "columns", "extra", "join"):
            raise MappingError(f"{where}: unknown setting {key!r} (use file, columns, extra, join)")
    if not isinstance(section.get("file"), str):
        raise MappingError(f"{where}: file = \"...\" (the source file, in the export folder) is missing")
    joins(section, where)
    columns = section.get("columns", {})
    if not isinstance(columns, dict):
        raise MappingError(f"{where}.columns must be a table of canonical column = source column")
    spec = TABLES[table]
    for column, value in columns.items():
        if column not in spec.columns:
            raise MappingError(f"{where}.columns: {column!r} is not a column of {table} "
                               f"(columns: {', '.join(spec.columns)}; put other columns under [{table}.extra])")
        _validate_spec(value, f"{where}.columns.{column}")
        if spec.columns[column] in (TIMESTAMP, DATE):
            _validate_constant_date(value, f"{where}.columns.{column}", mapping, cfg)
    for column in spec.required:
        if column not in columns:
            raise MappingError(f"{where}.columns: {column} is missing; the canonical {table} table requires it")
    extra = section.get("extra", {})
    if not isinstance(extra, dict):
        raise MappingError(f"{where}.extra must be a table of new column = source column")
    for column, value in extra.items():
        if column in spec.columns:
            raise MappingError(f"{where}.extra: {column!r} is a canonical column; map it under columns")
        _validate_spec(value, f"{where}.extra.{column}")


def joins(section: dict, where: str) -> list[tuple[str, str, str]]:
    """A table's lookup files as (file, this table's key column, the lookup file's key column)."""
    given = section.get("join", [])
    out = []
    for n, join in enumerate(given if isinstance(given, list) else [given], 1):
        at = f"{where}.join {n}"
        if not isinstance(join, dict) or set(join) - {"file", "on"} or not isinstance(join.get("file"), str):
            raise MappingError(f"{at} must be {{ file = \"companies.csv\", on = \"Company ID\" }}")
        on = join.get("on")
        if isinstance(on, str):
            out.append((join["file"], on, on))
        elif isinstance(on, dict) and len(on) == 1 and all(isinstance(v, str) for v in on.values()):
            out.append((join["file"], *next(iter(on.items()))))
        else:
            raise MappingError(f"{at}: on = \"Company ID\" (a column both files have) or on = {{ \"Company ID\" = "
                               "\"Id\" }} (this table's column = the lookup file's key column)")
    return out


def _validate_rule(rule: Any, where: str, spec: dict, cfg: Config) -> None:
    if not isinstance(rule, dict):
        raise MappingError(f"{where} must be a table (stage, entered_at, when, file, lead_id, join)")
    for key in rule:
        if key not in ("file", "lead_id", "stage", "entered_at", "when", "join"):
            raise MappingError(f"{where}: unknown setting {key!r} (use stage, entered_at, when, file, lead_id, join)")
    joins(rule, where)
    if "stage" not in rule:
        raise MappingError(f"{where}: stage is missing (a constant {{ value = \"mql\" }} or a status column)")
    leads = spec.get("leads", {}).get("columns", {})
    for key in ("stage", "entered_at", "lead_id"):
        if key in rule:
            _validate_spec(rule[key], f"{where}.{key}")
        elif key == "entered_at" and "created_at" not in leads:
            raise MappingError(f"{where}: entered_at is missing")
    if "file" in rule and not isinstance(rule["file"], str):
        raise MappingError(f"{where}: file must be a file name")
    if "file" in rule and "lead_id" not in rule:
        raise MappingError(f"{where}: a rule reading its own file needs lead_id = \"...\" too")
    if "entered_at" in rule:
        _validate_constant_date(rule["entered_at"], f"{where}.entered_at", spec, cfg)
    stage = rule["stage"]
    stages = ", ".join(cfg.all_stages)
    if isinstance(stage, dict) and "value" in stage and stage["value"] not in cfg.all_stages:
        raise MappingError(f"{where}: stage {stage['value']!r} is not a configured stage ({stages})")
    for target in ((stage.get("map") or {}).values() if isinstance(stage, dict) else ()):
        if target not in ("", None) and target not in cfg.all_stages:
            raise MappingError(f"{where}: stage map value {target!r} is not a configured stage ({stages})")
    when = rule.get("when")
    if when is not None:
        if (not isinstance(when, dict) or set(when) - {"column", "in"} or not isinstance(when.get("column"), str)
                or not isinstance(when.get("in"), list)):
            raise MappingError(f"{where}.when must be {{ column = \"Converted\", in = [\"1\"] }}")


def _validate_constant_date(value: Any, where: str, mapping: dict, cfg: Config) -> None:
    if isinstance(value, dict) and "value" in value:
        stated = value.get("format") or mapping.get("date_format") or None
        text = None if value["value"] is None else str(value["value"])
        try:
            dates = parse_dates([text], where, "value", cfg.timestamp_formats, stated, MAPPING_HINT)
        except ConversionFailed:
            dates = None
        if dates is None or dates.bad or dates.values[0] is None:
            raise MappingError(f"{where}: {value['value']!r} is not a date")


def _validate_spec(value: Any, where: str) -> None:
    if isinstance(value, str):
        return
    if not isinstance(value, dict) or not value or set(value) - SPEC_KEYS:
        raise MappingError(f"{where}: give a source column name, {{ column = \"...\" }} (with map, format) "
                           f"or {{ value = \"...\" }} for a constant")
    if ("column" in value) == ("value" in value):
        raise MappingError(f"{where}: give either column or value, not both or neither")
    if "column" in value and not isinstance(value["column"], str):
        raise MappingError(f"{where}.column must be the name of a source column")
    if "map" in value and not isinstance(value["map"], dict):
        raise MappingError(f"{where}.map must be a table of source value = canonical value")
    if "format" in value and not isinstance(value["format"], str):
        raise MappingError(f"{where}.format must be a strptime format such as \"%d/%m/%Y\"")


@dataclass
class Mapped:
    src: Path
    cfg: Config
    spec: dict
    mapping_name: str
    sources: dict[str, Source] = field(default_factory=dict)
    rejects: list[Reject] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def run(self) -> Converted:
        tables: dict[str, pl.DataFrame] = {}
        for table, section in self.spec.items():
            if table in ("missing", "date_format", "stage_history"):
                continue
            tables[table] = self._table(table, section)
        frames = [self._stage_rows(rule, i) for i, rule in enumerate(self._rules(), 1)]
        tables["stage_history"] = pl.concat(frames) if frames else _empty(["lead_id", "stage", "entered_at"])
        return Converted(tables, self.rejects, list(dict.fromkeys(self.notes)))

    def _source(self, file: str, table: str | None = None) -> Source:
        """A file of the export, read once (`table`: the canonical table its rejects belong to, for a
        lookup file, which feeds no table of its own)."""
        if file not in self.sources:
            path = self.src / file
            if not path.is_file():
                raise MappingError(f"{file}: not found in {self.src} (named by the mapping {self.mapping_name})")
            source = read_source(path, self.cfg.encoding)
            for r in source.rejects:
                r.table = table
            self.rejects += source.rejects
            missing = {m.casefold() for m in self.spec.get("missing", [])}
            frame = source.frame.with_columns(
                pl.when(pl.col(c).str.to_lowercase().is_in(list(missing))).then(None).otherwise(pl.col(c))
                .alias(c) for c in source.columns)
            self.sources[file] = Source(source.path, frame, source.rejects)
        return self.sources[file]

    def _column(self, source: Source, name: str, where: str) -> str:
        found = source.find(name)
        if found is None:
            raise MappingError(f"{source.name}: column {name!r} (mapping {where}) is not in the file "
                               f"(found: {', '.join(source.columns)})")
        return found

    def _value(self, source: Source, spec: Any, where: str, kind: str | None = None) -> pl.Series:
        """One mapped column as text: source column or constant, missing values, value map, dates."""
        spec = {"column": spec} if isinstance(spec, str) else spec
        n = source.frame.height
        if "value" in spec:
            values = pl.Series([None if spec["value"] is None else str(spec["value"])] * n, dtype=pl.String)
        else:
            values = source.frame[self._column(source, spec["column"], where)]
        if spec.get("map"):
            mapping = {str(k): (None if v in ("", None) else str(v)) for k, v in spec["map"].items()}
            values = values.replace(mapping)
        if kind in (TIMESTAMP, DATE):
            stated = spec.get("format") or self.spec.get("date_format") or None
            if "value" in spec:  # checked when the mapping was read
                dates = parse_dates([str(spec["value"])], where, "value", self.cfg.timestamp_formats, stated)
                return pl.Series([dates.text[0]] * n, dtype=pl.String)
            dates = parse_dates(values.to_list(), source.name, spec["column"], self.cfg.timestamp_formats,
                                stated, MAPPING_HINT, self._date_evidence(source))
            if dates.note:
                self.notes.append(dates.note)
            # a value that is not a date goes through as written: the canonical import rejects it
            # with this file and line
            text, bad = dates.text, set(dates.bad)
            raw = values.to_list()
            values = pl.Series([raw[i] if i in bad else t for i, t in enumerate(text)], dtype=pl.String)
        return values

    def _date_evidence(self, source: Source) -> dict[str, list[str | None]]:
        """Every date column the mapping reads from this file: together they show its day/month order."""
        specs = []
        for table, section in self.spec.items():
            if table in ("missing", "date_format", "stage_history") or self.src / section["file"] != source.path:
                continue
            specs += [v for c, v in section.get("columns", {}).items() if TABLES[table].columns[c] in (TIMESTAMP, DATE)]
        leads = self.spec["leads"]
        for rule in self._rules():
            if self.src / rule.get("file", leads["file"]) == source.path:
                specs.append(rule.get("entered_at", leads["columns"].get("created_at")))
        names = {spec if isinstance(spec, str) else spec.get("column") for spec in specs}
        found = {source.find(n) for n in names if n}
        return {c: source.frame[c].to_list() for c in found if c}

    def _rules(self) -> list[dict]:
        rules = self.spec["stage_history"]
        return rules if isinstance(rules, list) else [rules]

    def _table(self, table: str, section: dict) -> pl.DataFrame:
        source = self._joined(self._source(section["file"]), section, table, f"[{table}]")
        spec = TABLES[table]
        out = {}
        columns = section.get("columns", {})
        for column in (c for c in spec.columns if c in columns):  # in the canonical order
            out[column] = self._value(source, columns[column], f"[{table}.columns] {column}", spec.columns[column])
        status = columns.get("status") if table == "opportunities" else None
        if isinstance(status, (str, dict)) and "value" not in status:
            status = {"column": status} if isinstance(status, str) else status
            raw = source.frame[self._column(source, status["column"], "[opportunities.columns] status")]
            self._stop_unmapped(source.name, status, "[opportunities.columns] status", raw, out["status"],
                                STATUSES, "open")
        for column, value in section.get("extra", {}).items():
            out[column] = self._value(source, value, f"[{table}.extra] {column}")
        frame = pl.DataFrame(out, schema={c: pl.String for c in out}, height=source.frame.height)
        return frame.with_columns(pl.lit(source.name).alias(SOURCE_FILE), source.frame[SOURCE_LINE])

    def _joined(self, source: Source, section: dict, table: str, where: str) -> Source:
        """The table's file with the columns of each lookup file joined on its key (one lookup row per
        key, else stop; a row whose key the lookup lacks keeps empty lookup columns, with a note). A
        lookup column is `Industry (companies.csv)`, and plain `Industry` unless the file has one."""
        frame = source.frame
        for file, here, there in joins(section, where):
            lookup = self._source(file, table)
            at = f"{where} join {file}"
            key, other = self._column(source, here, at), self._column(lookup, there, at)
            rows = lookup.frame.filter(pl.col(other).is_not_null())
            repeated = rows.filter(pl.col(other).is_duplicated())
            if repeated.height:
                value = repeated[other][0]
                lines = repeated.filter(pl.col(other) == value)[SOURCE_LINE].to_list()
                raise MappingError(f"{lookup.name}: key {other!r} repeats {value!r} (lines {lines[0]} and "
                                   f"{lines[1]}); a lookup file needs one row per key (mapping {at})")
            names = {c: f"{c} ({lookup.name})" for c in lookup.columns if c != other}
            taken = {normalise_header(c) for c in frame.columns}
            right = rows.select(pl.col(other).alias("_key"), *(pl.col(c).alias(n) for c, n in names.items()))
            frame = (frame.join(right, left_on=key, right_on="_key", how="left", coalesce=True)
                     .sort(SOURCE_LINE)
                     .with_columns(pl.col(n).alias(c) for c, n in names.items() if normalise_header(c) not in taken))
            blank = frame[key].null_count()
            missed = frame.filter(pl.col(key).is_not_null() & ~pl.col(key).is_in(rows[other].implode()))
            found = frame.height - blank - missed.height
            self.notes.append(
                f"{where}: {source.name} joined with {lookup.name} on {key} = {other}: {found:,} of {frame.height:,} "
                f"rows found their {lookup.name} row"
                + (f"; {missed.height:,} with a key {lookup.name} lacks (e.g. {missed[key][0]!r})" if missed.height
                   else "") + (f"; {blank:,} with no {key}" if blank else "")
                + ("" if found == frame.height else ": their lookup columns are empty"))
        return Source(source.path, frame, source.rejects)

    @staticmethod
    def _stop_unmapped(file: str, spec: dict, where: str, raw: pl.Series, values: pl.Series,
                       allowed: Sequence[str], example: str) -> None:
        """Stop when a label column has values that are neither in its map nor `allowed`: each such
        row would be rejected one by one (every open deal of a stage left out, say), so the import
        stops first and names every such label with its row count."""
        known = [str(k) for k in (spec.get("map") or {})]
        bad = raw.filter(raw.is_not_null() & ~raw.is_in(known) & ~values.str.to_lowercase().is_in(list(allowed)))
        if bad.is_empty():
            return
        counts = bad.value_counts(sort=True).rows()
        listed = ", ".join(f"{label!r} ({n:,} row{'s' if n > 1 else ''})" for label, n in counts)
        raise MappingError(
            f"{file}: column {spec['column']!r} (mapping {where}): {len(counts)} value"
            f"{'s are' if len(counts) > 1 else ' is'} neither in the map nor one of {', '.join(allowed)}: "
            f"{listed}; map each one (to \"\" for none), e.g. map = {{ \"{counts[0][0]}\" = \"{example}\" }}")

    def _stage_rows(self, rule: dict, number: int) -> pl.DataFrame:
        where = f"[[stage_history]] rule {number}"
        leads = self.spec["leads"]
        source = self._joined(self._source(rule.get("file", leads["file"])), rule, "stage_history", where)
        lead_id = self._value(source, rule.get("lead_id", leads["columns"]["lead_id"]), f"{where} lead_id")
        entered = self._value(source, rule.get("entered_at", leads["columns"].get("created_at")),
                              f"{where} entered_at", TIMESTAMP)
        stage_spec = rule["stage"]
        stage_spec = {"column": stage_spec} if isinstance(stage_spec, str) else stage_spec
        if "entered_at" not in rule:
            created = leads["columns"]["created_at"]
            created = {"column": created} if isinstance(created, str) else created
            fallback = (f"column {created['column']!r}" if "column" in created
                        else f"the constant {created['value']}")
            stage = (f"stage {stage_spec['value']}" if "value" in stage_spec
                     else f"the stages of column {stage_spec['column']!r}")
            self.notes.append(f"{where} ({stage}) has no entered_at: its rows enter at the leads' created_at "
                              f"({fallback}), when the lead was created, not when it reached the stage")
        stage = self._value(source, stage_spec, f"{where} stage")
        frame = pl.DataFrame({"lead_id": lead_id, "stage": stage, "entered_at": entered,
                              SOURCE_LINE: source.frame[SOURCE_LINE]})
        if stage_spec.get("column"):
            frame = frame.with_columns(_raw_stage=source.frame[self._column(source, stage_spec["column"], where)])
        if rule.get("when"):
            column = self._column(source, rule["when"]["column"], f"{where} when")
            wanted = [str(v) for v in rule["when"]["in"]]
            frame = frame.filter(source.frame[column].is_in(wanted).fill_null(False))
        if "value" in stage_spec:
            # a constant stage at a date column: a blank date means the stage was not reached
            frame = frame.filter(pl.col("entered_at").is_not_null())
        else:
            # a status column: a blank status is no stage; a value the map leaves unknown stops
            self._stop_unmapped(source.name, stage_spec, f"{where} stage", frame["_raw_stage"], frame["stage"],
                                self.cfg.all_stages, "")
            frame = frame.filter(pl.col("stage").is_not_null()).drop("_raw_stage")
        return frame.select("lead_id", "stage", "entered_at", pl.lit(source.name).alias(SOURCE_FILE), SOURCE_LINE)


def _empty(columns: Sequence[str]) -> pl.DataFrame:
    return pl.DataFrame(schema={**{c: pl.String for c in columns}, SOURCE_FILE: pl.String, SOURCE_LINE: pl.Int64})
