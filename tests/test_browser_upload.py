"""An upload in a real browser (issue 14): a zip with a high reject share is previewed and does not go
live (another session still shows the old figures) until "I have read the rejects" and confirm; then
every session shows it, and one click restores the old figures. The preview in Chinese, then discarded.
Screenshots go to test-artifacts/."""
from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from analytics.core.config import load_config
from analytics.importers.load import import_folder
from tests.browser_support import EXCEPTION, GOLDEN_INPUT, IDLE, full_page_screenshot, running_app

pytestmark = pytest.mark.browser

KEPT_LEADS = 6  # the upload keeps L01–L06 of the golden ten and adds 30 leads rows that cannot be read


def high_reject_zip(path: Path) -> Path:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for file in GOLDEN_INPUT.iterdir():
            data = file.read_text(encoding="utf-8")
            if file.name == "leads.csv":
                lines = data.splitlines(keepends=True)
                data = "".join(lines[:1 + KEPT_LEADS]) + "".join(
                    f"X{i:02d},not a date,Webinar,C1,A1,Software,51-200,EMEA,R1,S1,50\n" for i in range(30))
            archive.writestr(f"export/{file.name}", data)
    path.write_bytes(buffer.getvalue())
    return path


def new_leads(page, url: str) -> str:
    """The Overview's "New leads" tile as a fresh session sees it."""
    page.goto(url, wait_until="domcontentloaded")
    page.wait_for_selector(IDLE, timeout=45_000)
    tile = page.locator('[data-testid="stMetric"]').filter(has_text="New leads").first
    return tile.locator('[data-testid="stMetricValue"]').inner_text(timeout=45_000)


def upload(page, zip_file: Path, button: str) -> None:
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(zip_file))
    # the file listed in the uploader first: a click before its upload starts submits no file
    page.locator('[data-testid="stFileUploader"]').get_by_text(zip_file.name).wait_for(timeout=45_000)
    page.get_by_role("button", name=button, exact=True).click()


def test_a_high_reject_upload_goes_live_only_when_confirmed_and_is_restored(tmp_path, browser):
    db = tmp_path / "closed_loop.duckdb"
    import_folder(GOLDEN_INPUT, db, load_config(), say=lambda _message: None)
    bad = high_reject_zip(tmp_path / "high_rejects.zip")
    with running_app(db, tmp_path) as url:
        data = browser.new_page(viewport={"width": 1440, "height": 1000})
        other = browser.new_page(viewport={"width": 1440, "height": 1000})  # another viewer
        try:
            assert new_leads(other, url) == "10"
            data.goto(f"{url}/data", wait_until="domcontentloaded")
            data.wait_for_selector(IDLE, timeout=45_000)
            not_zip = tmp_path / "leads.zip"
            not_zip.write_text("lead_id,created_at\nL1,2026-01-05\n", encoding="utf-8")
            upload(data, not_zip, "Import")  # a failure is said in the open, never inside the collapsed box
            refusal = data.locator('[data-testid="stAlert"]').filter(has_text="Import stopped")
            refusal.wait_for(timeout=60_000)
            assert "not a zip file" in refusal.inner_text() and refusal.is_visible()
            assert data.locator('[data-testid="stExpander"] [data-testid="stAlert"]').count() == 0
            upload(data, bad, "Import")
            data.get_by_text("Check before it goes live: high_rejects.zip").wait_for(timeout=60_000)
            data.wait_for_selector(IDLE, timeout=45_000)
            # the browser may still be drawing the preview's widgets when the script has finished: wait for them
            preview = data.locator(".st-key-data-preview")
            expect(preview).to_contain_text("I have read the rejects", timeout=30_000)
            confirm = data.get_by_role("button", name="Put live for everyone")
            expect(confirm).to_be_disabled(timeout=30_000)  # above the reject share: read the rejects first
            full_page_screenshot(data, "upload_preview")
            assert new_leads(other, url) == "10", "the upload went live before it was confirmed"
            assert not (tmp_path / "closed_loop.previous.duckdb").exists()

            data.get_by_text("I have read the rejects").click()
            expect(confirm).to_be_enabled(timeout=30_000)
            confirm.click()
            data.get_by_text("The dashboard now shows this data").wait_for(timeout=60_000)
            data.wait_for_selector(IDLE, timeout=45_000)
            assert new_leads(other, url) == str(KEPT_LEADS), "another session still shows the replaced data"

            data.goto(f"{url}/data", wait_until="domcontentloaded")
            data.wait_for_selector(IDLE, timeout=45_000)
            data.get_by_role("button", name=re.compile("Restore the data imported")).click(timeout=45_000)
            data.get_by_text("Restored the data imported").wait_for(timeout=60_000)
            data.wait_for_selector(IDLE, timeout=45_000)
            full_page_screenshot(data, "upload_restored")
            assert new_leads(other, url) == "10", "the restore did not bring the old figures back"

            data.goto(f"{url}/data?lang=zh", wait_until="domcontentloaded")  # the preview in Chinese, discarded
            data.wait_for_selector(IDLE, timeout=45_000)
            upload(data, bad, "导入")
            data.get_by_text("上线前检查：high_rejects.zip").wait_for(timeout=60_000)
            data.wait_for_selector(IDLE, timeout=45_000)
            full_page_screenshot(data, "upload_preview_zh")
            data.get_by_role("button", name="放弃此上传").click()
            data.get_by_text("已放弃上传").wait_for(timeout=60_000)
            assert not list(tmp_path.glob("closed_loop.staged-*"))
            assert new_leads(other, url) == "10"
            for shown in (data, other):
                assert shown.locator(EXCEPTION).count() == 0
        finally:
            data.close()
            other.close()
