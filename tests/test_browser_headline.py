"""The weekly headline in a real browser (headless Chromium against `streamlit run app.py`): on a tiny
export whose last complete week (2026-W10) misses its MQL target — 2 MQLs against 7, though the noise
band calls every figure normal — the headline opens red with the off-target MQLs first, the MQL tile
says how far off target it is, and an item opens the leads behind it, and a lead its journey.
The same page in Chinese. Screenshots go to test-artifacts/. Skips without /usr/bin/chromium unless CI.

Widgets are found by label, role and test id; every step waits for what it changes."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from analytics.core.config import load_config
from analytics.importers.load import import_folder
from tests.browser_support import full_page_screenshot, open_page, pick_row, running_app, settled
from tests.conftest import write_export
from tests.test_attention import TABLES, write_config

pytestmark = pytest.mark.browser
HEADLINE = ".st-key-weekly-attention"


@pytest.fixture(scope="module")
def server(tmp_path_factory, chromium):
    folder = tmp_path_factory.mktemp("headline_export")
    export = write_export(folder / "export", TABLES)
    db = folder / "closed_loop.duckdb"
    import_folder(export, db, load_config(write_config(folder)), say=lambda _message: None)
    meetings = folder / "meetings.duckdb"
    with running_app(db, tmp_path_factory.mktemp("streamlit_headline"), CLOSED_LOOP_MEETINGS=str(meetings)) as url:
        yield url


def test_the_headline_turns_red_on_an_off_target_week(server, page):
    open_page(page, f"{server}/weekly", "Weekly review · 2026-W10")  # the last complete week by default
    headline = page.locator(HEADLINE)
    expect(headline.get_by_test_id("stAlertContentError")).to_contain_text("This week needs attention: 2 red")
    items = headline.locator("ol > li")
    expect(items).to_have_count(4)
    expect(items.nth(0)).to_contain_text("Off target")
    expect(items.nth(0)).to_contain_text("MQLs 2: only 29% of the week's target (7.0)")
    expect(items.nth(1)).to_contain_text("Owners: Ana Costa 1, Ben Okafor 1")
    expect(headline.get_by_test_id("stAlertContentSuccess")).to_have_count(0)  # nothing green about this week
    tile = page.get_by_test_id("stMetric").filter(has_text="MQLs")
    expect(tile.get_by_test_id("stMetricDelta")).to_have_text(re.compile("29% of target"))

    # the leads behind the first item (its pill: "1 · MQLs")
    headline.get_by_test_id("stButtonGroup").locator("button").filter(has_text="1 · MQLs").click()
    expect(page.get_by_text("The leads behind MQLs in 2026-W10")).to_be_visible(timeout=30_000)
    settled(page)
    leads = headline.get_by_test_id("stDataFrame")
    expect(leads).to_have_count(1)
    full_page_screenshot(page, "headline_weekly_en")
    pick_row(page, leads, 0)  # a lead of the list: its journey, here
    link = page.get_by_role("link", name=re.compile("Open the journey of"))
    expect(link).to_be_visible(timeout=45_000)
    lead = re.search(r"L\d+", link.inner_text()).group(0)
    assert lead in ("L1", "L2")  # the week's two MQLs
    link.click()
    page.wait_for_url(re.compile(rf"/journey\?.*lead={lead}"))
    settled(page)


def test_the_headline_in_chinese(server, page):
    open_page(page, f"{server}/weekly?lang=zh", "每周复盘 · 2026-W10")
    headline = page.locator(HEADLINE)
    expect(headline.get_by_test_id("stAlertContentError")).to_contain_text("本周需要关注")
    expect(headline.locator("ol > li").nth(0)).to_contain_text("未达目标")
    full_page_screenshot(page, "headline_weekly_zh")


def test_a_pasted_link_reopens_the_picked_headline_item(server, page):
    """?item=1 is the headline pick: the pasted link opens the leads behind item 1 at once."""
    open_page(page, f"{server}/weekly?week=2026-W10&item=1", "Weekly review · 2026-W10")
    expect(page.get_by_text("The leads behind MQLs in 2026-W10")).to_be_visible(timeout=30_000)


def test_the_monthly_review_opens_with_the_month_off_pace(server, page):
    """March: 9.375 of 31 days gone at the as-of, 9.375 leads and MQLs due; 2 MQLs (21% of pace, red)
    and 7 leads (75%, amber). A picked target opens its leads; the pick is in the URL."""
    open_page(page, f"{server}/monthly", "Monthly improvement review")
    headline = page.locator(".st-key-monthly-attention")
    alert = headline.get_by_test_id("stAlertContentError")
    expect(alert).to_contain_text("Mar 2026 needs attention: 1 red and 1 amber")
    items = headline.locator("ol > li")
    expect(items).to_have_count(2)
    expect(items.nth(0)).to_contain_text("MQLs 2 with 30% of Mar 2026 gone: only 21% of the pace")
    expect(items.nth(1)).to_contain_text("New leads 7")
    headline.get_by_test_id("stButtonGroup").locator("button").filter(has_text="1 · MQLs").click()
    expect(headline.get_by_test_id("stDataFrame")).to_have_count(1, timeout=30_000)
    settled(page)
    assert "item=1" in page.url
    full_page_screenshot(page, "headline_monthly_en")
    open_page(page, f"{server}/monthly?lang=zh&item=2", "月度改进复盘")
    expect(page.locator(".st-key-monthly-attention").get_by_test_id("stDataFrame")).to_have_count(1, timeout=30_000)
    full_page_screenshot(page, "headline_monthly_zh")
