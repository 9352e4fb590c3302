"""Optional login: with an [auth] section in .streamlit/secrets.toml only signed-in users (st.login,
OIDC) see the dashboard; an [access] section may limit them to e-mail domains or addresses."""
from __future__ import annotations

import streamlit as st

from analytics.i18n.messages import t


def _secrets_section(name: str) -> dict:
    try:
        return dict(st.secrets.get(name) or {})
    except Exception:  # noqa: BLE001 - no secrets.toml at all: the app runs open, as on a laptop
        return {}


def require_login() -> None:
    """Stop the run unless the user may see the dashboard. Without [auth] the app runs open."""
    if not _secrets_section("auth"):
        return
    user = st.user
    if not user.get("is_logged_in"):
        st.title(t("app.title"))
        st.info(t("auth.please_log_in"), icon=":material/lock:")
        st.button(t("auth.log_in"), on_click=st.login, type="primary", key="auth.log_in")
        st.stop()
    access = _secrets_section("access")
    email = str(user.get("email") or "").lower()
    domains = {d.lower().lstrip("@") for d in access.get("allowed_domains", [])}
    emails = {e.lower() for e in access.get("allowed_emails", [])}
    if (domains or emails) and email not in emails and email.rpartition("@")[2] not in domains:
        st.error(t("auth.not_allowed", email=email or "?"), icon=":material/block:")
        st.button(t("auth.log_out"), on_click=st.logout, key="auth.denied_log_out")
        st.stop()
    with st.sidebar:
        st.caption(t("auth.signed_in", name=user.get("name") or email))
        st.button(t("auth.log_out"), on_click=st.logout, key="auth.log_out", icon=":material/logout:")
