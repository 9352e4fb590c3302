"""The store the dashboard reads: opened read-only once per file state (`st.cache_resource`), built
from the bundled sample on first start, reopened when an import replaces the file. With a warehouse
(CLOSED_LOOP_WAREHOUSE, else [engine] warehouse of closed_loop.toml) it reads the warehouse's live build
instead, reopened when a new build is published. Nothing is opened at import time."""
from __future__ import annotations

import os
import time
from functools import cache
from pathlib import Path

import pandas  # noqa: F401 - imported here, once, before concurrent sessions import it lazily (a race)
import streamlit as st

from analytics.core.config import EngineSettings, load_config, load_engine_settings
from analytics.i18n.messages import t
from analytics.importers.load import import_folder
from analytics.store import warehouse
from analytics.store.db import DEFAULT_DB, SAMPLE_DIR, NotADatabase, Store, default_db_path, open_store


@st.cache_resource(max_entries=2, show_spinner=False, on_release=lambda store: store.close())
def _open(path: str, stamp: int) -> Store:
    return open_store(path, settings=engine_settings())  # [engine.duckdb] memory_limit, threads per process


@st.cache_resource(max_entries=2, show_spinner=False, on_release=lambda store: store.close())
def _open_warehouse(path: str, stamp: int) -> Store:
    return warehouse.open_data(engine_settings().with_options(warehouse=path))


@cache
def _configured() -> EngineSettings:
    """[engine] of closed_loop.toml, read once per process (the environment is looked at on every call)."""
    return load_engine_settings(environment=False)


def engine_settings() -> EngineSettings:
    """The configured engine settings, with CLOSED_LOOP_WAREHOUSE (looked at on every call) on top."""
    settings = _configured()
    if os.environ.get("CLOSED_LOOP_WAREHOUSE"):
        settings = settings.with_options(warehouse=os.environ["CLOSED_LOOP_WAREHOUSE"])
    return settings


def warehouse_path() -> str:
    """The warehouse the dashboard serves ('' = the DuckDB file)."""
    return engine_settings().warehouse


@st.cache_resource(show_spinner=t("store.importing"))
def _import_sample(path: str, replaced_stamp: int = 0) -> str:
    """Import the bundled sample (once per file state: replaced_stamp keys a rebuild)."""
    import_folder(SAMPLE_DIR, path, load_config(), say=lambda _message: None)
    return path


_checked: dict[str, tuple[float, int]] = {}  # path -> (when it was last looked at, its stamp)
_opened: dict[str, int] = {}  # path -> the file stamp the cached store was opened at


def get_store() -> Store:
    """The read-only store of CLOSED_LOOP_DB (else data/closed_loop.duckdb, imported from the
    bundled sample when it does not exist yet, or was imported by an older version). Raises
    NotADatabase when there is none. Called by every cached call, so it looks at the file at most
    once a second. With a warehouse configured, its live build (never imported from the sample)."""
    settings = engine_settings()
    if settings.warehouse:
        return _warehouse_store(settings)
    path = default_db_path()
    key = str(path)
    seen = _checked.get(key)
    if seen and time.monotonic() - seen[0] < 1.0 and seen[1] in _opened.values():
        return _open(key, seen[1])
    is_default = path.resolve() == DEFAULT_DB.resolve() and SAMPLE_DIR.is_dir()
    if is_default and not path.exists():
        _import_sample(key)
    try:
        store = _open_current(path)
    except NotADatabase as error:
        if not (is_default and "older version" in str(error)):
            raise
        _import_sample(key, path.stat().st_mtime_ns)
        store = _open_current(path)
    _checked[key] = (time.monotonic(), _opened[key])
    return store


def _warehouse_store(settings: EngineSettings) -> Store:
    key = f"warehouse:{settings.warehouse}"
    seen = _checked.get(key)
    if not seen or time.monotonic() - seen[0] >= 1.0:
        seen = (time.monotonic(), warehouse.stamp(settings.warehouse))
        _checked[key] = seen
    return _open_warehouse(settings.warehouse, seen[1])


def _open_current(path: Path) -> Store:
    stamp = path.stat().st_mtime_ns if path.exists() else 0
    if _opened.get(str(path), stamp) != stamp:
        # a new import replaced the file: close the old connection first, or DuckDB hands back the
        # instance it still holds for this path (the replaced file's contents)
        _open.clear()
    _opened[str(path)] = stamp
    return _open(str(path), stamp)


def look_again() -> None:
    """The file was just replaced: the next get_store() looks at it now, not up to a second later."""
    _checked.clear()


def data_version() -> str:
    """The version of the data the store holds: part of every cache key."""
    return get_store().data_version


def store_or_explain() -> Store:
    """The store, or (when there is no database to show) what is missing and how to import one, and
    the script stops there."""
    try:
        return get_store()
    except NotADatabase as error:
        st.error(t("store.missing", error=error), icon=":material/database:")
        st.info(t("store.how_warehouse", path=path) if (path := warehouse_path())
                else t("store.how", path=default_db_path()))
        st.stop()
        raise  # st.stop() ends the run; never reached
