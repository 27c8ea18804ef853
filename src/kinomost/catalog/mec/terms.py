"""The MEC vocabulary shared by the writer and the reader, so the two always agree.

MEC version: mdmec 2.12 with md 2.12 (the version avails 2.7 imports); the reader accepts any
mdmec/md 2.x namespace, matching elements by local name.
"""

from __future__ import annotations

import re
from urllib.parse import quote, unquote

MDMEC_NS = "http://www.movielabs.com/schema/mdmec/v2.12"
MD_NS = "http://www.movielabs.com/schema/md/v2.12/md"
MDMEC_NAMESPACE = re.compile(r"^http://www\.movielabs\.com/schema/mdmec/v2\.\d+(?:\.\d+)*$")

#: our kind → (WorkType, WorkTypeDetail or None). MEC has no documentary or animation WorkType;
#: the detail keeps our kind so a round trip gives it back.
WORK_TYPES = {
    "feature": ("Movie", None),
    "animation": ("Movie", "Animation"),
    "documentary": ("Movie", "Documentary"),
    "short": ("Short", None),
    "series": ("Series", None),
    "season": ("Season", None),
    "episode": ("Episode", None),
    "programme": ("Non-episodic Show", None),
    "news": ("Non-episodic Show", "News"),
}
_KIND_OF = {(work_type.casefold(), (detail or "").casefold()): kind for kind, (work_type, detail) in WORK_TYPES.items()}


def kind_of(work_type: str, details: list[str]) -> str | None:
    """Our kind for a WorkType and its details; None when MEC names a type we do not catalogue."""
    work_type = (work_type or "").strip().casefold()
    for detail in details:
        kind = _KIND_OF.get((work_type, detail.strip().casefold()))
        if kind:
            return kind
    return _KIND_OF.get((work_type, ""))


#: relationshipType of a Parent element by the child's kind
RELATIONSHIP = {"season": "isseasonof", "episode": "isepisodeof"}

#: our credit role → MEC JobFunction (MovieLabs cast and crew vocabulary); extra spellings read
JOB_FUNCTIONS = {
    "director": "Director",
    "writer": "Writer",
    "producer": "Producer",
    "cast": "Actor",
    "composer": "Composer",
    "cinematographer": "Director of Photography",
    "editor": "Editor",
}
_ROLE_OF = {job.casefold(): role for role, job in JOB_FUNCTIONS.items()}
_ROLE_OF.update(
    {
        "cast": "cast",
        "performer": "cast",
        "voice": "cast",
        "cinematographer": "cinematographer",
        "directorofphotography": "cinematographer",
        "screenplay": "writer",
        "music": "composer",
    }
)


def role_of(job_function: str) -> str | None:
    text = (job_function or "").strip().casefold()
    return _ROLE_OF.get(text) or _ROLE_OF.get(text.replace(" ", ""))


#: namespaces of AltIdentifier that carry an EIDR content ID, in any spelling normalise_eidr reads
EIDR_NAMESPACES = frozenset({"eidr", "eidr-s", "eidr-urn", "eidr-x", "doi"})
EIDR_NAMESPACE = "EIDR"


def content_id(owner_slug: str, ref: str) -> str:
    """`md:cid:org:<organisation>:<ref>`, the MovieLabs content-ID form for an organisation's own
    ids; the ref is percent-encoded so any ref is a valid URI."""
    return f"md:cid:org:{quote(owner_slug, safe='')}:{quote(ref, safe='')}"


def ref_from_content_id(value: str) -> str:
    """The ref a ContentID names: the local part of `md:cid:org:<domain>:<ref>`, the scheme's
    id of other `md:cid:<scheme>:<id>` forms, otherwise the whole value."""
    value = (value or "").strip()
    parts = value.split(":")
    if len(parts) >= 5 and parts[:3] == ["md", "cid", "org"]:
        return unquote(":".join(parts[4:]))
    if len(parts) >= 4 and parts[:2] == ["md", "cid"]:
        return unquote(":".join(parts[3:]))
    return value


def cmr_value(system: str, value: str) -> str:
    """Our rating value as the MovieLabs Common Ratings spell it: MKRF is 0, 6, 12, 16, 18."""
    return value.rstrip("+") if system == "MKRF" else value
