"""The floor of a pasted link: what Streamlit and Plotly alone cost on this machine, measured by
bench/pasted_link.py in the same run as the dashboard's pages. One title, one date input in the sidebar
(as every page has), one small Plotly bar chart — nothing of ours."""
import plotly.graph_objects as go
import streamlit as st

st.set_page_config(page_title="floor", layout="wide")
st.sidebar.date_input("From")
st.title("Floor: Streamlit and one Plotly chart")
st.plotly_chart(go.Figure(go.Bar(x=["Lead", "MQL", "SQL", "Won"], y=[912, 369, 193, 14])), key="floor")
