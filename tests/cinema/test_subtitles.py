"""Subtitles handed in become WebVTT whose cue text shows what was written and nothing more."""

import re

import pytest

from kinomost.cinema.subtitles import to_webvtt
from kinomost.core.errors import InvalidInput


def _cues(vtt: str) -> list[tuple[str, str]]:
    """(timing, text) of each cue, read the way the WebVTT parser reads: a block is a cue when a
    line of it holds '-->', and its text is the lines after that timing line."""
    found = []
    for block in vtt.split("\n\n")[1:]:
        lines = [line for line in block.split("\n") if line]
        timing = next(i for i, line in enumerate(lines) if "-->" in line)
        assert all("-->" not in line for line in lines[timing + 1 :]), block
        found.append((lines[timing], "\n".join(lines[timing + 1 :])))
    return found


def test_srt_text_cannot_start_a_cue_or_a_tag(tmp_path):
    srt = tmp_path / "film.srt"
    srt.write_text(
        "1\n00:00:01,000 --> 00:00:03,000\nOn the map: Moscow --> Beijing\n00:00:09,000 --> 00:00:10,000 fake\n\n"
        "2\n00:00:04,000 --> 00:00:06,000\nTom & Jerry <3 <script>alert(1)</script>\n<i>Кино</i> a < b > c\n",
        encoding="utf-8",
    )
    cues = _cues(to_webvtt(srt))
    assert cues == [
        ("00:01.000 --> 00:03.000", "On the map: Moscow --&gt; Beijing\n00:00:09,000 --&gt; 00:00:10,000 fake"),
        ("00:04.000 --> 00:06.000", "Tom &amp; Jerry &lt;3 &lt;script&gt;alert(1)&lt;/script&gt;\n<i>Кино</i> a &lt; b &gt; c"),
    ]


def test_webvtt_input_is_read_as_its_parser_reads_it_and_written_escaped(tmp_path):
    vtt = tmp_path / "film.vtt"
    vtt.write_text(
        "WEBVTT\n\nintro\n00:01.000 --> 00:02.000 line:90%\nR&amp;D <b>bold</b> <c.yellow>colour</c>\n"
        "00:05.000 --> 00:06.000\nnot text of the first cue\n\n01:00:00.000 --> 01:00:01.500\nlate & fine\n",
        encoding="utf-8",
    )
    assert _cues(to_webvtt(vtt)) == [
        ("00:01.000 --> 00:02.000", "R&amp;D <b>bold</b> colour"),
        ("01:00:00.000 --> 01:00:01.500", "late &amp; fine"),
    ]


def test_ass_dialogue_with_commas_styles_and_line_breaks(tmp_path):
    ass = tmp_path / "film.ass"
    ass.write_text(
        "[Script Info]\nTitle: x\n\n[V4+ Styles]\nFormat: Name, Fontname\nStyle: Default,Arial\n\n[Events]\n"
        "Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text\n"
        "Dialogue: 0,0:00:02.50,0:00:04.00,Default,,0,0,0,,{\\i1}你好{\\i0}, 世界\\N<second> & line\n"
        "Dialogue: 0,0:00:00.00,0:00:01.00,Default,,0,0,0,,{\\pos(10,10)}first\n",
        encoding="utf-8",
    )
    assert _cues(to_webvtt(ass)) == [
        ("00:00.000 --> 00:01.000", "first"),
        ("00:02.500 --> 00:04.000", "<i>你好</i>, 世界\n&lt;second&gt; &amp; line"),
    ]


def test_legacy_encodings_are_decoded(tmp_path):
    srt = tmp_path / "film.srt"
    srt.write_bytes("1\n00:00:01,000 --> 00:00:02,000\nПривет, мир — это кино о войне\n".encode("cp1251"))
    assert "Привет, мир — это кино о войне" in to_webvtt(srt)


@pytest.mark.parametrize(
    "content, reason",
    [
        (b"\x00\x00\x00\x18ftypmp42" + bytes(200), "not text"),
        ("1\n00:00:01,000 --> 00:00:02,000\nhello\x07\n".encode(), "control character U+0007"),
        (b"just some notes\n", "is not a subtitle file"),
        (b"WEBVTT\n\nno cues here\n", "contains no subtitles"),
    ],
)
def test_what_is_not_subtitles_is_refused_with_a_reason(tmp_path, content, reason):
    path = tmp_path / "film.srt"
    path.write_bytes(content)
    with pytest.raises(InvalidInput) as refused:
        to_webvtt(path)
    assert reason in refused.value.message
    assert re.search(r"film\.srt", refused.value.message)
