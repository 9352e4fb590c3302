"""The meeting workflow in a real browser (headless Chromium against `streamlit run app.py` on a
database imported from data/sample, with the meeting database in a temporary folder): pick a week,
freeze its figures, add an action item, reload and find both; open the leads behind a row and the
journey from there; a shared URL opens the same filters; ?lead= opens the journey; the Chinese UI
renders. Screenshots go to test-artifacts/. Skips without /usr/bin/chromium unless CI=true."""
from __future__ import annotations

import re

import pytest

from analytics.core.config import load_config
from analytics.engine.weekly import last_complete_week
from analytics.importers.load import import_folder
from analytics.store.db import open_store
from analytics.store.meetings import MeetingStore
from tests.browser_support import (
    ARTIFACTS,
    EXCEPTION,
    IDLE,
    running_app,
    sample_folder,
)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(tmp_path_factory, chromium):
    """(url, the last complete week of the data, the meeting database) of a running app on the sample."""
    folder = sample_folder()
    db = tmp_path_factory.mktemp("browser_review") / "closed_loop.duckdb"
    import_folder(folder, db, load_config(), say=lambda _message: None)
    store = open_store(db)
    latest = last_complete_week(store)
    store.close()
    meetings = tmp_path_factory.mktemp("meetings") / "meetings.duckdb"
    with running_app(db, tmp_path_factory.mktemp("streamlit_review"), CLOSED_LOOP_MEETINGS=str(meetings)) as url:
        yield url, latest, meetings


@pytest.fixture
def page(browser):
    page = browser.new_page(viewport={"width": 1440, "height": 1000})
    yield page
    page.close()


def _settle(page, timeout: int = 45_000) -> None:
    """Wait until the script has run (a click starts a run a moment later) and no exception shows."""
    page.wait_for_timeout(400)
    page.wait_for_selector(IDLE, timeout=timeout)
    page.wait_for_timeout(300)
    page.wait_for_selector(IDLE, timeout=timeout)
    errors = page.locator(EXCEPTION)
    assert errors.count() == 0, errors.first.inner_text()


def _open(page, url: str) -> None:
    page.goto(url, wait_until="domcontentloaded")
    page.wait_for_selector('[data-testid="stSidebar"] [data-testid="stDateInput"]', timeout=45_000)
    _settle(page)


def _shot(page, name: str) -> None:
    """A full-page screenshot: the main area scrolls inside the app, so grow the viewport to it."""
    height = page.evaluate("() => document.querySelector('[data-testid=stMain]').scrollHeight")
    page.set_viewport_size({"width": 1440, "height": min(max(height, 1000) + 40, 9000)})
    page.wait_for_timeout(800)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    page.set_viewport_size({"width": 1440, "height": 1000})


def _pick_option(page, label: str, option: str) -> None:
    box = page.locator('[data-testid="stSelectbox"]').filter(has_text=label).first
    box.click()
    page.get_by_role("option", name=re.compile(re.escape(option))).first.click()


def _pick_row(page, table, row: int = 0) -> None:
    """Tick a row of an st.dataframe (a canvas grid): click its row marker."""
    table.scroll_into_view_if_needed()
    box = table.bounding_box()
    page.mouse.click(box["x"] + 16, box["y"] + 35 * (row + 1) + 17)


def test_the_weekly_meeting_freezes_figures_and_keeps_action_items(page, server):
    url, latest, meetings = server
    week = latest.shift(-1)  # last meeting's week: not the default one
    _open(page, f"{url}/weekly")
    _pick_option(page, "Week", week.label)
    _settle(page)
    assert f"week={week.label}" in page.url
    page.get_by_text(f"Weekly review · {week.label}").wait_for()

    page.get_by_role("button", name="Freeze these figures").click()
    _settle(page)
    page.get_by_text("No figure has changed since it was frozen.").wait_for()

    form = page.locator('[data-testid="stForm"]')
    form.locator('[data-testid="stSelectbox"]').first.click()
    page.keyboard.type("Ada Lovelace")
    page.keyboard.press("Enter")
    form.get_by_label("What").fill("Call back the webinar leads breached on follow-up")
    form.get_by_label("Linked lead id (optional)").fill("L03626")
    form.get_by_role("button", name="Add").click()
    _settle(page)
    page.get_by_text("1 item(s)").wait_for()

    page.reload(wait_until="domcontentloaded")  # a new session: everything comes from the URL and the database
    page.wait_for_selector('[data-testid="stSidebar"] [data-testid="stDateInput"]', timeout=45_000)
    _settle(page)
    page.get_by_text(f"Weekly review · {week.label}").wait_for()
    assert page.get_by_text(re.compile(r"^Frozen .* on data version")).count() == 1
    _shot(page, "review_weekly")

    # the status is changed in the list (the editor's last column) and saved at once
    editor = page.locator('[data-testid="stDataFrame"]').last
    editor.scroll_into_view_if_needed()
    box = editor.bounding_box()
    page.mouse.dblclick(box["x"] + box["width"] - 30, box["y"] + 35 + 17)
    page.get_by_role("option", name="in progress").click()
    _settle(page)
    items = MeetingStore(meetings).actions()
    assert items.select("owner", "lead_id", "status").row(0) == ("Ada Lovelace", "L03626", "in progress")

    # next week's review lists the item as carried over
    _open(page, f"{url}/weekly?week={latest.label}")
    page.get_by_text("1 carried over from earlier weeks").wait_for()
    page.get_by_text(f"Last week ({week.label})").wait_for()


def test_the_leads_behind_a_row_lead_to_the_journey(page, server):
    url, latest, _meetings = server
    _open(page, f"{url}/weekly?week={latest.shift(-1).label}")
    moved = page.locator('[data-testid="stDataFrame"]').first
    _pick_row(page, moved, 1)  # the MQLs of the week
    _settle(page)
    page.get_by_text(re.compile("The leads behind")).wait_for()
    link = page.get_by_role("link", name=re.compile("Open the journey of"))
    if link.count() == 0:  # tick the first lead of the list to get the journey link
        _pick_row(page, page.locator('[data-testid="stDataFrame"]').nth(1), 0)
        _settle(page)
    link = page.get_by_role("link", name=re.compile("Open the journey of")).first
    lead = re.search(r"L\d+", link.inner_text()).group(0)
    link.click()
    _settle(page)
    page.wait_for_url(re.compile(rf"/journey\?.*lead={lead}"))
    page.get_by_role("heading", name=re.compile(rf"^{lead} ·")).wait_for()


def test_a_shared_url_opens_the_same_filters(page, server):
    url, _latest, _meetings = server
    _open(page, f"{url}/funnel?source=Webinar&region=EMEA&from=2026-09-01&to=2026-09-30")
    sidebar = page.locator('[data-testid="stSidebar"]')
    assert sidebar.locator('[data-testid="stMultiSelect"]').filter(has_text="Source").get_by_text("Webinar").count()
    assert sidebar.locator('[data-testid="stMultiSelect"]').filter(has_text="Region").get_by_text("EMEA").count()
    dates = [i.input_value() for i in sidebar.locator('[data-testid="stDateInput"] input[type="date"]').all()]
    assert dates == ["2026-09-01", "2026-09-30"], dates
    assert "source=Webinar" in page.url and "from=2026-09-01" in page.url
    _shot(page, "review_shared_link")


def test_the_journey_opens_from_the_url(page, server):
    url, _latest, _meetings = server
    _open(page, f"{url}/journey?lead=L03626")
    page.get_by_role("heading", name=re.compile(r"^L03626 ·")).wait_for()
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=30_000)
    _shot(page, "review_journey")


@pytest.mark.parametrize("name", ["monthly", "content"])
def test_the_monthly_and_content_pages_draw(page, server, name):
    url, _latest, _meetings = server
    _open(page, f"{url}/{name}")
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=30_000)
    _shot(page, f"review_{name}")


def test_the_chinese_ui_renders(page, server):
    url, latest, _meetings = server
    _open(page, f"{url}/weekly?lang=zh&week={latest.label}")
    page.get_by_text(f"每周复盘 · {latest.label}").wait_for()
    page.get_by_role("button", name="冻结这些数字").wait_for()
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=30_000)
    assert "lang=zh" in page.url
    _shot(page, "review_weekly_zh")
    _open(page, f"{url}/monthly?lang=zh")
    page.get_by_text("月度改进复盘").wait_for()
    _shot(page, "review_monthly_zh")
