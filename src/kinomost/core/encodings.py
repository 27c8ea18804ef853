"""Which encoding are these bytes in — the one owner of text-encoding detection.

Two shapes of the question, each with the approach that fits it:

- a catalogue CSV (`catalog.io.reading`) is read in streaming passes, row by row, and is
  UTF-8, Windows-1251 or GB18030 in practice: the rows that are not UTF-8 are scored with
  `cyrillic_counts` / `hanzi_counts` and `legacy_encoding` picks one; `plausible` tells a row that
  is UTF-8 by chance from one that is really UTF-8. Tuned on Russian and Chinese files, where a
  general detector confuses the two (each decodes the other's bytes without error).
- a small text file read whole (a subtitle, `decode_text`): BOM, strict UTF-8, then
  charset_normalizer, since subtitles come in any legacy encoding (Latin-1 French as well).
"""

from __future__ import annotations


def _common_hanzi_or_symbol(ch: str) -> bool:
    """GB2312 level 1 Hanzi (0xB0–0xD7) or Cyrillic / CJK symbols (0xA1–0xA9) in GB18030."""
    encoded = ch.encode("gb18030")
    return len(encoded) == 2 and (0xB0 <= encoded[0] <= 0xD7 or 0xA1 <= encoded[0] <= 0xA9)


def hanzi_counts(text: str) -> tuple[int, int]:
    """(common Hanzi (GB2312 level 1), Cyrillic or CJK symbols; all non-ASCII characters) of `text`."""
    wide = good = 0
    for ch in text:
        if ord(ch) > 127:
            wide += 1
            good += _common_hanzi_or_symbol(ch)
    return good, wide


CP_PUNCTUATION = set("«»—–№…“”„‘’•")


def cyrillic_counts(text: str) -> tuple[int, int]:
    """(characters that look like Russian writing: letters in word case, usual punctuation; all
    non-ASCII characters) of `text`."""
    wide = good = 0
    previous = " "
    for ch in text:
        if ord(ch) > 127:
            wide += 1
            cyrillic = "\u0400" <= ch <= "\u04ff"
            camel = ch.isupper() and previous.islower()
            good += (cyrillic and not camel) or ch in CP_PUNCTUATION
        previous = ch
    return good, wide


def is_utf8(value: str) -> bool:
    """Is this cell (read byte for byte as Latin-1, as the CSV scan reads) UTF-8?"""
    try:
        value.encode("latin-1").decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def plausible(text: str) -> float:
    """Share of non-ASCII characters that are ordinary writing: Cyrillic in word case, common Hanzi
    and CJK punctuation, accented Latin letters, the usual typographic punctuation."""
    wide = good = 0
    previous = " "
    for ch in text:
        if ord(ch) > 127:
            wide += 1
            if "\u0400" <= ch <= "\u04ff":
                good += not (ch.isupper() and previous.islower())
            elif ch in CP_PUNCTUATION or ("\u00c0" <= ch <= "\u024f" and ch.isalpha()):
                good += 1
            else:
                good += _common_hanzi_or_symbol(ch)
        previous = ch
    return good / wide if wide else 0.0


def legacy_encoding(gb_score: float, cp_score: float) -> str:
    """GB18030 when its reading is mostly common Hanzi, Cyrillic or CJK punctuation and scores
    better than the Windows-1251 reading; Windows-1251 otherwise."""
    return "gb18030" if gb_score > max(cp_score, 0.5) else "cp1251"


def decode_text(data: bytes) -> str | None:
    """A small text file (a subtitle) decoded whole: a BOM says the encoding; strict UTF-8 next;
    otherwise charset_normalizer's best reading (any legacy encoding, Latin ones included, which the
    Russian/Chinese scores below cannot tell from Windows-1251). None: not text we can tell."""
    for bom, encoding in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    return str(best) if best is not None else None
