"""Read one export file (CSV in any common encoding, Parquet, .xlsx) into an all-text DuckDB table.

Every raw table gets a `_line` column: the line of the CSV file (header = line 1), the sheet row
of an .xlsx file, or the row number of a Parquet file, so a rejected row can be found again.
"""
from __future__ import annotations

import codecs
import csv
import io
import os
import tempfile
from pathlib import Path

import duckdb
import polars as pl

from analytics.store.identifiers import quote

SUFFIXES = (".csv", ".txt", ".parquet", ".xlsx")
CHUNK = 1 << 20


class UnreadableFile(Exception):
    """A file that cannot be read as a table at all: the import stops and names it."""


def detect_encoding(path: Path) -> str:
    """utf-8 (with or without BOM), gb18030 for Chinese exports, else windows-1252 (Latin-1)."""
    with open(path, "rb") as f:
        head = f.read(4)
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if _decodes(path, "utf-8"):
        return "utf-8"
    if _decodes(path, "gb18030") and _looks_chinese(path):
        return "gb18030"
    return "cp1252" if _decodes(path, "cp1252") else "latin-1"


def _decodes(path: Path, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        with open(path, "rb") as f:
            while chunk := f.read(CHUNK):
                decoder.decode(chunk)
        decoder.decode(b"", final=True)
        return True
    except UnicodeDecodeError:
        return False


def _looks_chinese(path: Path) -> bool:
    # Latin-1 text often also decodes as GB18030 ("ñí" is a valid pair), but then yields lone
    # characters between Latin letters, or ones outside GB2312. Chinese words come in runs of
    # characters from GB2312, the set real Chinese text is almost entirely made of.
    with open(path, "rb") as f:
        text = f.read(CHUNK).decode("gb18030", errors="ignore")
    wide = [i for i, c in enumerate(text) if ord(c) > 127]
    if not wide:
        return False
    common = sum(1 for i in wide if _in_gb2312(text[i]))
    in_runs = sum(1 for i in wide
                  if (i > 0 and ord(text[i - 1]) > 127) or (i + 1 < len(text) and ord(text[i + 1]) > 127))
    return common / len(wide) >= 0.9 and in_runs / len(wide) >= 0.6


def _in_gb2312(c: str) -> bool:
    try:
        c.encode("gb2312")
        return True
    except UnicodeEncodeError:
        return False


def to_utf8(path: Path, encoding: str, workdir: Path) -> Path:
    """Transcode to a UTF-8 temporary file (DuckDB's CSV reader takes UTF-8 only)."""
    if encoding in ("utf-8", "utf-8-sig"):
        return path
    out = workdir / (path.stem + ".utf8.csv")
    with open(path, encoding=encoding, newline="") as src, open(out, "w", encoding="utf-8", newline="") as dst:
        while chunk := src.read(CHUNK):
            dst.write(chunk)
    return out


def normalise_header(name: str) -> str:
    return "_".join(str(name).replace("\ufeff", "").strip().lower().split())


def load_raw(con: duckdb.DuckDBPyConnection, path: Path, table: str, encoding: str = "",
             workdir: Path | None = None) -> list[tuple[int, str]]:
    """Create `table` (all varchar + _line) from the file; return unreadable rows as (line, reason)."""
    suffix = path.suffix.lower()
    try:
        if suffix == ".parquet":
            _load_parquet(con, path, table)
            return []
        if suffix == ".xlsx":
            _load_frame(con, _xlsx_frame(path), table)
            return []
        return _load_csv(con, path, table, encoding or detect_encoding(path), workdir)
    except UnreadableFile:
        raise
    except (duckdb.Error, OSError, ValueError, UnicodeError) as e:
        raise UnreadableFile(f"{path.name}: cannot be read as a table ({first_line(e)})") from None


def first_line(e: Exception) -> str:
    return str(e).strip().splitlines()[0][:300] if str(e).strip() else type(e).__name__


def _load_parquet(con, path: Path, table: str) -> None:
    """Parquet keeps its own column types (the import converts typed columns without parsing), and is
    read where it lies: `table` is a view (a copy of a million touches cost a second per table)."""
    cur = con
    cols = [r[0] for r in cur.sql("describe select * from read_parquet($p)", params={"p": str(path)}).fetchall()]
    names = [normalise_header(c) for c in cols]
    _check_names(names, path)
    select = ", ".join(f"{quote(c)} as {quote(n)}" for c, n in zip(cols, names))
    literal = "'" + str(path).replace("'", "''") + "'"  # a view keeps no bound parameters
    cur.execute(f"create or replace temp view {quote(table)} as "
                f"select {select}, (file_row_number + 1)::bigint as _line "
                f"from read_parquet({literal}, file_row_number = true)")


def _xlsx_frame(path: Path) -> pl.DataFrame:
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python(skip_empty_area=False)
    except CalamineError as e:  # not a zip, no sheet, broken XML: not a workbook at all
        raise UnreadableFile(f"{path.name}: cannot be read as an Excel workbook ({first_line(e)})") from None
    if not rows:
        raise UnreadableFile(f"{path.name}: the first sheet is empty")
    header = [normalise_header(h) for h in rows[0]]
    _check_names(header, path)
    body = [[_cell_text(v) for v in r] + [None] * (len(header) - len(r)) for r in rows[1:]]
    data = {h: [r[i] for r in body] for i, h in enumerate(header)}
    data["_line"] = list(range(2, len(body) + 2))
    return pl.DataFrame(data, schema={**{h: pl.String for h in header}, "_line": pl.Int64})


def _cell_text(v) -> str | None:
    if v is None or v == "":
        return None
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if hasattr(v, "isoformat"):
        return v.isoformat(sep=" ") if hasattr(v, "hour") else v.isoformat()
    return str(v)


def _load_frame(con, frame: pl.DataFrame, table: str) -> None:
    cur = con
    cur.register("_frame", frame)
    cur.execute(f"create or replace table {quote(table)} as select * from _frame")
    cur.unregister("_frame")


def _load_csv(con, path: Path, table: str, encoding: str, workdir: Path | None) -> list[tuple[int, str]]:
    workdir = workdir or Path(tempfile.mkdtemp())
    utf8 = to_utf8(path, encoding, workdir)
    header = _csv_header(utf8, path)
    cur = con
    try:
        cur.execute(f"create or replace table {quote(table)} as select * from read_csv(?, all_varchar = true, "
                    "header = true, strict_mode = true)", [str(utf8)])
        rows = cur.execute(f"select count(*) from {quote(table)}").fetchall()[0][0]
        cols = [r[0] for r in cur.sql(f"describe {quote(table)}").fetchall()]
        if len(cols) == len(header) and rows + 1 == _count_lines(utf8):
            renames = ", ".join(f"{quote(c)} as {quote(h)}" for c, h in zip(cols, header))
            cur.execute(f"create or replace table {quote(table)} as select {renames}, "
                        f"(rowid + 2)::bigint as _line from {quote(table)}")
            return []
    except duckdb.Error:
        pass
    # Quoted line breaks, ragged rows or a dialect DuckDB's sniffer rejects: read with Python's
    # csv module, which knows the physical line of every record.
    frame, bad = _csv_frame_exact(utf8, header)
    _load_frame(con, frame, table)
    return bad


def _csv_header(path: Path, original: Path) -> list[str]:
    with open(path, encoding="utf-8-sig", newline="") as f:
        sample = f.read(64 * 1024)
    if not sample.strip():
        raise UnreadableFile(f"{original.name}: the file is empty")
    first = next(csv.reader([sample.splitlines()[0]], delimiter=_delimiter(sample)))
    header = [normalise_header(h) for h in first]
    # a header that ends in delimiters (spreadsheet exports often do) names its trailing columns
    named = len(header)
    while named and header[named - 1] == "":
        named -= 1
    header[named:] = [f"unnamed_{i + 1}" for i in range(named, len(header))]
    _check_names(header, original)
    return header


def _delimiter(sample: str) -> str:
    first = sample.splitlines()[0]
    return max([",", ";", "\t", "|"], key=first.count)


def _check_names(header: list[str], path: Path) -> None:
    if not header or any(h == "" for h in header):
        raise UnreadableFile(f"{path.name}: header row has an empty column name")
    dupes = sorted({h for h in header if header.count(h) > 1})
    if dupes:
        raise UnreadableFile(f"{path.name}: column {dupes[0]!r} appears twice in the header")


def _count_lines(path: Path) -> int:
    n, last = 0, b"\n"
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            n += chunk.count(b"\n")
            last = chunk[-1:]
    return n + (last != b"\n")


def _csv_frame_exact(path: Path, header: list[str]) -> tuple[pl.DataFrame, list[tuple[int, str]]]:
    columns: dict[str, list] = {h: [] for h in header}
    lines: list[int] = []
    bad: list[tuple[int, str]] = []
    with open(path, encoding="utf-8-sig", newline="") as f:
        sample = f.read(64 * 1024)
        f.seek(0)
        delimiter = _delimiter(sample)
        raw: list[str] = []  # the physical lines of the record being read

        def physical_lines():
            for text in f:
                raw.append(text)
                yield text

        reader = csv.reader(physical_lines(), delimiter=delimiter)
        next(reader)
        raw.clear()
        start = reader.line_num + 1
        for record in reader:
            text = "".join(raw)
            raw.clear()
            if not record or record == [""]:
                start = reader.line_num + 1
                continue
            if reader.line_num > start and not _well_quoted(text, delimiter):
                # a quote that is never closed (or closed mid-value) makes the lenient reader take the
                # following lines as part of this value: reject them together, never load them silently
                bad.append((start, f"a quoted value is not closed properly: lines {start}-{reader.line_num} "
                                   "were read as one row"))
            elif len(record) != len(header):
                bad.append((start, f"expected {len(header)} fields, found {len(record)}"))
            else:
                for h, v in zip(header, record):
                    columns[h].append(v)
                lines.append(start)
            start = reader.line_num + 1
    schema = {**{h: pl.String for h in header}, "_line": pl.Int64}
    return pl.DataFrame({**columns, "_line": lines}, schema=schema), bad


def _well_quoted(text: str, delimiter: str) -> bool:
    """True when a record spanning several lines is one record under strict CSV quoting."""
    try:
        return len(list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True))) == 1
    except csv.Error:
        return False


def table_files(folder: Path) -> dict[str, Path]:
    """Map table name (file name without extension) to its file; the first of each name wins."""
    found: dict[str, Path] = {}
    for p in sorted(folder.iterdir()):
        if p.is_file() and p.suffix.lower() in SUFFIXES and not p.name.startswith((".", "~$")):
            found.setdefault(normalise_header(p.stem), p)
    return found


def shadowed_files(folder: Path, chosen: dict[str, Path]) -> list[Path]:
    """Files that name a table another file already provides (leads.csv beside leads.xlsx)."""
    return [p for p in sorted(folder.iterdir())
            if p.is_file() and p.suffix.lower() in SUFFIXES and not p.name.startswith((".", "~$"))
            and chosen.get(normalise_header(p.stem)) not in (None, p)]


def file_size(path: Path) -> int:
    return os.path.getsize(path)
