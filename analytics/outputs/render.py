"""Print a report frame as csv, json or a table (docs/cli.md: rates are fractions, nulls are empty).

A figure that is not defined (a rate over nothing, the log of a zero: inf or NaN in the arithmetic)
is written as a missing value: an empty cell in CSV, null in JSON, never `inf` or `NaN`."""
from __future__ import annotations

import json
from datetime import date, datetime

import polars as pl


def render(frame: pl.DataFrame, fmt: str) -> str:
    frame = defined(frame)
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


def defined(frame: pl.DataFrame) -> pl.DataFrame:
    """inf, -inf and NaN in float columns become null."""
    floats = [c for c, t in frame.schema.items() if t.is_float()]
    return frame.with_columns(pl.when(pl.col(c).is_finite()).then(pl.col(c)).alias(c) for c in floats)
