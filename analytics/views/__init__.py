"""Figures, tiles and shown tables drawn from the engine's frames, one module per page area (Plotly;
no SQL, no streamlit)."""
