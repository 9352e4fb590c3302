"""The deal rules every import applies after loading, whatever the export's shape: planned dates are
not events, one deal policy (kept and repaired, never dropped), and money in one currency
(queries/derived/deal_dates.sql and deal_money.sql). Returns what was repaired as caveats (stored in
import_notes: the Data page lists the `deals` ones, the money pages the `money` ones)."""
from __future__ import annotations

import duckdb

from analytics.core.config import Config
from analytics.importers.formats import Caveat
from analytics.store.sql import run_script

SHOWN_IDS = 5


def repair_deals(con: duckdb.DuckDBPyConnection, cfg: Config) -> list[Caveat]:
    """Apply the rules to the loaded opportunities and campaigns; the caveats name the deals."""
    run_script(con, "macros/events")
    run_script(con, "derived/deal_dates", {"won_stage": cfg.won_stage, "lost_stage": cfg.lost_stage})
    run_script(con, "derived/deal_money", {"currency": cfg.currency})
    return [*_date_caveats(con), *_money_caveats(con, cfg.currency)]


def _ids(rows: list[tuple]) -> str:
    shown = ", ".join(str(r[0]) for r in rows[:SHOWN_IDS])
    return shown + (f" … +{len(rows) - SHOWN_IDS:,}" if len(rows) > SHOWN_IDS else "")  # the same in every language


def _date_caveats(con) -> list[Caveat]:
    def repairs(kind: str) -> list[tuple]:
        return con.execute("select opportunity_id from deal_repairs where repair = ? order by opportunity_id",
                           [kind]).fetchall()

    found = []
    if rows := repairs("expected_close"):
        found.append(Caveat("deals", "deals_expected_close",
                            f"{len(rows):,} open deals carry a close date: it is their expected close "
                            "(expected_close_at), not an event, and never moves 'as of'", {"n": len(rows)}))
    if rows := repairs("future_close"):
        found.append(Caveat("deals", "deals_future_close",
                            f"{len(rows):,} closed deals have a close date after the export's last recorded event: "
                            f"each is taken as closed at its closing stage change, or at that last event "
                            f"({_ids(rows)})", {"n": len(rows), "ids": _ids(rows)}))
    if rows := repairs("closed_before_created"):
        found.append(Caveat("deals", "deals_closed_before_created",
                            f"{len(rows):,} deals closed before they were created (entered in the CRM after they "
                            f"closed): kept, and taken as created when they closed ({_ids(rows)})",
                            {"n": len(rows), "ids": _ids(rows)}))
    return found


def _money_caveats(con, corporate: str) -> list[Caveat]:
    rows = con.execute("select currency, count(*), count(*) filter (where amount_currency <> ?) "
                       "from opportunities group by all order by 2 desc, 1", [corporate]).fetchall()
    converted = ", ".join(f"{c} ({n:,})" for c, n, missing in rows if c != corporate and not missing)
    unconverted = ", ".join(f"{c} ({missing:,})" for c, _n, missing in rows if missing)
    found = []
    if converted:
        found.append(Caveat("money", "money_converted",
                            f"amounts converted to {corporate} with exchange_rates: {converted} deals",
                            {"corporate": corporate, "currencies": converted}))
    if unconverted:
        found.append(Caveat("money", "money_unconverted",
                            f"no exchange rate to {corporate} for {unconverted} deals: their amounts stay in their "
                            "own currency and money figures are shown per currency (add exchange_rates.csv: "
                            "currency, valid_from, rate)", {"corporate": corporate, "currencies": unconverted}))
    costs = con.execute("select string_agg(distinct cost_currency, ', ' order by cost_currency) from campaigns "
                        "where cost_currency <> ?", [corporate]).fetchall()[0][0]
    if costs:
        found.append(Caveat("money", "money_campaign_costs",
                            f"campaign costs in {costs} have no exchange rate to {corporate}: their ROI is empty "
                            "unless revenue is shown in that currency", {"corporate": corporate, "currencies": costs}))
    return found
