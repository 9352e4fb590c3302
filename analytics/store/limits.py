"""What one DuckDB connection may spend: memory_limit, threads and the folder it spills to
([engine.duckdb] of closed_loop.toml, or --memory-limit, --threads, --temp-dir), and how much it spilled.

DuckDB needs about 1 GB per thread in the largest step of an import (issue 15: 2 threads at 1 GB ran out of
memory in lead_stages); beyond memory_limit it writes intermediates to temp_directory. `SpillMeter` watches
that folder while an import runs and keeps the largest size it reached, which the import summary prints.
"""
from __future__ import annotations

import contextlib
import os
import shutil
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb

from analytics.core.config import EngineSettings
from analytics.store.identifiers import literal

SAMPLE_EVERY_S = 0.2  # how often the spill folder is measured


def spill_folder(settings: EngineSettings, beside: Path) -> Path:
    """A new folder for one import's spill: under temp_directory, else beside the database."""
    base = Path(settings.temp_directory) if settings.temp_directory else beside.parent
    return base / f".closed_loop_spill-{os.getpid()}-{uuid.uuid4().hex[:8]}"


def apply(con: duckdb.DuckDBPyConnection, settings: EngineSettings, temp_directory: Path | None = None) -> None:
    """Set the memory limit, threads and (when given) the spill folder on a connection, before any work."""
    con.execute(f"set memory_limit = {literal(settings.memory_limit)}")
    con.execute(f"set threads = {int(settings.threads)}")
    if temp_directory is not None:
        con.execute(f"set temp_directory = {literal(str(temp_directory))}")


def current(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """The settings as the connection reports them (DuckDB's own spelling: '2.7 GiB')."""
    row = con.execute("select current_setting('memory_limit'), current_setting('threads')::varchar, "
                      "current_setting('temp_directory')").fetchall()[0]
    return {"memory_limit": row[0], "threads": row[1], "temp_directory": row[2]}


# The settings of the import running in this process: every connection an import opens (the database it
# builds, and the converters' readers) goes through connect(), which applies them.
_ACTIVE: list[tuple[EngineSettings, Path | None]] = []


@contextlib.contextmanager
def active(settings: EngineSettings, temp_directory: Path | None) -> Iterator[None]:
    _ACTIVE.append((settings, temp_directory))
    try:
        yield
    finally:
        _ACTIVE.pop()


def connect(path: str | Path | None = None) -> duckdb.DuckDBPyConnection:
    """A connection (a file, else in memory) with the running import's limits, if any."""
    con = duckdb.connect(str(path) if path is not None else ":memory:")
    if _ACTIVE:
        apply(con, *_ACTIVE[-1])
    return con


def folder_bytes(folder: Path) -> int:
    total = 0
    with contextlib.suppress(FileNotFoundError):
        for entry in os.scandir(folder):
            with contextlib.suppress(FileNotFoundError):
                total += entry.stat().st_size if entry.is_file() else folder_bytes(Path(entry.path))
    return total


@dataclass
class SpillMeter:
    """Measures a spill folder every SAMPLE_EVERY_S while it runs; `peak_bytes` is the largest size seen.
    The folder is created on start and removed on stop."""
    folder: Path
    peak_bytes: int = 0

    def __post_init__(self) -> None:
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="spill-meter", daemon=True)

    def __enter__(self) -> SpillMeter:
        self.folder.mkdir(parents=True, exist_ok=True)
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self.peak_bytes = max(self.peak_bytes, folder_bytes(self.folder))
        shutil.rmtree(self.folder, ignore_errors=True)

    def _watch(self) -> None:
        while not self._stop.wait(SAMPLE_EVERY_S):
            self.peak_bytes = max(self.peak_bytes, folder_bytes(self.folder))


def spilled_words(peak_bytes: int, folder: Path | str) -> str:
    """'spilled to disk: at most 2.4 GB in /data/.closed_loop_spill-…' or 'nothing spilled to disk'."""
    if not peak_bytes:
        return "nothing spilled to disk (all within memory_limit)"
    size = f"{peak_bytes / 1e9:.2f} GB" if peak_bytes >= 1e8 else f"{peak_bytes / 1e6:.1f} MB"
    return f"spilled to disk: at most {size} at once in {folder}"
