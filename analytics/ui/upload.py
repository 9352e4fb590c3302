"""The Data page's import of an uploaded zip into the database the dashboard shows."""
from __future__ import annotations

from collections.abc import Callable

from analytics.importers.formats import available
from analytics.importers.load import ImportFailed
from analytics.importers.upload import UploadRefused
from analytics.importers.upload import import_upload as run_import
from analytics.store.db import default_db_path
from analytics.ui.store import get_store, look_again

UPLOAD_MB = 200  # the largest zip the Data page accepts (also .streamlit/config.toml maxUploadSize)


class UploadFailed(Exception):
    """The upload was refused or its import failed; the dashboard's data stays as it was."""


def formats() -> list[str]:
    """The export formats an upload may be in (those whose converter is installed)."""
    return available()


def import_upload(data: bytes, fmt: str, say: Callable[[str], object],
                  on_progress: Callable[[float, str], object] | None = None, name: str = "upload.zip") -> object:
    """Import an uploaded zip into the database the dashboard shows (replaced only on success)."""
    cfg = get_store().cfg
    try:
        result = run_import(data, default_db_path(), cfg, fmt=fmt, max_bytes=UPLOAD_MB * 1_000_000, say=say,
                            on_progress=on_progress, name=name)
    except (UploadRefused, ImportFailed) as error:
        raise UploadFailed(str(error)) from error
    look_again()
    return result
