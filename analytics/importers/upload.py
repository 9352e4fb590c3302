"""Import from the dashboard: an uploaded zip of export files, unpacked safely and imported into a
new database beside the one the dashboard shows (staged), previewed (rows loaded and rejected per table,
the top reject reasons, the data's dates), and put live only when the user confirms; the database it
replaces is kept as the previous one (analytics.store.db: go_live, restore_previous).

Refused: anything that is not a zip, members outside the folder (path traversal, absolute paths,
links), archives larger than the configured limit once unpacked, and members that compress
suspiciously well (zip bombs). Skipped with a note (never unpacked): files other than CSV/TXT/Parquet/
.xlsx and the mapping file (a SOURCE.md or README beside the data), and data files in subfolders
below the export's own folder (the shallowest folder holding data files), such as Olist's variants/.
"""
from __future__ import annotations

import io
import shutil
import stat
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import duckdb
import polars as pl

from analytics.core.config import Config
from analytics.importers.load import ImportResult, import_folder
from analytics.store.db import Summary, remove_abandoned_staged, staged_path, summarise
from analytics.store.meetings import MeetingStore

ALLOWED = (".csv", ".txt", ".parquet", ".xlsx", ".toml", ".yaml", ".yml")
MAX_MEMBERS = 200
MAX_RATIO = 200  # uncompressed / compressed for one member; real CSV rarely passes 20


class UploadRefused(ValueError):
    pass


def safe_extract(data: bytes, dest: Path, max_bytes: int, say: Callable[[str], None] = print) -> list[Path]:
    """Unpack the data files of the zip's export folder into dest; return the files written. Other
    members are skipped, and `say` is told which and why."""
    if len(data) > max_bytes:
        raise UploadRefused(f"the upload is {len(data) / 1e6:.1f} MB; the limit is {max_bytes / 1e6:.0f} MB")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise UploadRefused("not a zip file: zip the export folder and upload the .zip") from None
    members = [m for m in archive.infolist() if not m.is_dir()]
    if len(members) > MAX_MEMBERS:
        raise UploadRefused(f"the zip holds {len(members)} files; at most {MAX_MEMBERS} are accepted")
    for m in members:
        path = PurePosixPath(m.filename.replace("\\", "/"))
        if path.is_absolute() or ".." in path.parts or m.filename.startswith(("/", "\\")) or ":" in path.parts[0]:
            raise UploadRefused(f"{m.filename}: a path outside the export folder is not accepted")
        if stat.S_ISLNK(m.external_attr >> 16):
            raise UploadRefused(f"{m.filename}: links are not accepted")
    members = _data_members(members, say)
    total = 0
    for m in members:
        total += m.file_size
        if total > max_bytes:
            raise UploadRefused(f"the zip unpacks to more than {max_bytes / 1e6:.0f} MB")
        if m.compress_size and m.file_size / m.compress_size > MAX_RATIO and m.file_size > 10_000_000:
            raise UploadRefused(f"{m.filename}: compresses {m.file_size // m.compress_size}:1, refused as a zip bomb")
    dest.mkdir(parents=True, exist_ok=True)
    written = []
    for m in members:
        name = PurePosixPath(m.filename.replace("\\", "/")).name
        target = dest / name
        if target.exists():
            raise UploadRefused(f"{name} appears twice in the zip")
        with archive.open(m) as src, open(target, "wb") as out:
            shutil.copyfileobj(src, out, 1 << 20)
        written.append(target)
    return written


def _data_members(members: list[zipfile.ZipInfo], say: Callable[[str], None]) -> list[zipfile.ZipInfo]:
    """The members to unpack: data files (and a mapping file) of the shallowest folder holding any.
    Hidden files and macOS metadata go silently; anything else is named in a note."""
    paths = {m.filename: PurePosixPath(m.filename.replace("\\", "/")) for m in members}
    shown = [m for m in members if not any(part.startswith((".", "__MACOSX")) for part in paths[m.filename].parts)]
    data = [m for m in shown if paths[m.filename].suffix.lower() in ALLOWED]
    for m in shown:
        if m not in data:
            say(f"skipped {m.filename}: not a data file (CSV, TXT, Parquet or .xlsx)")
    top = min((len(paths[m.filename].parts) for m in data), default=0)
    deeper: dict[str, int] = {}
    for m in data:
        if len(paths[m.filename].parts) > top:
            folder = "/".join(paths[m.filename].parts[:top]) + "/"
            deeper[folder] = deeper.get(folder, 0) + 1
    for folder, n in deeper.items():
        say(f"skipped {n} file(s) in {folder}: only the files of the export's own folder are imported")
    return [m for m in data if len(paths[m.filename].parts) == top]


def import_upload(data: bytes, db_path: Path, cfg: Config, fmt: str = "canonical", max_bytes: int = 200_000_000,
                  say: Callable[[str], None] = print,
                  on_progress: Callable[[float, str], None] | None = None, name: str = "upload.zip") -> ImportResult:
    """Unpack and import; db_path is replaced only when the import succeeded."""
    with tempfile.TemporaryDirectory(prefix="closed_loop_upload_") as tmp:
        folder = Path(tmp) / "export"
        files = safe_extract(data, folder, max_bytes, say)
        mapping = next((f for f in files if f.suffix.lower() in (".toml", ".yaml", ".yml")), None)
        if fmt == "mapped" and mapping is None:
            raise UploadRefused("the mapped format needs its mapping file (.toml or .yaml) inside the zip")
        if mapping is not None and fmt != "mapped":
            mapping.unlink()
        say(f"unpacked {len(files)} files")
        return import_folder(folder, db_path, cfg, say=say, fmt=fmt, mapping=mapping if fmt == "mapped" else None,
                             on_progress=on_progress, source=name, pipeline_memory=MeetingStore())


REASONS_SHOWN = 8  # the top reject reasons a preview lists


@dataclass
class Preview:
    """An imported upload waiting to go live: what it holds and what was refused."""
    staged: Path
    summary: Summary
    tables: pl.DataFrame  # table_name, file, rows_loaded, rows_rejected (one row per file read)
    reasons: pl.DataFrame  # table_name, column_name, reason, rows: the most frequent first
    reasons_total: int  # distinct (table, column, reason) the rejects hold; `reasons` lists the top ones
    confirm_reject_share: float

    @property
    def needs_acknowledgement(self) -> bool:
        """More of its rows were rejected than the configured share: confirming needs "I have read the rejects"."""
        return self.summary.reject_share > self.confirm_reject_share


def preview(staged: str | Path, confirm_reject_share: float) -> Preview:
    """Read an imported (staged) upload: its summary, its files, its most frequent reject reasons."""
    staged = Path(staged)
    summary = summarise(staged)
    con = duckdb.connect(str(staged), read_only=True, config={"enable_external_access": False})
    try:
        tables = con.sql("select table_name, file, rows_loaded, rows_rejected from import_files "
                         "order by rows_rejected desc, table_name").pl()
        reasons = con.sql("select table_name, column_name, reason, count(distinct (file, line)) as rows_rejected "
                          "from rejects "
                          "group by all order by rows_rejected desc, table_name, column_name, reason").pl()
    finally:
        con.close()
    return Preview(staged, summary, tables, reasons.head(REASONS_SHOWN), reasons.height, confirm_reject_share)


def stage_upload(data: bytes, live: Path, cfg: Config, fmt: str = "canonical", max_bytes: int = 200_000_000,
                 say: Callable[[str], None] = print,
                 on_progress: Callable[[float, str], None] | None = None, name: str = "upload.zip") -> Preview:
    """Unpack and import into a new database beside `live` and preview it; `live` is not touched (go_live
    or discard decide). A failure leaves no staged file behind."""
    remove_abandoned_staged(live)
    staged = staged_path(live)
    try:
        import_upload(data, staged, cfg, fmt, max_bytes, say, on_progress, name)
        return preview(staged, cfg.confirm_reject_share)
    except BaseException:
        discard(staged)
        raise


def discard(staged: str | Path) -> None:
    """Cancel: the staged upload is deleted, the live data stays."""
    staged = Path(staged)
    for leftover in (staged, Path(f"{staged}.wal")):
        leftover.unlink(missing_ok=True)

