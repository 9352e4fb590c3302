"""The database: opening the DuckDB store read-only (db), running the SQL files of queries/ with bound and
checked parameters (sql), quoting identifiers, the side database of meeting snapshots and action
items (meetings), the Parquet warehouse of an import and its locked reader (warehouse), and the memory,
threads and spill folder every DuckDB connection of an import or a report keeps to (limits)."""
