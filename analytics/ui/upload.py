"""The Data page's import of an uploaded zip: staged beside the database the dashboard shows, previewed,
put live only when confirmed (the database it replaces is kept), and the previous data restored in one
click. Every session sees a change at its next run (ui.store.look_again)."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import polars as pl
import streamlit as st

from analytics.engine import health
from analytics.i18n.messages import fmt_date, fmt_datetime, fmt_int, fmt_pct, t
from analytics.importers.formats import available
from analytics.importers.load import ImportFailed
from analytics.importers.upload import Preview, UploadRefused, discard, preview, stage_upload
from analytics.store.db import (
    NotADatabase,
    Summary,
    default_db_path,
    go_live,
    previous_path,
    restore_previous,
    summarise,
)
from analytics.ui import widgets
from analytics.ui.calls import cached
from analytics.ui.store import get_store, look_again, warehouse_path
from analytics.views import data as data_views
from analytics.views import tiles

UPLOAD_MB = 200  # the largest zip the Data page accepts (also .streamlit/config.toml maxUploadSize)


class UploadFailed(Exception):
    """The upload was refused or its import failed; the dashboard's data stays as it was."""


def formats() -> list[str]:
    """The export formats an upload may be in (those whose converter is installed)."""
    return available()


def stage(data: bytes, fmt: str, say: Callable[[str], object],
          on_progress: Callable[[float, str], object] | None = None, name: str = "upload.zip") -> Preview:
    """Import an uploaded zip beside the live database and preview it; nothing goes live yet."""
    try:
        return stage_upload(data, default_db_path(), get_store().cfg, fmt=fmt, max_bytes=UPLOAD_MB * 1_000_000,
                            say=say, on_progress=on_progress, name=name)
    except (UploadRefused, ImportFailed) as error:
        raise UploadFailed(str(error)) from error


def staged_preview(staged: str) -> Preview | None:
    """The preview of a staged upload still waiting (None when it is gone: confirmed or cancelled elsewhere)."""
    try:
        return preview(staged, get_store().cfg.confirm_reject_share) if Path(staged).exists() else None
    except NotADatabase:
        return None


def confirm(staged: str) -> None:
    """The staged upload replaces the data everyone sees; the replaced data is kept as the previous."""
    try:
        go_live(staged, default_db_path())
    except NotADatabase as error:
        raise UploadFailed(str(error)) from error
    look_again()


def cancel(staged: str) -> None:
    discard(staged)


def previous() -> Summary | None:
    """What the kept previous database holds (None when there is none, or it cannot be read any more)."""
    path = previous_path(default_db_path())
    try:
        return summarise(path) if path.exists() else None
    except NotADatabase:
        return None


def restore() -> None:
    """Swap the live and the previous database (restoring again undoes it)."""
    try:
        restore_previous(default_db_path())
    except NotADatabase as error:
        raise UploadFailed(str(error)) from error
    look_again()


# --- what the Data page draws ------------------------------------------------------------------------------------

STAGED = "data.staged"  # the upload waiting for confirmation: {"path", "name", "said"}
UPLOADED = "data.uploaded"  # rows loaded by an upload just put live, told after the rerun
RESTORED = "data.restored"  # when the restored data was imported, told after the rerun
CANCELLED = "data.cancelled"
ACK = "data.ack"  # "I have read the rejects"
FAILED = "data.failed"  # why a confirm or a restore did not happen, told after the rerun


def notices() -> None:
    """The top of the Data page: what the last action did, and an upload still waiting below."""
    # at the top of the page, and as a toast where the button was (the page keeps its scroll position)
    if (rows := st.session_state.pop(UPLOADED, None)) is not None:  # the new data's own counts
        confidence = cached(health.data_confidence)
        st.success(t("data.upload_done", rows=fmt_int(rows), rejected=tiles.rejected_text(confidence)),
                   icon=":material/task_alt:")
        st.toast(t("data.toast_live"), icon=":material/task_alt:")
    if (imported := st.session_state.pop(RESTORED, None)) is not None:
        st.success(t("data.restored", imported=imported), icon=":material/history:")
        st.toast(t("data.toast_restored"), icon=":material/history:")
    if st.session_state.pop(CANCELLED, False):
        st.info(t("data.preview_cancelled"), icon=":material/delete:")
        st.toast(t("data.toast_discarded"), icon=":material/delete:")
    if STAGED in st.session_state:
        st.warning(t("data.upload_waiting"), icon=":material/pending:")


def section() -> None:
    """Import an export: the form, the preview of a staged upload (confirm or discard), the restore."""
    st.subheader(t("data.upload"))
    if path := warehouse_path():  # served from a warehouse: imports go there, from the command line
        st.info(t("data.upload_warehouse", path=path), icon=":material/warehouse:")
        return
    st.caption(t("data.upload_intro", mb=UPLOAD_MB))
    with st.form("data.upload_form"):
        upload = st.file_uploader(t("data.upload_file"), type=["zip"], key="data.upload_file")
        fmt = st.selectbox(t("data.upload_format"), formats(), format_func=lambda f: t(f"format.{f}"))
        go = st.form_submit_button(t("data.upload_button"), icon=":material/upload:")
    if (error := st.session_state.pop(FAILED, None)) is not None:
        st.error(t("data.upload_failed", error=error), icon=":material/error:")
    if go and upload is not None:
        _stage(upload.getvalue(), fmt, upload.name)
    if STAGED in st.session_state:
        _preview(st.session_state[STAGED])
    _restore()


def _stage(data: bytes, fmt: str, name: str) -> None:
    if STAGED in st.session_state:  # a new upload replaces the one still waiting
        cancel(st.session_state.pop(STAGED)["path"])
    st.session_state.pop(ACK, None)
    said: list[str] = []

    def say(message: str) -> None:
        said.append(message)
        st.write(message)

    failed = None
    with st.status(t("data.upload_running", name=name), expanded=True) as status:
        bar = st.progress(0.0)
        try:
            staged = stage(data, fmt, say=say, name=name, on_progress=lambda done, step: bar.progress(done, text=step))
        except UploadFailed as error:  # the data stays as it was
            status.update(label=t("data.upload_stopped", name=name), state="error")  # what it said stays open
            failed = error
        else:
            status.update(label=t("data.upload_checked", name=name), state="complete", expanded=False)
            st.session_state[STAGED] = {"path": str(staged.staged), "name": name, "said": said}
    if failed is not None:  # in the open, never inside the box
        st.error(t("data.upload_failed", error=failed), icon=":material/error:")


def _preview(waiting: dict) -> None:
    shown = staged_preview(waiting["path"])
    if shown is None:
        st.session_state.pop(STAGED, None)
        st.info(t("data.preview_gone"), icon=":material/info:")
        return
    s = shown.summary
    with st.container(border=True, key="data-preview"):
        st.subheader(t("data.preview", name=waiting["name"]))
        st.warning(t("data.preview_not_live"), icon=":material/visibility:")
        current = _current_leads()
        leads, loaded, rejected = st.columns(3)
        leads.metric(t("data.preview_leads"), fmt_int(s.leads), delta=t("data.preview_vs_current", n=fmt_int(current)),
                     delta_color="off", delta_arrow="off", border=True)
        loaded.metric(t("data.preview_loaded"), fmt_int(s.rows_loaded), border=True)
        rejected.metric(t("data.preview_rejected"), t("data.preview_rejected_value", rows=fmt_int(s.rows_rejected),
                                                      share=fmt_pct(s.reject_share, 1)), border=True)
        dates, as_of = st.columns([2, 1])
        dates.metric(t("data.preview_dates"), t("data.coverage_value", first=fmt_date(s.first_lead_at),
                                                last=fmt_date(s.last_lead_at)), border=True)
        as_of.metric(t("data.preview_as_of"), fmt_date(s.as_of), help=t("data.preview_as_of_help"), border=True)
        st.markdown(f"**{t('data.preview_files')}**")
        files = shown.tables.with_columns(
            (pl.col("rows_rejected") / (pl.col("rows_loaded") + pl.col("rows_rejected"))).alias("rejected_rate"))
        widgets.table(files, "upload_files")
        st.markdown(f"**{t('data.preview_reasons')}**")
        if shown.reasons.is_empty():
            st.caption(t("data.preview_no_rejects"))
        else:
            widgets.table(data_views.reasons_in_words(shown.reasons), "upload_reasons", hidden=("reason",))
            st.caption(t("data.preview_reasons_caption", shown=shown.reasons.height, total=shown.reasons_total))
        if waiting["said"]:
            with st.expander(t("data.preview_said")):
                st.markdown("\n".join(f"- {line}" for line in waiting["said"]))
        acknowledged = True
        if shown.needs_acknowledgement:
            st.error(t("data.preview_high_rejects", share=fmt_pct(s.reject_share, 1),
                       limit=fmt_pct(shown.confirm_reject_share, 0)), icon=":material/warning:")
            acknowledged = st.checkbox(t("data.preview_ack"), key=ACK)
        buttons = st.container(horizontal=True)
        # callbacks: they run before the next run, so a click is never lost to a rerun
        buttons.button(t("data.preview_confirm"), type="primary", disabled=not acknowledged,
                       icon=":material/publish:", key="data.confirm", on_click=_confirmed, args=(s.rows_loaded,))
        buttons.button(t("data.preview_cancel"), icon=":material/delete:", key="data.cancel", on_click=_cancelled)


def _confirmed(rows: int) -> None:
    st.session_state.pop(ACK, None)  # the next upload is read afresh
    waiting = st.session_state.pop(STAGED, None)
    if waiting is None:
        return
    try:
        confirm(waiting["path"])
    except UploadFailed as error:
        st.session_state[FAILED] = str(error)
        return
    st.session_state[UPLOADED] = rows


def _cancelled() -> None:
    st.session_state.pop(ACK, None)
    if (waiting := st.session_state.pop(STAGED, None)) is not None:
        cancel(waiting["path"])
        st.session_state[CANCELLED] = True


def _current_leads() -> int | None:
    cur = get_store().con.cursor()
    try:
        return cur.execute("select count(*) from leads").fetchall()[0][0]
    finally:
        cur.close()


def _restore() -> None:
    st.subheader(t("data.previous"))
    kept = previous()
    if kept is None:
        st.caption(t("data.previous_none"))
        return
    imported = fmt_datetime(kept.imported_at)
    st.caption(t("data.previous_caption", imported=imported, source=Path(kept.source).name or kept.source,
                 leads=fmt_int(kept.leads), first=fmt_date(kept.first_lead_at), last=fmt_date(kept.last_lead_at),
                 as_of=fmt_date(kept.as_of), share=fmt_pct(kept.reject_share, 1)))
    st.button(t("data.previous_button", imported=imported), help=t("data.previous_help"), icon=":material/history:",
              key="data.restore", on_click=_restored, args=(imported,))


def _restored(imported: str) -> None:
    try:
        restore()
    except UploadFailed as error:
        st.session_state[FAILED] = str(error)
        return
    st.session_state[RESTORED] = imported
