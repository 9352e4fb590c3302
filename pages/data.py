"""Data health: how far to trust the data, what the import refused, which optional tables would
switch on more of the dashboard, and importing a new export from a zip."""
import streamlit as st

from analytics.engine import health
from analytics.i18n.messages import fmt_date, fmt_datetime, fmt_pct, t
from analytics.ui import calls, lookups, state, store, upload, url, widgets
from analytics.views import data as data_views
from analytics.views import tiles

state.ensure_frame()

meta = lookups.import_meta()

st.title(t("data.title"))
st.caption(t("data.intro"))
upload.notices()  # what an upload or a restore just did; an upload waiting below
as_of, version, imported = st.columns(3)
as_of.metric(t("data.as_of"), fmt_date(meta["default_as_of"]), border=True,
             help=f"{fmt_datetime(meta['default_as_of'])}. {t('sidebar.as_of_help')}")
version.metric(t("data.version"), meta["data_version"][:8], help=meta["data_version"], border=True)
imported.metric(t("data.imported_at"), fmt_date(meta["imported_at"]), help=fmt_datetime(meta["imported_at"]),
                border=True)
st.caption(f"{t('data.folder')}: `{meta['source_folder']}`")
if served := store.warehouse_path():  # CLOSED_LOOP_WAREHOUSE: the live build of a warehouse (docs/scale.md)
    st.caption(f"{t('data.warehouse')}: `{served}`")

st.subheader(t("data.confidence"))
c = calls.cached(health.data_confidence)
coverage, rejected = st.columns([2, 1])  # the dates whole, in Chinese too
skipped, untouched = st.columns(2)
coverage.metric(t("data.coverage"), t("data.coverage_value", first=fmt_date(c["first_lead_at"]),
                                      last=fmt_date(c["last_lead_at"])), border=True)
rejected.metric(t("data.rejected_share"), fmt_pct(c["rejected_share"], 1), help=tiles.rejected_text(c), border=True)
skipped.metric(t("data.skipped_share"), fmt_pct(c["skipped_stage_share"], 1), help=t("data.skipped_help"),
               border=True)
untouched.metric(t("data.no_touch_share"), fmt_pct(c["no_touch_share"], 1), help=t("data.no_touch_help"),
                 border=True)

st.subheader(t("data.loaded"))
files = lookups.import_files()
widgets.chart(data_views.import_chart(files), t("data.loaded_caption"), key="data.loaded")
widgets.table(files, "import_files")

st.subheader(t("data.rejects"))
refused = lookups.rejects()
if refused.is_empty():
    widgets.info("data.no_rejects")
else:
    st.markdown(tiles.rejected_text(c))
    names = [None, *refused["table_name"].unique().sort().to_list()]
    name = url.choice(st.selectbox, "table", t("data.rejects_table"), names, format_func=lambda n: n or t("all"),
                      key="data.table")
    widgets.table(data_views.reasons_in_words(lookups.rejects(name)), "rejects", hidden=("reason",))
    st.caption(t("data.rejects_caption"))

if repairs := calls.cached(health.caveats, "deals") + calls.cached(health.caveats, "money"):
    st.subheader(t("data.repairs"))
    st.caption(t("data.repairs_caption"))
    st.markdown("\n".join(f"- {t(f'note.{code}', **values)}" for code, values in repairs))

st.subheader(t("data.sources"))
st.caption(t("data.sources_caption"))
widgets.table(lookups.source_labels(), "source_labels")

st.subheader(t("data.optional"))
missing = lookups.missing_tables()
if missing.is_empty():
    widgets.info("data.all_optional")
else:
    st.caption(t("data.missing_caption"))
    widgets.table(missing, "missing_tables")

upload.section()  # import an export: checked, previewed, live only when confirmed; restore the previous
