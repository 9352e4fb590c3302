"""The floors of a pasted link, measured by bench/pasted_link.py in the same run as the dashboard's pages.

`/` — Streamlit and Plotly alone: one title, one date input in the sidebar (as every page has), one
small Plotly bar chart, nothing of ours. `/?frame=ours` — the same chart inside the dashboard's own
frame: its sidebar (language, period presets, period, the four lead filters, as-of) drawn by the same
code as every page's, on the same database. The difference between the two is what our frame costs;
the difference between the second and a page is what the page's own content costs."""
import sys
from pathlib import Path

import plotly.graph_objects as go
import streamlit as st

st.set_page_config(page_title="floor", layout="wide")
if st.query_params.get("frame") == "ours":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from analytics.ui import sidebar, url
    from analytics.ui.store import store_or_explain

    language = url.use_language()
    sidebar.draw(store_or_explain(), language)
else:
    st.sidebar.date_input("From")
st.title("Floor: Streamlit and one Plotly chart")
st.plotly_chart(go.Figure(go.Bar(x=["Lead", "MQL", "SQL", "Won"], y=[912, 369, 193, 14])), key="floor")
