"""Figures of the data health page: rows loaded and rejected per table at import."""
from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from analytics.i18n.messages import column_label, fmt_int, t
from analytics.views.style import BAD, PRIMARY, figure


def import_chart(frame: pl.DataFrame) -> go.Figure:
    """Rows loaded and rejected per table at import."""
    fig = figure(90 + 34 * frame.height)
    for column, color in (("rows_loaded", PRIMARY), ("rows_rejected", BAD)):
        fig.add_trace(go.Bar(x=frame[column].to_list(), y=frame["table_name"].to_list(), orientation="h",
                             name=column_label(column), marker_color=color,
                             text=[fmt_int(v) if v else "" for v in frame[column]], textposition="outside",
                             cliponaxis=False,
                             hovertemplate="%{y}: %{x:,}<extra></extra>"))
    fig.update_yaxes(autorange="reversed", showgrid=False)
    fig.update_xaxes(title_text=t("data.rows_axis"), rangemode="tozero")
    fig.update_layout(barmode="group")
    return fig
