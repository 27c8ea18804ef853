"""The media taxonomy used in contracts (after TRADE.md §5 and the IFTA schedule): a tree whose
leaves are what the rights ledger stores. A right on a parent covers all its children."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kinomost.core.errors import InvalidInput

TREE: dict[str, dict[str, object]] = {
    "theatrical": {"theatrical_exhibition": _("Theatrical"), "non_theatrical": _("Non-theatrical"), "public_video": _("Public video")},
    "ancillary": {"airline": _("Airline"), "ship": _("Ship"), "hotel": _("Hotel"), "train": _("Train")},
    "home_video": {"rental": _("Video rental"), "sell_through": _("Video sell-through")},
    "tv": {
        "free_tv": _("Free TV"),
        "basic_cable": _("Basic cable"),
        "pay_tv": _("Pay TV"),
        "ppv": _("Pay-per-view"),
        "nvod": _("Near video on demand"),
        "catch_up": _("Catch-up TV"),
    },
    "vod": {
        "tvod": _("TVOD (rental)"),
        "pvod": _("Premium VOD"),
        "est": _("EST (download to own)"),
        "poest": _("Pre-order EST"),
        "svod": _("SVOD (subscription)"),
        "avod": _("AVOD (advertising)"),
        "fvod": _("FVOD (free)"),
    },
    "derivative": {"remake": _("Remake"), "format": _("Format"), "merchandising": _("Merchandising"), "clips": _("Clips")},
}
GROUP_NAMES = {
    "all": _("All media"),
    "theatrical": _("Theatrical"),
    "ancillary": _("Ancillary"),
    "home_video": _("Home video"),
    "tv": _("Television"),
    "vod": _("Video on demand"),
    "derivative": _("Derivative rights"),
}
LEAVES: dict[str, object] = {leaf: name for group in TREE.values() for leaf, name in group.items()}
PARENT: dict[str, str] = {leaf: group for group, leaves in TREE.items() for leaf in leaves}


def expand(codes: list[str] | str) -> list[str]:
    """Media codes (leaves or groups, or "all") → the sorted leaves they cover; unknown codes refused."""
    if isinstance(codes, str):
        codes = [c for c in codes.replace(",", ";").split(";")]
    out: set[str] = set()
    for raw in codes:
        code = raw.strip().lower()
        if not code:
            continue
        if code == "all":
            out |= set(LEAVES)
        elif code in TREE:
            out |= set(TREE[code])
        elif code in LEAVES:
            out.add(code)
        else:
            raise InvalidInput(f"unknown media '{raw}'; use a group ({', '.join(TREE)}) or a leaf ({', '.join(LEAVES)})")
    return sorted(out)


def name(code: str) -> str:
    return str(LEAVES.get(code) or GROUP_NAMES.get(code) or code)


def names_text(codes) -> str:
    """Media codes in the reader's words: `theatrical,tv,vod` → «Кинопрокат, Телевидение, Видео по
    запросу» (unknown codes as they are)."""
    if isinstance(codes, str):
        codes = codes.replace(";", ",").split(",")
    return ", ".join(name(c.strip()) for c in codes or [] if c and c.strip())
