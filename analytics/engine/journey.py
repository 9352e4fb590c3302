"""One lead's (or one account's) journey: every event in time order, what sales wants at hand-off."""
from __future__ import annotations

import polars as pl

from analytics.store.db import Store
from analytics.store.sql import run


def journey(store: Store, lead_id: str | None = None, account_id: str | None = None) -> pl.DataFrame:
    """lead_id, event_at, kind (stage, touch, score, activity, feedback, opportunity), what, detail."""
    if not lead_id and not account_id:
        return pl.DataFrame(schema={"lead_id": pl.String, "event_at": pl.Datetime, "kind": pl.String,
                                    "what": pl.String, "detail": pl.String})
    return run(store.con, "marts/lead_journey", {"lead_id": lead_id or None, "account_id": account_id or None})


def lead_card(store: Store, lead_id: str) -> dict | None:
    """The lead's own columns plus its hand-off facts, or None when there is no such lead."""
    cur = store.con.cursor()
    try:
        lead = cur.sql("select * from leads where lead_id = $id", params={"id": lead_id}).pl()
        facts = cur.sql("select * exclude (lead_id) from handoffs where lead_id = $id", params={"id": lead_id}).pl()
    finally:
        cur.close()
    if lead.height == 0:
        return None
    card = lead.row(0, named=True)
    if facts.height:
        card.update(facts.row(0, named=True))
    return card


def search_leads(store: Store, text: str, limit: int = 20) -> pl.DataFrame:
    """Leads whose id, name, e-mail, company or account contains the text, exact matches first (the
    journey page's search box): lead_id, lead_name, company_name, email, account_id, source, owner_id,
    created_at."""
    return run(store.con, "marts/lead_search", {"q": text.strip(), "limit": limit})
