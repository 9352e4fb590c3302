"""Lead journey: one lead's (or one account's) story in time order — stage entries, marketing touches
and the content behind them, score changes, sales activities, feedback and opportunities — with the
facts sales wants at hand-off. The lead or account lives in the URL (?lead=L00042, ?account=A01239)."""
import polars as pl
import streamlit as st

from analytics.core.filters import Filters
from analytics.engine import handoff, journey, metrics
from analytics.i18n.messages import column_label, fmt_datetime, fmt_int, stage_label, t
from analytics.ui import calls, lookups, state, url, widgets
from analytics.ui.store import get_store
from analytics.views import charts_review as cr

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
    st.header(t("journey.lead_header", lead=lead, stage=stage_label(now) if now else "—", owner=owner))
    stuck = calls.cached(metrics.stalled, Filters()).filter(pl.col("lead_id") == lead)
    if stuck.height:
        r = stuck.row(0, named=True)
        st.warning(t("journey.stalled", stage=stage_label(r["stage"]), days=f"{r['days_in_stage']:.0f}",
                     threshold=f"{r['threshold_days']:.0f}"), icon=":material/hourglass_bottom:")

    def fact(label: str, value) -> str:
        if value is None or value == "":
            value = "—"
        elif hasattr(value, "strftime"):
            value = fmt_datetime(value)
        elif isinstance(value, float):
            value = f"{value:,.1f}".removesuffix(".0")
        return f"**{label}**  \n{value}"

    who, marketing, handoff = st.columns(3, border=True)
    with who:
        st.markdown(f"#### {t('journey.card.who')}")
        for name in ("account_id", "industry", "company_size", "region", "country", "job_level"):
            if name in card:
                st.markdown(fact(column_label(name), card.get(name)))
    with marketing:
        st.markdown(f"#### {t('journey.card.marketing')}")
        for label, value in ((column_label("source"), card.get("source")),
                             (column_label("campaign_id"), card.get("campaign_id")),
                             (t("journey.card.created"), card.get("created_at")),
                             (t("journey.card.score"), card.get("score")),
                             (t("journey.card.handoff_score"), card.get("handoff_score")),
                             (t("journey.card.score_band"), card.get("score_band"))):
            st.markdown(fact(label, value))
    with handoff:
        st.markdown(f"#### {t('journey.card.handoff')}")
        decision = (t("journey.card.accepted", at=fmt_datetime(card["accepted_at"])) if card.get("accepted_at")
                    else t("journey.card.rejected", at=fmt_datetime(card["rejected_at"]),
                           reason=card.get("rejection_reason") or "—") if card.get("rejected_at") else None)
        follow_up = sla.get("follow_up_status")
        sdr = lookups.rep_label(card["sdr_id"]) if card.get("sdr_id") else "—"
        for label, value in ((t("journey.card.handed_off"), handoff_at),
                             (t("journey.card.sdr_owner"), f"{sdr} → {owner}"),
                             (t("journey.card.follow_up"),
                              t(f"weekly.followup.{follow_up}", hours=f"{sla.get('response_hours') or 0:,.1f}")
                              if follow_up else None),
                             (t("journey.card.decision"), decision),
                             (t("journey.card.qualified"), card.get("qualified_at")),
                             (t("journey.card.rating"), None if card.get("avg_rating") is None else
                              t("journey.card.rating_value", rating=f"{card['avg_rating']:.1f}",
                                n=fmt_int(card.get("ratings"))))):
            st.markdown(fact(label, value))

    if handoff_at is not None:
        before = events.filter((pl.col("kind") == "touch") & (pl.col("event_at") <= handoff_at))
        st.subheader(t("journey.before_handoff", n=fmt_int(before.height)))
        if before.is_empty():
            st.caption(t("journey.no_touches_before"))
        else:
            st.markdown("\n".join(f"- {at:%Y-%m-%d} · {what} · {detail or ''}"
                                  for at, what, detail in before.select("event_at", "what", "detail").iter_rows()))

st.subheader(t("journey.timeline"))
if events.is_empty():
    widgets.info("journey.no_events")
else:
    widgets.chart(cr.journey_chart(events, handoff_at, get_store().default_as_of),
                  t("journey.timeline_caption_account" if account else "journey.timeline_caption"), key="journey.chart")
    shown = cr.journey_shown(events)
    widgets.pick(events, f"journey_{account or lead}", "journey.events", shown=shown,
                 labels={c: t(f"journey.col.{c}") for c in shown.columns})
