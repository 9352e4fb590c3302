"""Lead journey: one lead's (or one account's) story in time order — stage entries, marketing touches
and the content behind them, score changes, sales activities, feedback and opportunities — with the
facts sales wants at hand-off. The lead or account lives in the URL (?lead=L00042, ?account=A01239)."""
import polars as pl
import streamlit as st

from analytics.core.filters import Filters
from analytics.engine import handoff, journey, metrics
from analytics.i18n.messages import fmt_int, stage_label, t
from analytics.ui import calls, lead_card, lookups, state, url, widgets
from analytics.ui.store import get_store
from analytics.views import journey as journey_views

state.ensure_frame()

LEAD, ACCOUNT = "journey.lead", "journey.account"
url.from_url("lead", LEAD)
url.from_url("account", ACCOUNT)
if st.query_params.get("lead"):
    st.session_state.pop(ACCOUNT, None)

st.title(t("journey.title"))
st.caption(t("journey.intro"))

query = st.text_input(t("journey.search"), key="journey.q", placeholder=t("journey.search_placeholder"),
                      icon=":material/search:").strip()
if query:
    found = calls.cached(journey.search_leads, query)
    if found.is_empty():
        widgets.info("journey.not_found", text=query)
    else:
        picked = widgets.pick(found, "lead_search", f"journey.found.{query}")
        if picked and picked["lead_id"] != st.session_state.get(LEAD):
            st.session_state[LEAD] = picked["lead_id"]
            st.session_state.pop(ACCOUNT, None)
        accounts = sorted((a for a in found["account_id"].drop_nulls().unique() if query.lower() in a.lower()),
                          key=lambda a: (a.lower() != query.lower(), a))  # an exact match first
        for account in accounts[:3]:
            st.button(t("journey.show_account", account=account), key=f"journey.account_button.{account}",
                      icon=":material/apartment:", on_click=st.session_state.update, args=({ACCOUNT: account},))
        if not picked:
            st.caption(t("journey.pick_hint"))

lead, account = st.session_state.get(LEAD), st.session_state.get(ACCOUNT)
url.to_url(lead=None if account else lead, account=account)
if not lead and not account:
    widgets.info("journey.empty")
    st.stop()

events = calls.cached(journey.journey, None if account else lead, account)
if account:
    members = calls.cached(journey.search_leads, account, limit=500)
    members = members.filter(pl.col("account_id") == account)
    st.header(t("journey.account_header", account=account, n=fmt_int(members.height)))
    widgets.leads_table(members, "journey.members", t("journey.members_caption"))
    handoff_at = None
else:
    card = calls.cached(journey.lead_card, lead)
    if card is None:
        st.error(t("journey.no_such_lead", lead=lead), icon=":material/person_off:")
        st.stop()
    sla = calls.cached(handoff.sla_leads, Filters()).filter(pl.col("lead_id") == lead)
    sla = sla.row(0, named=True) if sla.height else {}
    stages = events.filter(pl.col("kind") == "stage")
    now = stages["what"][-1] if stages.height else None
    handoff_at = card.get("handoff_at")
    owner = lookups.rep_label(card["owner_id"]) if card.get("owner_id") else "—"
    who = ", ".join(x for x in (card.get("lead_name"), card.get("company_name")) if x)  # after the id, as linked
    st.header(t("journey.lead_header", lead=f"{lead} · {who}" if who else lead, stage=stage_label(now) if now else "—",
                owner=owner))
    stuck = calls.cached(metrics.stalled, Filters()).filter(pl.col("lead_id") == lead)
    if stuck.height:
        r = stuck.row(0, named=True)
        st.warning(t("journey.stalled", stage=stage_label(r["stage"]), days=f"{r['days_in_stage']:.0f}",
                     threshold=f"{r['threshold_days']:.0f}"), icon=":material/hourglass_bottom:")

    lead_card.draw(card, sla, owner)
    if handoff_at is not None:
        lead_card.touches_before(events, handoff_at)

st.subheader(t("journey.timeline"))
if events.is_empty():
    widgets.info("journey.no_events")
else:
    widgets.chart(journey_views.journey_chart(events, handoff_at, get_store().default_as_of),
                  t("journey.timeline_caption_account" if account else "journey.timeline_caption"), key="journey.chart")
    shown = journey_views.journey_shown(events)
    widgets.pick(events, f"journey_{account or lead}", "journey.events", shown=shown,
                 labels={c: t(f"journey.col.{c}") for c in shown.columns})
