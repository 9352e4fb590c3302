"""The only code that imports streamlit: the cached store and typed engine calls (store, calls), lookups,
filters in the session and the URL (state, url), the sidebar, widgets, the meeting's widgets, login and
uploads."""
