"""The one rule on characters a text field may hold."""

import pytest

from kinomost.core.errors import InvalidInput
from kinomost.core.text import check_clean, first_control_character


@pytest.mark.parametrize("char", ["\x00", "\x01", "\x08", "\x0b", "\x0c", "\x1b", "\x7f", "\x85", "\x9f"])
def test_control_characters_are_refused_naming_field_and_character(char):
    with pytest.raises(InvalidInput) as refused:
        check_clean(f"Сталинград{char}", field="title")
    assert f"U+{ord(char):04X}" in refused.value.message
    assert refused.value.details == [{"field": "title", "problem": "control_character", "character": f"U+{ord(char):04X}"}]


@pytest.mark.parametrize("text", ["Сталинград", "斯大林格勒", "line one\nline two\r\n\tindented", "", "café — 1942"])
def test_ordinary_text_passes_unchanged(text):
    assert first_control_character(text) is None
    assert check_clean(text, field="title") == text
