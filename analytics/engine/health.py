"""Data confidence: the line every page and review pack carries about how far to trust the data."""
from __future__ import annotations

import json

import polars as pl

from analytics.store.db import Store
from analytics.store.sql import run

IMPORT_TABLES = ("import_files", "rejects", "meta", "source_labels", "import_notes")


def data_confidence(store: Store) -> dict:
    """Counts and shares: rows loaded/rejected (and the reasons, one or more per rejected row), coverage,
    skipped stages, opportunities without touches."""
    row = run(store.con, "marts/data_confidence").row(0, named=True)
    leads, opps = row["leads"] or 0, row["opportunities"] or 0
    read = (row["rows_loaded"] or 0) + (row["rows_rejected"] or 0)
    row.update(
        rejected_share=row["rows_rejected"] / read if read else None,
        skipped_stage_share=row["leads_with_skipped_stage"] / leads if leads else None,
        no_touch_share=row["opportunities_without_touches"] / opps if opps else None,
        data_version=store.data_version,
    )
    return row


def confidence_line(c: dict) -> str:
    """One sentence for the page footer and the review pack (English; pages translate via messages)."""
    def pct(x):
        return "–" if x is None else f"{x:.1%}"
    return (f"Data as of {c['as_of']:%Y-%m-%d %H:%M} UTC (version {c['data_version'][:8]}): "
            f"{c['rows_loaded']:,} rows loaded, {c['rows_rejected']:,} rejected ({pct(c['rejected_share'])}); "
            f"leads from {c['first_lead_at']:%Y-%m-%d} to {c['last_lead_at']:%Y-%m-%d}; "
            f"{pct(c['skipped_stage_share'])} of leads skipped a stage; "
            f"{pct(c['no_touch_share'])} of opportunities have no marketing touch.")


def import_table(store: Store, name: str) -> pl.DataFrame:
    """One of the import's own tables: import_files (per file: rows loaded and rejected), rejects
    (table_name, file, line, column_name, value, reason), meta (version, source, as-of) or source_labels
    (source, leads, marketing_label, is_marketing: what each lead source counted as)."""
    if name not in IMPORT_TABLES:
        raise ValueError(f"not an import table: {name}")
    cur = store.con.cursor()
    try:
        return cur.table(name).pl()
    finally:
        cur.close()


def caveats(store: Store, topic: str) -> list[tuple[str, dict]]:
    """What the importer noted about figures of `topic` (amount): (message code, its values)."""
    notes = import_table(store, "import_notes").filter(pl.col("topic") == topic)
    return [(code, json.loads(values)) for code, values in notes.select("code", "values_json").iter_rows()]


def last_lead_at(store: Store):
    """When the last lead was created (None without leads)."""
    return run(store.con, "marts/last_lead")["last_lead_at"][0]
