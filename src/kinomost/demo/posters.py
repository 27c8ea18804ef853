"""Simple SVG posters for the demo: the title in its own script on colours derived from the ref.

SVG is text, so posters need no image library and no network; the hash of the ref picks the
colours, so the same work always gets the same poster.
"""

import hashlib
from xml.sax.saxutils import escape


def poster_svg(title: str, subtitle: str, ref: str) -> bytes:
    """A 300×450 poster: gradient and a disc coloured from the ref, the title wrapped, the subtitle below."""
    digest = hashlib.sha1(ref.encode()).digest()
    hue = digest[0] * 360 // 256
    lines = _wrap(title, 9 if any("\u4e00" <= ch <= "\u9fff" for ch in title) else 16)
    text = "".join(
        f'<text x="150" y="{190 + i * 46}" font-size="38" text-anchor="middle" fill="#fff" font-weight="700">{escape(line)}</text>'
        for i, line in enumerate(lines[:4])
    )
    svg = f"""<svg xmlns="http://www.w3.org/2000/svg" width="300" height="450" viewBox="0 0 300 450">
<defs><linearGradient id="g" x1="0" y1="0" x2="0" y2="1">
<stop offset="0" stop-color="hsl({hue},55%,35%)"/><stop offset="1" stop-color="hsl({(hue + 40) % 360},60%,12%)"/></linearGradient></defs>
<rect width="300" height="450" fill="url(#g)"/><circle cx="230" cy="90" r="{40 + digest[1] % 40}" fill="hsl({(hue + 180) % 360},70%,70%)" opacity=".35"/>
{text}<text x="150" y="420" font-size="16" text-anchor="middle" fill="#ddd">{escape(subtitle)}</text></svg>"""
    return svg.encode()


def _wrap(title: str, width: int) -> list[str]:
    """Han titles have no spaces: cut by characters; others wrap at words."""
    if " " not in title:
        return [title[i : i + width] for i in range(0, len(title), width)] or [title]
    lines, line = [], ""
    for word in title.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return lines + [line]
