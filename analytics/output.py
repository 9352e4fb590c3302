"""Print a report frame as csv, json or a table (CLI.md: rates are fractions, nulls are empty)."""
from __future__ import annotations

import json
from datetime import date, datetime

import polars as pl


def render(frame: pl.DataFrame, fmt: str) -> str:
    if fmt == "csv":
        return frame.write_csv(datetime_format="%Y-%m-%d %H:%M:%S", date_format="%Y-%m-%d",
                               float_precision=None, null_value="")
    if fmt == "json":
        return json.dumps(frame.to_dicts(), default=_jsonable, indent=2) + "\n"
    if fmt == "table":
        with pl.Config(tbl_rows=-1, tbl_cols=-1, tbl_width_chars=200, fmt_str_lengths=60,
                       tbl_hide_dataframe_shape=True, tbl_hide_column_data_types=True):
            return str(frame) + "\n"
    raise ValueError(f"unknown format {fmt!r}")


def _jsonable(value):
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(type(value).__name__)
