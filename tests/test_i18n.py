"""The message table's layout: one file per language and product area (analytics/i18n/<language>/<area>.py),
the same areas in every language, each area holding the same keys as its English file."""
from __future__ import annotations

import pytest

from analytics.i18n import en, zh
from analytics.i18n.messages import LANGUAGES, MESSAGES


def _area(module) -> str:
    return module.__name__.rsplit(".", 1)[1]


def test_every_language_has_the_english_areas():
    assert [_area(m) for m in zh.AREAS] == [_area(m) for m in en.AREAS]
    assert sorted(MESSAGES) == sorted(LANGUAGES)


@pytest.mark.parametrize("area", [_area(m) for m in en.AREAS])
def test_an_area_holds_the_same_keys_in_every_language(area):
    english = next(m for m in en.AREAS if _area(m) == area).TEXT
    chinese = next(m for m in zh.AREAS if _area(m) == area).TEXT
    assert sorted(chinese) == sorted(english)


def test_the_table_is_every_area_merged():
    assert len(MESSAGES["en"]) == sum(len(m.TEXT) for m in en.AREAS)
    assert len(MESSAGES["zh"]) == sum(len(m.TEXT) for m in zh.AREAS)
