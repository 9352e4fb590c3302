"""The meeting workflow in a real browser (headless Chromium against `streamlit run app.py` on a
database imported from data/sample, with the meeting database in a temporary folder): pick a week,
freeze its figures, add an action item, reload and find both; open the leads behind a row and the
journey from there; a shared URL opens the same filters; ?lead= opens the journey; the Chinese UI
renders. Screenshots go to test-artifacts/. Skips without /usr/bin/chromium unless CI=true.

Widgets are found by label, role and test id, and every step waits for what it changes (a text, the
URL, the end of the run it started): no pixel positions, no fixed sleeps."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from analytics.core.config import load_config
from analytics.engine.weekly import last_complete_week
from analytics.importers.load import import_folder
from analytics.store.db import open_store
from analytics.store.meetings import MeetingStore
from tests.browser_support import (
    full_page_screenshot,
    grid_cell,
    open_page,
    pick_row,
    running_app,
    sample_folder,
    select_cell,
    settled,
)

pytestmark = pytest.mark.browser
CHART = ".js-plotly-plot .main-svg"
TITLES = {"monthly": "Monthly improvement review", "content": "Content that moves deals"}


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


def _pick_option(page, label: str, option: str) -> None:
    page.get_by_role("combobox", name=label).click()
    _choose(page.get_by_role("option", name=re.compile(re.escape(option))).first)


def _count_runs(page) -> None:
    """From now on count the script runs that finish (window.runs), however short they are."""
    page.evaluate("""() => { window.runs = 0; const app = document.querySelector('[data-testid=stApp]');
        new MutationObserver(() => { if (app.dataset.testScriptState === 'notRunning') window.runs += 1; })
            .observe(app, {attributes: true, attributeFilter: ['data-test-script-state']}); }""")


def _choose(option) -> None:
    """Click an option of a dropdown until the dropdown closes: on a busy machine a click that lands
    while the freshly opened menu is still settling is lost (seen in CI: the grid's menu stayed open)."""
    for _attempt in range(3):
        option.click()
        try:
            expect(option).to_be_hidden(timeout=5_000)
            return
        except AssertionError:
            continue
    expect(option).to_be_hidden()


def test_the_weekly_meeting_freezes_figures_and_keeps_action_items(page, server):
    url, latest, meetings = server
    week = latest.shift(-1)  # last meeting's week: not the default one
    open_page(page, f"{url}/weekly", re.compile(r"^Weekly review · "))
    _pick_option(page, "Week", week.label)
    page.wait_for_url(re.compile(rf"week={week.label}"))
    expect(page.get_by_role("heading", name=f"Weekly review · {week.label}")).to_be_visible()
    settled(page)

    page.get_by_role("button", name="Freeze these figures").click()
    expect(page.get_by_text("No figure has changed since it was frozen.")).to_be_visible()
    settled(page)

    form = page.get_by_test_id("stForm")
    form.get_by_role("combobox", name="Who").click()
    page.keyboard.type("Ada Lovelace")
    page.keyboard.press("Enter")
    form.get_by_label("What").fill("Call back the webinar leads breached on follow-up")
    form.get_by_label("Linked lead id (optional)").fill("L03626")
    form.get_by_role("button", name="Add").click()
    expect(page.get_by_text("1 item(s)")).to_be_visible()
    settled(page)

    page.reload(wait_until="domcontentloaded")  # a new session: everything comes from the URL and the database
    expect(page.get_by_role("heading", name=f"Weekly review · {week.label}")).to_be_visible(timeout=45_000)
    expect(page.get_by_text("1 item(s)")).to_be_visible(timeout=45_000)
    settled(page)
    expect(page.get_by_text(re.compile(r"^Frozen .* on data version"))).to_have_count(1)
    full_page_screenshot(page, "review_weekly")

    # the status is changed in the list (the editor's one editable column) and saved at once
    editor = page.get_by_test_id("stDataFrame").last
    select_cell(editor, grid_cell(editor, 0, editable=True))
    page.keyboard.press("Enter")  # opens the cell's editor, as a double click does
    _count_runs(page)
    _choose(page.get_by_role("option", name="in progress"))
    page.wait_for_function("() => window.runs > 0", timeout=45_000)  # the run that saved it has finished
    settled(page)
    items = MeetingStore(meetings).actions()
    assert items.select("owner", "lead_id", "status").row(0) == ("Ada Lovelace", "L03626", "in progress")

    # next week's review lists the item as carried over
    open_page(page, f"{url}/weekly?week={latest.label}", f"Weekly review · {latest.label}")
    expect(page.get_by_text("1 carried over from earlier weeks")).to_be_visible()
    expect(page.get_by_text(f"Last week ({week.label})")).to_be_visible()


def test_the_leads_behind_a_row_lead_to_the_journey(page, server):
    url, latest, _meetings = server
    open_page(page, f"{url}/weekly?week={latest.shift(-1).label}", f"Weekly review · {latest.shift(-1).label}")
    moved = page.get_by_test_id("stDataFrame").first
    pick_row(page, moved, 1)  # the MQLs of the week
    expect(page.get_by_text(re.compile("The leads behind"))).to_be_visible(timeout=45_000)
    settled(page)
    link = page.get_by_role("link", name=re.compile("Open the journey of"))
    if link.count() == 0:  # tick the first lead of the list to get the journey link
        pick_row(page, page.get_by_test_id("stDataFrame").nth(1), 0)
        expect(link.first).to_be_visible(timeout=45_000)
        settled(page)
    link = link.first
    lead = re.search(r"L\d+", link.inner_text()).group(0)
    link.click()
    page.wait_for_url(re.compile(rf"/journey\?.*lead={lead}"))
    expect(page.get_by_role("heading", name=re.compile(rf"^{lead} ·"))).to_be_visible(timeout=45_000)
    settled(page)


def test_a_shared_url_opens_the_same_filters(page, server):
    url, _latest, _meetings = server
    open_page(page, f"{url}/funnel?source=Webinar&region=EMEA&from=2026-09-01&to=2026-09-30", "Funnel & conversion")
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar.get_by_test_id("stMultiSelect").filter(has_text="Source").get_by_text("Webinar")).to_be_visible()
    expect(sidebar.get_by_test_id("stMultiSelect").filter(has_text="Region").get_by_text("EMEA")).to_be_visible()
    dates = sidebar.get_by_test_id("stDateInput").locator('input[type="date"]')
    expect(dates.first).to_have_value("2026-09-01")
    expect(dates.last).to_have_value("2026-09-30")
    assert [d.input_value() for d in dates.all()] == ["2026-09-01", "2026-09-30"]
    assert "source=Webinar" in page.url and "from=2026-09-01" in page.url
    full_page_screenshot(page, "review_shared_link")


def test_the_journey_opens_from_the_url(page, server):
    url, _latest, _meetings = server
    open_page(page, f"{url}/journey?lead=L03626", re.compile(r"^L03626 ·"))
    page.wait_for_selector(CHART, timeout=30_000)
    full_page_screenshot(page, "review_journey")


@pytest.mark.parametrize("name", ["monthly", "content"])
def test_the_monthly_and_content_pages_draw(page, server, name):
    url, _latest, _meetings = server
    open_page(page, f"{url}/{name}", TITLES[name])
    page.wait_for_selector(CHART, timeout=30_000)
    full_page_screenshot(page, f"review_{name}")


def test_the_chinese_ui_renders(page, server):
    url, latest, _meetings = server
    open_page(page, f"{url}/weekly?lang=zh&week={latest.label}", f"每周复盘 · {latest.label}")
    expect(page.get_by_role("button", name="冻结这些数字")).to_be_visible()
    page.wait_for_selector(CHART, timeout=30_000)
    assert "lang=zh" in page.url
    full_page_screenshot(page, "review_weekly_zh")
    open_page(page, f"{url}/monthly?lang=zh", "月度改进复盘")
    full_page_screenshot(page, "review_monthly_zh")
