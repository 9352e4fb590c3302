"""Data health: what the database holds, what the import refused, and which optional tables would
switch on more of the dashboard."""
import streamlit as st

from analytics import cache, charts
from analytics.messages import fmt_date, fmt_datetime, t

cache.ensure_frame()

meta = cache.import_meta()

st.title(t("data.title"))
st.caption(t("data.intro"))
as_of, version, imported = st.columns(3)
as_of.metric(t("data.as_of"), fmt_date(meta["default_as_of"]), border=True,
             help=f"{fmt_datetime(meta['default_as_of'])}. {t('sidebar.as_of_help')}")
version.metric(t("data.version"), meta["data_version"][:8], help=meta["data_version"], border=True)
imported.metric(t("data.imported_at"), fmt_date(meta["imported_at"]), help=fmt_datetime(meta["imported_at"]),
                border=True)
st.caption(f"{t('data.folder')}: `{meta['source_folder']}`")

st.subheader(t("data.loaded"))
files = cache.import_files()
cache.chart(charts.import_chart(files), t("data.loaded_caption"), key="data.loaded")
cache.table(files, "import_files")

st.subheader(t("data.rejects"))
refused = cache.rejects()
if refused.is_empty():
    cache.info("data.no_rejects")
else:
    names = [None, *refused["table_name"].unique().sort().to_list()]
    name = st.selectbox(t("data.rejects_table"), names, format_func=lambda n: n or t("all"), key="data.table")
    cache.table(cache.rejects(name), "rejects")
    st.caption(t("data.rejects_caption"))

st.subheader(t("data.optional"))
missing = cache.missing_tables()
if missing.is_empty():
    cache.info("data.all_optional")
else:
    st.caption(t("data.missing_caption"))
    cache.table(missing, "missing_tables")
