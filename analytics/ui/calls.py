"""Engine results for the pages, cached: `cached(handoff.quality, by="source", filters=chosen)` runs
`handoff.quality(store, by="source", filters=chosen)` once per data version and set of arguments.

One caching rule for every engine function: the key is the function's module and qualified name,
the data version and the plain, hashable arguments; the store is passed as the first argument. A
reader (and an editor) jumps from the call to the engine function itself.

Results are shared, not copied (st.cache_resource): with cache_data every run of every session
unpickled its own copy of each frame (the stalled list alone is ~600k rows at 1M leads). Polars frames
are immutable, and nothing here changes a result in place.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Concatenate, ParamSpec, TypeVar

import polars as pl
import streamlit as st

from analytics.core.filters import Filters
from analytics.engine import metrics
from analytics.store.db import Store
from analytics.ui.lookups import with_owner_names
from analytics.ui.store import data_version, get_store

RESULTS = 256  # cached results kept (bounded: the oldest go first)

P = ParamSpec("P")
R = TypeVar("R")


@st.cache_resource(max_entries=RESULTS, show_spinner=False)
def _run(version: str, module: str, name: str, args: tuple, options: tuple[tuple[str, object], ...],
         _function: Callable) -> object:
    """_function(store, *args, **options); `_function` itself is not hashed: module and name key it."""
    return _function(get_store(), *args, **dict(options))


def cached(function: Callable[Concatenate[Store, P], R], *args: P.args, **options: P.kwargs) -> R:
    """function(store, *args, **options), cached on the function, the data version and the arguments
    (which must be hashable: Filters, dates, texts, tuples)."""
    return _run(data_version(), function.__module__, function.__qualname__, tuple(args),
                tuple(sorted(options.items())), _function=function)


def stalled(filters: Filters, stages: tuple[str, ...] | None = None) -> pl.DataFrame:
    """Stalled leads at the as-of (only the lead filters apply, so the dates leave the cache key),
    optionally only in some stages, owner's name first when the reps table has it."""
    return _stalled(data_version(), replace(filters, start=None, end=None), stages)


@st.cache_resource(max_entries=RESULTS, show_spinner=False)
def _stalled(version: str, filters: Filters, stages: tuple[str, ...] | None) -> pl.DataFrame:
    """The named, ordered stalled list, kept: at a million leads it is ~600k rows, named once, not per run."""
    frame = with_owner_names(cached(metrics.stalled, filters=filters))
    first = [c for c in ("owner_name", "owner_id", "stage", "days_in_stage", "threshold_days", "days_over", "lead_id")
             if c in frame.columns]
    frame = frame.select(*first, pl.exclude(first))
    return frame if stages is None else frame.filter(pl.col("stage").is_in(list(stages)))
