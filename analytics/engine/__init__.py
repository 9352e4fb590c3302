"""Every metric, one function per figure: each takes the store, runs one mart of queries/marts with bound
parameters (base.query_params) and returns a Polars frame. No figures, no streamlit. Definitions:
docs/metrics.md; report columns: docs/cli.md."""
