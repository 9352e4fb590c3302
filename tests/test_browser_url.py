"""A pasted link reopens exactly the view, in a real browser: on every page, set the page's own choices
with its widgets (by label), read the address bar, open that address in a fresh browser context (a new
session, as a colleague who got the link), and check every widget shows the same choice. A bad value
in the URL falls back to the default; a link to another page does not carry this page's choices.
"""
from __future__ import annotations

import time
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from analytics.core.config import load_config
from analytics.importers.load import import_folder
from tests.browser_support import EXCEPTION, IDLE, app_on_sample, running_app
from tests.conftest import rejecting_export

pytestmark = pytest.mark.browser

# page -> (url path, its choices: (kind, label, URL parameter)); each is set to an option that is not
# the default (kinds: select = selectbox, segment = segmented control, pills, number, slider)
CHOICES = {
    "funnel": ("funnel", [("select", "From stage", "from_stage"), ("select", "To stage", "to_stage"),
                          ("select", "Break down by", "by"), ("number", "Within (days)", "window"),
                          ("segment", "Count per", "grain")]),
    "weekly": ("weekly", [("select", "Week", "week")]),
    "monthly": ("monthly", [("segment", "Leads behind a month, for", "metric"), ("segment", "Reach", "stage")]),
    "content": ("content", [("segment", "Stage the lead was in", "stage")]),
    "quality": ("quality", [("select", "Break down by", "by")]),
    "sla": ("sla", [("segment", "By", "by"), ("segment", "Promise", "measure")]),
    "recycling": ("recycling", [("select", "Break down by", "by"), ("slider", "Try a threshold", "threshold")]),
    "velocity": ("velocity", [("pills", "Stages", "stages")]),
    "winloss": ("winloss", [("select", "Factor", "factor")]),
    "revenue": ("revenue", [("segment", "Basis", "basis"), ("select", "Credit to", "by"),
                            ("segment", "Markov order", "order"), ("segment", "Data-driven model", "dd"),
                            ("segment", "Buyer", "buyer"),
                            ("select", "Attribution model", "model"), ("select", "Sort by", "sort")]),
    "targets": ("targets", [("segment", "Metric", "metric"), ("select", "Month", "month")]),  # one team
    "data": ("data", [("select", "Table", "table")]),  # on an export with rejects (the sample has none)
    "strategy": ("strategy", [("select", "Period", "period"), ("segment", "Position measured", "relative")]),
}
ON_REJECTS = {"data"}


@pytest.fixture(scope="module")
def app_url(tmp_path_factory, chromium):
    with app_on_sample(tmp_path_factory, "url") as url:
        yield url


@pytest.fixture(scope="module")
def rejects_url(tmp_path_factory, chromium):
    """The app on the golden export with rows rejected in three tables (the Data page's table picker)."""
    db = tmp_path_factory.mktemp("browser_url_rejects") / "closed_loop.duckdb"
    import_folder(rejecting_export(tmp_path_factory.mktemp("rejecting_export")), db, load_config(),
                  say=lambda _message: None)
    with running_app(db, tmp_path_factory.mktemp("streamlit_url_rejects")) as url:
        yield url


def _settled(page) -> None:
    """The script has finished and nothing on the page is stale."""
    page.wait_for_selector(IDLE, timeout=60_000)
    page.wait_for_function("() => !document.querySelector('[data-stale=\"true\"]')", timeout=60_000)
    exceptions = page.locator(EXCEPTION)
    assert exceptions.count() == 0, exceptions.first.inner_text()


def _open(browser, url: str):
    context = browser.new_context(viewport={"width": 1440, "height": 1000})
    page = context.new_page()
    page.goto(url, wait_until="domcontentloaded")
    page.wait_for_selector('[data-testid="stSidebar"] [data-testid="stDateInput"]', timeout=60_000)
    _settled(page)
    return context, page


def _run_after(page, act, changed=None) -> None:
    """Do `act` (again if the widget did not take it: a dropdown closed under a slow page), wait until
    `changed()` holds, and for the rerun it starts to finish."""
    page.evaluate("""() => { window.__runs = 0; const app = document.querySelector('[data-testid="stApp"]');
        new MutationObserver(() => {
            if (app.getAttribute('data-test-script-state') === 'notRunning') window.__runs++;
        }).observe(app, {attributes: true, attributeFilter: ['data-test-script-state']}); }""")
    for attempt in range(3):
        act()
        if changed is None or _holds(page, changed):
            break
        assert attempt < 2, "the widget did not take the choice"
    # the rerun it starts: counted when the observer sees it end; a run too quick to be seen has ended too,
    # so past a while the page's own idle state (no running script, nothing stale) is what counts
    _holds(page, lambda: page.evaluate("() => window.__runs > 0"), seconds=30)
    _settled(page)


def _holds(page, condition, seconds: float = 20) -> bool:
    """Whether `condition()` comes true within `seconds` (checked on each animation frame's end)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        page.evaluate("() => new Promise(done => requestAnimationFrame(() => setTimeout(done, 50)))")
    return False


def _widget(page, kind: str, label: str):
    role = {"select": "combobox", "segment": "radiogroup", "number": "spinbutton"}.get(kind)
    if kind in ("pills", "slider"):
        test_id = "stSlider" if kind == "slider" else "stButtonGroup"
        return page.get_by_test_id(test_id).filter(has=page.get_by_text(label, exact=True)).first
    return page.get_by_role(role, name=label, exact=True).first


def _shown(page, kind: str, label: str) -> str:
    """What the widget shows as chosen."""
    widget = _widget(page, kind, label)
    widget.wait_for(timeout=30_000)
    if kind in ("select", "number"):
        return widget.input_value()
    if kind == "slider":
        return widget.get_by_test_id("stSliderThumbValue").inner_text()
    checked = widget.locator('[aria-checked="true"], [aria-pressed="true"], [aria-selected="true"]')
    return "|".join(sorted(checked.all_inner_texts()))


def _choose_other(page, kind: str, label: str) -> None:
    """Set the widget to an option that is not the one shown."""
    widget = _widget(page, kind, label)
    widget.scroll_into_view_if_needed()
    if kind == "select":
        before = widget.input_value()
        widget.click()
        options = page.get_by_role("option")
        options.first.wait_for(timeout=10_000)
        texts = options.all_inner_texts()
        other = next(i for i in [*range(1, len(texts)), 0] if texts[i].strip() != before)

        def pick() -> None:
            if not options.first.is_visible():
                widget.click()
            options.nth(other).click(timeout=10_000)

        _run_after(page, pick, lambda: widget.input_value() != before)
    elif kind == "number":
        _run_after(page, lambda: (widget.fill("21"), widget.press("Enter")), lambda: widget.input_value() == "21")
    elif kind == "slider":
        before = _shown(page, kind, label)
        _run_after(page, lambda: (widget.locator("input").focus(), page.keyboard.press("ArrowRight")),
                   lambda: _shown(page, kind, label) != before)
    else:  # a segmented control (one of) or pills (several): press the last one not chosen
        buttons = widget.locator("button")
        states = [buttons.nth(i).get_attribute("aria-checked") or buttons.nth(i).get_attribute("aria-pressed")
                  for i in range(buttons.count())]
        other = max(i for i, state in enumerate(states) if state != "true")
        _run_after(page, lambda: buttons.nth(other).click(),
                   lambda: "true" in (buttons.nth(other).get_attribute("aria-checked"),
                                      buttons.nth(other).get_attribute("aria-pressed")))


@pytest.mark.parametrize("name", list(CHOICES))
def test_a_pasted_link_reopens_the_pages_choices(browser, request, name):
    app_url = request.getfixturevalue("rejects_url" if name in ON_REJECTS else "app_url")
    path, choices = CHOICES[name]
    context, page = _open(browser, f"{app_url}/{path}")
    try:
        defaults = {label: _shown(page, kind, label) for kind, label, _ in choices}
        for kind, label, _ in choices:
            _choose_other(page, kind, label)
        chosen = {label: _shown(page, kind, label) for kind, label, _ in choices}
        link = page.url
    finally:
        context.close()
    params = parse_qs(urlsplit(link).query)
    for _kind, label, param in choices:
        assert param in params, f"{label}: ?{param}= missing from {link}"
    assert any(chosen[label] != defaults[label] for _, label, _ in choices), (defaults, chosen)

    context, page = _open(browser, link)  # a colleague opens the pasted link: a new session
    try:
        page.wait_for_selector(".js-plotly-plot .main-svg", timeout=60_000)
        reopened = {label: _shown(page, kind, label) for kind, label, _ in choices}
        assert reopened == chosen, link
        assert parse_qs(urlsplit(page.url).query) == params  # the address bar keeps the same view
    finally:
        context.close()


def test_journey_link_reopens_the_lead(browser, app_url):
    context, page = _open(browser, f"{app_url}/journey?lead=L00042")
    try:
        page.wait_for_selector(".js-plotly-plot .main-svg", timeout=60_000)
        assert parse_qs(urlsplit(page.url).query)["lead"] == ["L00042"]
        expect(page.get_by_text("L00042").first).to_be_attached(timeout=30_000)  # drawn after the run, not at once
    finally:
        context.close()


def test_bad_values_fall_back_to_the_defaults(browser, app_url):
    """Values that are not options (a stage that does not exist, a column name, a window out of
    range) are ignored: the page shows its defaults, no error, and the URL holds only good values."""
    context, page = _open(browser, f"{app_url}/funnel")
    try:
        defaults = {label: _shown(page, kind, label) for kind, label, _ in CHOICES["funnel"][1]}
    finally:
        context.close()
    bad = "from_stage=nope&to_stage=lead&by=lead_id%3B%20drop%20table%20leads&window=99999&grain=year"
    context, page = _open(browser, f"{app_url}/funnel?{bad}")
    try:
        page.wait_for_selector(".js-plotly-plot .main-svg", timeout=60_000)
        shown = {label: _shown(page, kind, label) for kind, label, _ in CHOICES["funnel"][1]}
        assert shown == defaults
        params = parse_qs(urlsplit(page.url).query)
        assert params["by"] == ["source"] and params["grain"] == ["week"] and params["window"] == ["0"]
    finally:
        context.close()


def test_another_page_does_not_take_this_pages_choices(browser, app_url):
    """Break the funnel down by something else, then go to Lead quality from the sidebar: its own
    breakdown stays at its default and the address bar carries only the shared filters."""
    context, page = _open(browser, f"{app_url}/quality")
    try:
        default = _shown(page, "select", "Break down by")
        _run_after(page, lambda: page.get_by_role("link", name="Funnel & conversion").click())
        page.get_by_role("combobox", name="From stage").wait_for(timeout=30_000)
        _choose_other(page, "select", "Break down by")
        assert "by" in parse_qs(urlsplit(page.url).query)
        _run_after(page, lambda: page.get_by_role("link", name="Lead quality").click())
        page.get_by_role("combobox", name="Break down by").wait_for(timeout=30_000)
        params = parse_qs(urlsplit(page.url).query)
        assert not {"from_stage", "to_stage", "window", "grain"} & set(params), page.url
        assert _shown(page, "select", "Break down by") == default
        assert "from" in params and "to" in params  # the shared filters come along
    finally:
        context.close()
