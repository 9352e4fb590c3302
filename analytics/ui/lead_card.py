"""The journey page's lead card: who the lead is, how marketing found it, and the hand-off facts sales
wants (handed off when, by whom, followed up in time, the decision, the rating), then the touches
before the hand-off."""
from __future__ import annotations

import polars as pl
import streamlit as st

from analytics.i18n.messages import column_label, fmt_datetime, fmt_int, t
from analytics.ui import lookups
from analytics.views.journey import event_words


def fact(label: str, value) -> str:
    """One fact of the card as markdown: bold label, value underneath ('—' when unknown)."""
    if value is None or value == "":
        value = "—"
    elif hasattr(value, "strftime"):
        value = fmt_datetime(value)
    elif isinstance(value, float):
        value = f"{value:,.1f}".removesuffix(".0")
    return f"**{label}**  \n{value}"


def _facts(title: str, facts) -> None:
    st.markdown(f"#### {title}")
    for label, value in facts:
        st.markdown(fact(label, value))


def draw(card: dict, sla: dict, owner: str) -> None:
    """The three boxes of the card; `sla` is the lead's row of the hand-off SLA ({} when none)."""
    who, marketing, handoff = st.columns(3, border=True)
    with who:
        _facts(t("journey.card.who"), [(column_label(name), card.get(name)) for name in (
            "lead_name", "email", "company_name", "account_id", "industry", "company_size", "region", "country",
            "job_level") if name in card])
    with marketing:
        _facts(t("journey.card.marketing"), (
            (column_label("source"), card.get("source")), (column_label("campaign_name"),
             lookups.campaign_label(card["campaign_id"]) if card.get("campaign_id") else None),
            (t("journey.card.created"), card.get("created_at")), (t("journey.card.score"), card.get("score")),
            (t("journey.card.handoff_score"), card.get("handoff_score")),
            (t("journey.card.score_band"), card.get("score_band"))))
    with handoff:
        decision = (t("journey.card.accepted", at=fmt_datetime(card["accepted_at"])) if card.get("accepted_at")
                    else t("journey.card.rejected", at=fmt_datetime(card["rejected_at"]),
                           reason=card.get("rejection_reason") or "—") if card.get("rejected_at") else None)
        follow_up = sla.get("follow_up_status")
        sdr = lookups.rep_label(card["sdr_id"]) if card.get("sdr_id") else "—"
        _facts(t("journey.card.handoff"), (
            (t("journey.card.handed_off"), card.get("handoff_at")),
            (t("journey.card.sdr_owner"), f"{sdr} → {owner}"),
            (t("journey.card.follow_up"),
             t(f"weekly.followup.{follow_up}", hours=f"{sla.get('response_hours') or 0:,.1f}") if follow_up else None),
            (t("journey.card.decision"), decision),
            (t("journey.card.qualified"), card.get("qualified_at")),
            (t("journey.card.rating"), None if card.get("avg_rating") is None else
             t("journey.card.rating_value", rating=f"{card['avg_rating']:.1f}", n=fmt_int(card.get("ratings"))))))


def touches_before(events: pl.DataFrame, handoff_at) -> None:
    """The marketing touches up to the hand-off, one line each."""
    before = events.filter((pl.col("kind") == "touch") & (pl.col("event_at") <= handoff_at))
    st.subheader(t("journey.before_handoff", n=fmt_int(before.height)))
    if before.is_empty():
        st.caption(t("journey.no_touches_before"))
    else:
        st.markdown("\n".join(f"- {at:%Y-%m-%d} · {event_words('touch', what)} · {detail or ''}"
                              for at, what, detail in before.select("event_at", "what", "detail").iter_rows()))
