"""Uploads (issues 5, 8 and 14): only a size-limited zip of export files, no path traversal, no zip
bombs, and the dashboard's database changes only when the import succeeded; an upload is staged and
previewed, goes live only when confirmed (the replaced database kept), and the previous one is restored
by a swap."""
from __future__ import annotations

import hashlib
import io
import zipfile
from datetime import datetime
from pathlib import Path

import pytest

from analytics.core.config import ConfigError, load_config
from analytics.importers.load import ImportFailed
from analytics.importers.upload import UploadRefused, discard, import_upload, safe_extract, stage_upload
from analytics.store.db import NotADatabase, go_live, open_store, previous_path, restore_previous, summarise
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


# --- staged, previewed, confirmed or discarded, restored (issue 14) ----------------------------------------------

BAD_LEADS = 30  # leads rows whose created_at is not a date; every other one of them has a score that is no number


def mangled_zip() -> bytes:
    """The golden export plus 30 bad leads rows: 87 rows load, 30 are rejected (30 / 117 = 25.6%)."""
    files = {"export/" + p.name: p.read_bytes() for p in GOLDEN_INPUT.iterdir()}
    files["export/leads.csv"] += "".join(
        f"X{i:02d},not a date,Webinar,C1,A1,Software,51-200,EMEA,R1,S1,{'high' if i % 2 else 50}\n"
        for i in range(BAD_LEADS)).encode()
    return zipped(files)


def version(db: Path) -> str:
    store = open_store(db)
    try:
        return store.data_version
    finally:
        store.close()


@pytest.fixture
def live(tmp_path) -> Path:
    """A live database imported from the golden export."""
    db = tmp_path / "closed_loop.duckdb"
    import_upload(golden_zip(), db, load_config(), say=quiet)
    return db


def test_an_upload_is_previewed_beside_the_live_database_which_stays(live):
    before = hashlib.sha256(live.read_bytes()).hexdigest()
    shown = stage_upload(mangled_zip(), live, load_config(), say=quiet, name="mangled.zip")
    assert hashlib.sha256(live.read_bytes()).hexdigest() == before  # not live yet
    assert shown.staged.parent == live.parent and shown.staged.name.startswith("closed_loop.staged-")
    s = shown.summary
    assert (s.leads, s.rows_loaded, s.rows_rejected) == (10, 87, 30)
    assert s.reject_share == pytest.approx(30 / 117)
    assert (s.first_lead_at, s.last_lead_at) == (datetime(2026, 1, 5, 9), datetime(2026, 1, 19, 10))
    assert s.as_of == datetime(2026, 2, 26, 10) and s.source == "mangled.zip"
    assert shown.tables.row(0) == ("leads", "leads.csv", 10, 30)  # the most rejected first
    assert shown.tables["rows_loaded"].sum() == 87 and shown.tables.height == 8
    assert shown.reasons.rows() == [("leads", "created_at", "not a valid timestamp", 30),
                                    ("leads", "score", "not a valid number", 15)]
    assert shown.reasons_total == 2
    assert shown.needs_acknowledgement  # 25.6% > the default 5%


def test_the_reject_share_that_needs_an_acknowledgement_is_configured(live, tmp_path):
    clean = stage_upload(golden_zip(), live, load_config(), say=quiet)
    assert clean.summary.rows_rejected == 0 and not clean.needs_acknowledgement
    assert clean.reasons.is_empty()
    lenient = tmp_path / "lenient.toml"
    lenient.write_text("[import]\nconfirm_reject_share = 0.30\n", encoding="utf-8")
    assert load_config(lenient).confirm_reject_share == 0.30
    assert not stage_upload(mangled_zip(), live, load_config(lenient), say=quiet).needs_acknowledgement
    assert load_config().confirm_reject_share == 0.05
    wrong = tmp_path / "wrong.toml"
    wrong.write_text("[import]\nconfirm_reject_share = 5\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="confirm_reject_share"):
        load_config(wrong)


def test_confirm_puts_it_live_and_keeps_the_previous_restore_swaps_them(live):
    old = version(live)
    shown = stage_upload(mangled_zip(), live, load_config(), say=quiet)
    new = version(shown.staged)
    go_live(shown.staged, live)
    assert not shown.staged.exists()
    assert version(live) == new and version(previous_path(live)) == old
    assert previous_path(live).name == "closed_loop.previous.duckdb"
    assert summarise(live).rows_rejected == 30 and summarise(previous_path(live)).rows_rejected == 0
    restore_previous(live)  # one click: the old figures again
    assert version(live) == old and version(previous_path(live)) == new
    restore_previous(live)  # and a restore is undone by restoring again
    assert version(live) == new and version(previous_path(live)) == old
    assert sorted(p.name for p in live.parent.iterdir()) == ["closed_loop.duckdb", "closed_loop.previous.duckdb"]


def test_a_second_upload_keeps_only_the_data_it_replaced(live):
    first = stage_upload(mangled_zip(), live, load_config(), say=quiet)
    go_live(first.staged, live)
    middle = version(live)
    second = stage_upload(golden_zip(), live, load_config(), say=quiet)
    go_live(second.staged, live)
    assert version(previous_path(live)) == middle


def test_cancel_discards_the_upload_and_changes_nothing(live):
    before = hashlib.sha256(live.read_bytes()).hexdigest()
    shown = stage_upload(mangled_zip(), live, load_config(), say=quiet)
    discard(shown.staged)
    assert hashlib.sha256(live.read_bytes()).hexdigest() == before
    assert [p.name for p in live.parent.iterdir()] == ["closed_loop.duckdb"]
    with pytest.raises(NotADatabase, match="gone"):  # confirming what was discarded (another tab) does nothing
        go_live(shown.staged, live)
    with pytest.raises(NotADatabase, match="no previous"):
        restore_previous(live)


def test_a_failed_upload_leaves_no_staged_file(live):
    with pytest.raises(UploadRefused, match="not a zip"):
        stage_upload(b"lead_id,created_at\n", live, load_config(), say=quiet)
    broken = zipped({"leads.csv": b"id,when\n1,2\n", "stage_history.csv": b"lead_id,stage,entered_at\n"})
    with pytest.raises(ImportFailed, match="lead_id"):
        stage_upload(broken, live, load_config(), say=quiet)
    assert [p.name for p in live.parent.iterdir()] == ["closed_loop.duckdb"]


def test_the_first_upload_goes_live_without_a_previous(tmp_path):
    live = tmp_path / "closed_loop.duckdb"
    shown = stage_upload(golden_zip(), live, load_config(), say=quiet)
    go_live(shown.staged, live)
    assert summarise(live).leads == 10 and not previous_path(live).exists()


def test_the_data_page_previews_confirms_after_the_acknowledgement_and_restores(monkeypatch, live):
    """The page's own flow (AppTest): a staged upload is previewed, not live until "I have read the
    rejects" and confirm; then the restore button brings the old data back."""
    from streamlit.testing.v1 import AppTest

    from analytics.i18n.messages import t

    monkeypatch.setenv("CLOSED_LOOP_DB", str(live))
    old = version(live)
    shown = stage_upload(mangled_zip(), live, load_config(), say=quiet, name="mangled.zip")
    at = AppTest.from_file(str(Path(__file__).resolve().parents[1] / "app.py"), default_timeout=60).run()
    at.session_state["data.staged"] = {"path": str(shown.staged), "name": "mangled.zip", "said": ["unpacked 8 files"]}
    at.switch_page("pages/data.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert any(t("data.upload_waiting") == w.value for w in at.warning)
    assert t("data.preview", name="mangled.zip") in [h.value for h in at.subheader]
    tiles = {m.label: m.value for m in at.metric}
    assert tiles[t("data.preview_rejected")] == "30 (25.6%)" and tiles[t("data.preview_leads")] == "10"
    assert any("25.6%" in e.value and "5%" in e.value for e in at.error)  # above the threshold: said in the open
    assert at.button(key="data.confirm").disabled
    assert t("data.previous_none") in [c.value for c in at.caption]
    at.checkbox(key="data.ack").check().run()
    assert not at.button(key="data.confirm").disabled and version(live) == old  # still not live
    inode = shown.staged.stat().st_ino
    at.button(key="data.confirm").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert live.stat().st_ino == inode and not shown.staged.exists()
    assert version(live) != old
    assert any("The dashboard now shows this data" in s.value for s in at.success)
    assert at.button(key="data.restore").label.startswith("Restore the data imported ")
    at.button(key="data.restore").click().run()
    assert version(live) == old
    assert any(s.value.startswith("Restored the data imported") for s in at.success)


def test_the_cli_replaces_directly_or_keeps_the_previous_when_asked(live):
    from tests.conftest import run_cli

    old = version(live)
    p = run_cli("import", GOLDEN_INPUT, "--db", live)
    assert p.returncode == 0, p.stderr
    assert version(live) != old and not previous_path(live).exists()  # as before: replaced directly
    middle = version(live)
    p = run_cli("import", GOLDEN_INPUT, "--db", live, "--keep-previous")
    assert p.returncode == 0, p.stderr
    assert f"database written: {live}" in p.stdout
    assert version(previous_path(live)) == middle and version(live) != middle
    assert sorted(x.name for x in live.parent.iterdir()) == ["closed_loop.duckdb", "closed_loop.previous.duckdb"]
