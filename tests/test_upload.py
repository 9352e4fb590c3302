"""Uploads (issues 5 and 8): only a size-limited zip of export files, no path traversal, no zip
bombs, and the dashboard's database changes only when the import succeeded."""
from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

import pytest

from analytics.core.config import load_config
from analytics.importers.load import ImportFailed
from analytics.importers.upload import UploadRefused, import_upload, safe_extract
from analytics.store.db import open_store
from tests.conftest import GOLDEN_INPUT, quiet


def zipped(files: dict[str, bytes], symlink: str | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files.items():
            z.writestr(name, data)
        if symlink:
            info = zipfile.ZipInfo(symlink)
            info.external_attr = (0o120777 << 16)
            z.writestr(info, "/etc/passwd")
    return buffer.getvalue()


def golden_zip(folder: str = "export/") -> bytes:
    return zipped({folder + p.name: p.read_bytes() for p in GOLDEN_INPUT.iterdir()})


def test_a_zip_of_the_export_imports_and_replaces_the_database(tmp_path):
    db = tmp_path / "closed_loop.duckdb"
    result = import_upload(golden_zip(), db, load_config(), say=quiet)
    assert {t.table: t.loaded for t in result.tables}["leads"] == 10
    store = open_store(db)
    assert store.con.execute("select count(*) from leads").fetchall() == [(10,)]
    store.close()


@pytest.mark.parametrize("name", ["../evil.csv", "/etc/cron.d/evil.csv", "a/../../evil.csv", "C:/evil.csv"])
def test_path_traversal_is_refused(tmp_path, name):
    with pytest.raises(UploadRefused, match="outside"):
        safe_extract(zipped({name: b"x"}), tmp_path / "out", 10_000_000)
    assert not (tmp_path / "evil.csv").exists()


def test_links_and_non_zips_are_refused_other_files_skipped(tmp_path):
    with pytest.raises(UploadRefused, match="links"):
        safe_extract(zipped({"leads.csv": b"a"}, symlink="stage_history.csv"), tmp_path / "a", 10_000_000)
    said: list[str] = []
    assert safe_extract(zipped({"run.sh": b"rm -rf /"}), tmp_path / "b", 10_000_000, said.append) == []
    assert said == ["skipped run.sh: not a data file (CSV, TXT, Parquet or .xlsx)"]
    assert not (tmp_path / "b" / "run.sh").exists()
    with pytest.raises(UploadRefused, match="not a zip"):
        safe_extract(b"lead_id,created_at\n", tmp_path / "c", 10_000_000)


def test_size_limit_and_zip_bomb(tmp_path):
    with pytest.raises(UploadRefused, match="limit"):
        safe_extract(golden_zip(), tmp_path / "a", max_bytes=100)
    bomb = zipped({"leads.csv": b"0" * 60_000_000})  # 60 MB of zeros compress ~1000:1
    assert len(bomb) < 200_000
    with pytest.raises(UploadRefused, match="zip bomb|more than"):
        safe_extract(bomb, tmp_path / "b", max_bytes=200_000_000)


def test_a_failed_upload_keeps_the_database(tmp_path):
    db = tmp_path / "closed_loop.duckdb"
    import_upload(golden_zip(), db, load_config(), say=quiet)
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    broken = zipped({"leads.csv": b"id,when\n1,2\n", "stage_history.csv": b"lead_id,stage,entered_at\n"})
    with pytest.raises(ImportFailed, match="lead_id"):
        import_upload(broken, db, load_config(), say=quiet)
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before
    assert [p.name for p in Path(tmp_path).iterdir()] == ["closed_loop.duckdb"]
