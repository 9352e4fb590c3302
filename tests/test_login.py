"""Optional login (issue 8): open without [auth] in secrets; with it, only signed-in users, and an
allow-list of domains or addresses when [access] sets one."""
from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT

AUTH = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32,
        "client_id": "id", "client_secret": "secret",
        "server_metadata_url": "https://idp.example/.well-known/openid-configuration"}


def app(golden_db, monkeypatch, secrets=None, user=None) -> AppTest:
    monkeypatch.setenv("CLOSED_LOOP_DB", str(golden_db))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for key, value in (secrets or {}).items():
        at.secrets[key] = value
    if user is not None:
        at.user = user
    return at.run()


def test_open_without_auth(golden_db, monkeypatch):
    at = app(golden_db, monkeypatch)
    assert not at.exception
    assert not [b for b in at.button if b.key == "auth.log_in"]


def test_sign_in_required_with_auth(golden_db, monkeypatch):
    at = app(golden_db, monkeypatch, {"auth": AUTH}, {"is_logged_in": False})
    assert not at.exception
    assert [b for b in at.button if b.key == "auth.log_in"]
    assert not at.metric  # nothing of the data is shown


def test_signed_in_user_sees_the_dashboard_and_their_name(golden_db, monkeypatch):
    at = app(golden_db, monkeypatch, {"auth": AUTH}, {"is_logged_in": True, "name": "Ana Costa",
                                                     "email": "ana@example.com"})
    assert not at.exception
    assert any("Ana Costa" in c.value for c in at.sidebar.caption)
    assert at.metric


def test_allow_list_of_domains(golden_db, monkeypatch):
    secrets = {"auth": AUTH, "access": {"allowed_domains": ["example.com"]}}
    outsider = app(golden_db, monkeypatch, secrets, {"is_logged_in": True, "name": "Eve", "email": "eve@evil.test"})
    assert outsider.error and "eve@evil.test" in outsider.error[0].value
    assert not outsider.metric
    insider = app(golden_db, monkeypatch, secrets, {"is_logged_in": True, "name": "Ana", "email": "ana@Example.com"})
    assert not insider.error and insider.metric
