"""Encoding detection on the files people really send: Russian-only, Chinese-only and mixed."""

import pytest

from kinomost.catalog.io.reading import read_csv


def decode(data: bytes, encoding: str | None = None) -> str:
    """The file as the reader understood it, written back as CSV text."""
    header, rows = read_csv(data, encoding)
    lines = [",".join(header)] + [",".join(cells.values()) for _, cells in rows]
    return "\n".join(lines) + "\n"


RUSSIAN = "ref,kind,title:ru\nA,feature,Брат\nB,feature,Дура\nC,feature,СТАЛИНГРАД\nD,feature,Тихий Дон — «эпопея»\n"
CHINESE = "ref,kind,title:zh-Hans,title:zh-Hant\nA,feature,长江之歌,長江之歌\nB,feature,斯大林格勒,一条大河波浪宽。\n"
MIXED = "ref,kind,title:ru,title:zh-Hans\nA,feature,Брат,兄弟\nB,feature,Сталинград,斯大林格勒\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1251", "gb18030"])
def test_russian_only_files_are_read_right(encoding):
    # even-length Russian words in Windows-1251 also decode as GB18030; they must not be taken for Chinese
    assert decode(RUSSIAN.encode(encoding)) == RUSSIAN


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_chinese_only_files_are_read_right(encoding):
    assert decode(CHINESE.encode(encoding)) == CHINESE


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])
def test_mixed_russian_and_chinese_files_are_read_right(encoding):
    assert decode(MIXED.encode(encoding)) == MIXED


def test_pure_ascii_is_utf8():
    assert decode(b"ref,kind,title:en\nA,feature,Brother\n") == "ref,kind,title:en\nA,feature,Brother\n"


def test_a_named_encoding_wins():
    assert decode(RUSSIAN.encode("cp1251"), "cp1251") == RUSSIAN
