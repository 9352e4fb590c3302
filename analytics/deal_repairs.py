"""The deal rules every import applies after loading, whatever the export's shape: planned dates are
not events, one deal policy (kept and repaired, never dropped), and money in one currency
(queries/derived/deal_dates.sql and deal_money.sql). Returns the notes that say what was repaired."""
from __future__ import annotations

import duckdb

from analytics.config import Config
from analytics.queries import run_script

SHOWN_IDS = 5


def repair_deals(con: duckdb.DuckDBPyConnection, cfg: Config) -> list[str]:
    """Apply the rules to the loaded opportunities (and closing stage entries); the notes name the deals."""
    run_script(con, "derived/deal_dates", {"won_stage": cfg.won_stage, "lost_stage": cfg.lost_stage})
    run_script(con, "derived/deal_money", {"currency": cfg.currency})
    return [*_date_notes(con), *_money_notes(con, cfg.currency)]


def _ids(rows: list[tuple]) -> str:
    shown = ", ".join(str(r[0]) for r in rows[:SHOWN_IDS])
    return shown + (f" and {len(rows) - SHOWN_IDS:,} more" if len(rows) > SHOWN_IDS else "")


def _date_notes(con) -> list[str]:
    def repairs(kind: str) -> list[tuple]:
        return con.execute("select opportunity_id, before_at, after_at from deal_repairs where repair = ? "
                           "order by opportunity_id", [kind]).fetchall()

    notes = []
    if rows := repairs("expected_close"):
        notes.append(f"{len(rows):,} open deals carry a close date: it is their expected close "
                     "(expected_close_at), not an event, and never moves 'as of'")
    if rows := repairs("future_close"):
        notes.append(f"{len(rows):,} closed deals have a close date after the export's last recorded event: "
                     f"each is taken as closed at its closing stage change, or at that last event ({_ids(rows)})")
    if rows := repairs("closed_before_created"):
        notes.append(f"{len(rows):,} deals closed before they were created (entered in the CRM after they "
                     f"closed): kept, and taken as created when they closed ({_ids(rows)})")
    return notes


def _money_notes(con, corporate: str) -> list[str]:
    rows = con.execute("select currency, count(*), count(*) filter (where amount_currency <> ?) "
                       "from opportunities group by all order by 2 desc", [corporate]).fetchall()
    converted = [f"{c} ({n:,})" for c, n, missing in rows if c != corporate and not missing]
    unconverted = [f"{c} ({missing:,} deals)" for c, _n, missing in rows if missing]
    notes = []
    if converted:
        notes.append(f"amounts converted to {corporate} with exchange_rates: " + ", ".join(converted))
    if unconverted:
        notes.append(f"no exchange rate to {corporate} for " + ", ".join(unconverted)
                     + ": their amounts stay in their own currency and money figures are shown per currency "
                       "(add exchange_rates.csv: currency, valid_from, rate)")
    costs = con.execute("select string_agg(distinct cost_currency, ', ') from campaigns "
                        "where cost_currency <> ?", [corporate]).fetchall()[0][0]
    if costs:
        notes.append(f"campaign costs in {costs} have no exchange rate to {corporate}: their ROI is left empty")
    return notes
