"""The database: opening the DuckDB store read-only (db), running the SQL files of queries/ with bound and
checked parameters (sql), quoting identifiers, and the side database of meeting snapshots and action
items (meetings)."""
