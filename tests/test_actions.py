"""The action-item rule as of a week (analytics.engine.actions), hand-computed: items raised in
2026-W45, W46 and W47 with due dates and the week each was closed in; which the meeting of each week
lists, which are open, carried over and overdue; the W45 pack does not list a later week's items."""
from datetime import date

import polars as pl
import pytest

from analytics.engine import actions
from analytics.engine.weekly import Week
from analytics.outputs import pack
from analytics.store.meetings import MeetingStore

W45, W46, W47 = Week.parse("2026-W45"), Week.parse("2026-W46"), Week.parse("2026-W47")  # Sundays 8, 15, 22 Nov

ITEMS = pl.DataFrame([
    # id, raised in, due, status today, closed in
    ("A", "2026-W45", date(2026, 11, 6), "done", "2026-W46"),
    ("B", "2026-W45", date(2026, 11, 20), "open", None),
    ("G", "2026-W45", date(2026, 11, 4), "done", None),  # closed, but in no known week: closed at every week
    ("C", "2026-W46", date(2026, 11, 13), "dropped", "2026-W46"),
    ("D", "2026-W46", date(2026, 11, 27), "in progress", None),
    ("E", "2026-W47", date(2026, 11, 20), "done", "2026-W47"),
    ("F", "2026-W47", None, "open", None),
], schema={"action_id": pl.String, "week": pl.String, "due_date": pl.Date, "status": pl.String,
           "closed_week": pl.String}, orient="row")


def _listed(week: Week) -> dict[str, tuple]:
    result = actions.as_of(ITEMS, week)
    return {r["action_id"]: (r["status_as_of"], r["is_open"], r["is_carried"], r["is_overdue"])
            for r in result.iter_rows(named=True)}


def test_as_of_w45_a_later_week_items_do_not_exist_yet():
    assert _listed(W45) == {
        "A": ("open", True, False, True),  # done in W46: still open at W45, and due on the 6th
        "B": ("open", True, False, False),
        "G": ("done", False, False, False),  # its own week lists it, closed
    }


def test_as_of_w46_open_items_of_earlier_weeks_are_carried_over():
    assert _listed(W46) == {
        "B": ("open", True, True, False),  # due the 20th, after Sunday the 15th
        "C": ("dropped", False, False, False),  # due before Sunday, but closed: not overdue
        "D": ("in progress", True, False, False),
    }  # A was done in W46, G long before: not carried


def test_as_of_w47_an_open_item_due_before_sunday_is_overdue():
    assert _listed(W47) == {
        "B": ("open", True, True, True),  # due the 20th, before Sunday the 22nd
        "D": ("in progress", True, True, False),
        "E": ("done", False, False, False),
        "F": ("open", True, False, False),  # no due date: never overdue
    }
    assert actions.counts(actions.as_of(ITEMS, W47)) == {"n": 4, "open": 3, "carried": 2, "overdue": 1}


def test_an_item_closed_in_an_unknown_week_is_closed_at_every_week():
    old_file = ITEMS.drop("closed_week")  # a side database from before closed_week was kept
    assert sorted(actions.as_of(old_file, W46)["action_id"]) == ["B", "C", "D"]
    assert sorted(actions.as_of(old_file, W45)["action_id"]) == ["A", "B", "G"]


def test_the_store_keeps_the_week_an_item_was_closed_in(tmp_path):
    meetings = MeetingStore(tmp_path / "meetings.duckdb")
    a = meetings.add_action("2026-W45", "Ana", "Call the stalled SQLs", date(2026, 11, 6))
    meetings.add_action("2026-W47", "Ben", "Fix the Paid Social targeting")
    meetings.set_status(a, "done", week="2026-W46")
    items = meetings.actions()
    assert items.filter(pl.col("action_id") == a)["closed_week"].to_list() == ["2026-W46"]
    assert actions.as_of(items, W45)["status_as_of"].to_list() == ["open"]
    assert actions.as_of(items, W46).is_empty()
    assert actions.still_open(items)["owner"].to_list() == ["Ben"]
    meetings.set_status(a, "open", week="2026-W47")  # reopened: no longer closed in any week
    assert meetings.actions().filter(pl.col("action_id") == a)["closed_week"].to_list() == [None]


@pytest.fixture
def meetings(tmp_path) -> MeetingStore:
    store = MeetingStore(tmp_path / "meetings.duckdb")
    a = store.add_action("2026-W45", "Ana", "Raised in W45, done in W46", date(2026, 11, 6))
    store.add_action("2026-W47", "Ben", "Raised in W47")
    store.set_status(a, "done", week="2026-W46")
    return store


def _pack_items(store, week, meetings):
    """The action-item table of the week's pack (the section titled as on the page)."""
    section, = [s for s in pack.weekly_sections(store, week, meetings=meetings) if s.title == pack.t("pack.actions")]
    return section.tables[0].frame


def test_the_w45_pack_lists_the_items_as_of_w45(golden_store, meetings):
    listed = _pack_items(golden_store, W45, meetings)
    assert listed.select("description", "status").rows() == [("Raised in W45, done in W46", "open")]
    w47 = _pack_items(golden_store, W47, meetings)
    assert w47["description"].to_list() == ["Raised in W47"]  # W45's item was closed in W46
