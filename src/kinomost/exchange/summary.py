"""The deal at a glance: whose step it is, what signing would write, what it does to the quotas and
which approvals activation will still need, and what changed between two versions. Reads only —
the deal page and the API show these before anyone presses a button, so a licensing manager sees
the consequences of a step instead of meeting them as a refusal."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _

from kinomost.core import media as media_taxonomy
from kinomost.core import periods, territories
from kinomost.core.languages import from_interface_code
from kinomost.exchange import clearance, deals, proposals, quotas, selectors
from kinomost.exchange.models import Deal, DealState, DealVersion, QuotaMeasure

# The steps that move a deal forward: "whose step it is" names these, not the exits
# (withdraw, reject, call off, terminate) that either side always has.
FORWARD_STEPS = ("propose", "accept", "counter", "countersign", "sign", "activate")
# Until it is signed a deal's quotas are a forecast; after, the ledger and the counters say it.
_FORECAST_STATES = frozenset({DealState.DRAFT, DealState.PROPOSED, DealState.COUNTERED, DealState.AGREED, DealState.COUNTERSIGNED})
GROUP_NAMES = {
    "WORLD": gettext_lazy("the whole world"),
    "CIS": gettext_lazy("Commonwealth of Independent States"),
    "EU": gettext_lazy("European Union"),
    "GREATER_CHINA": gettext_lazy("Greater China"),
}
TERM_FIELDS = ("territories", "territories_excluded", "media", "start", "end", "exclusive", "languages")


@dataclass
class Turn:
    """Who the deal waits for and the steps that party may take (none: the deal is settled)."""

    organisation: object | None
    steps: list[str] = field(default_factory=list)


def whose_turn(deal: Deal) -> Turn:
    latest = selectors.latest_version(deal)
    author_id = latest.author_id if latest else deal.initiator_id
    for org in (deal.licensor, deal.licensee):
        steps = [s for s in FORWARD_STEPS if s in deals.TRANSITIONS and deals.may_take(org.pk, deal, s, author_id=author_id)]
        if steps:
            return Turn(org, steps)
    return Turn(None)


def quota_forecast(deal: Deal, version: DealVersion, works) -> list[dict]:
    """Each quota the version touches with its sentence and level (over, near, within); empty
    once the deal is signed or closed."""
    if deal.state not in _FORECAST_STATES or not works:
        return []
    return [{**f, "text": quota_sentence(f), "level": quota_level(f)} for f in quotas.forecast(deal, version, works)]


def quota_level(finding: dict) -> str:
    return "over" if finding["over"] else "near" if finding["near_limit"] else "within"


def quota_sentence(finding: dict) -> str:
    """ "Foreign share CN (2027): 60.4 % of a 30 % cap: over the limit" — what a count or a share
    means, in the reader's number format, instead of two bare numbers."""
    values = {
        "name": finding["name"],
        "year": finding["year"],
        "after": number_format(Decimal(str(finding["after"])), use_l10n=True),
        "limit": number_format(Decimal(str(finding["limit"])), use_l10n=True),
    }
    if finding["measure"] == QuotaMeasure.SHARE:
        amount = _("%(after)s %% of a %(limit)s %% cap") % values
    else:
        amount = _("%(after)s of %(limit)s works a year") % values
    verdict = {"over": _("over the limit"), "near": _("near the limit"), "within": _("within the limit")}[quota_level(finding)]
    consequence = ""
    if finding["over"]:
        consequence = (
            _(" (a hard quota: signing is refused)") if finding["hard"] else _(" (a soft quota: signing is allowed, with a warning)")
        )
    return _("%(name)s (%(year)s): %(amount)s: %(verdict)s") % {**values, "amount": amount, "verdict": verdict} + consequence


def approvals_needed(deal: Deal, version: DealVersion) -> list[dict]:
    """The approvals activation will ask for on the first day of the window (or today, once it
    has begun): what the licensee still has to obtain."""
    if deal.state in (DealState.ACTIVE, DealState.CANCELLED, DealState.EXPIRED, DealState.TERMINATED):
        return []
    first_start = min(periods.parse_date(t["start"]) for t in version.terms)
    return clearance.missing_for_deal(deal, version, max(first_start, timezone.localdate()))


def signing_preview(deal: Deal, version: DealVersion | None = None) -> list[dict]:
    """What signing will write into the ledger, one line per term: so many (exclusive) grants on
    these territories, media and window. The confirmation step states exactly this."""
    version = version or selectors.latest_version(deal)
    count = version.items.count()
    return [
        {
            "term": i,
            "grants": count,
            "exclusive": bool(t.get("exclusive")),
            "territories": list(t["territories"]),
            "territories_excluded": list(t.get("territories_excluded") or []),
            "media": list(t["media"]),
            "start": t["start"],
            "end": t.get("end"),
        }
        for i, t in enumerate(version.terms, start=1)
    ]


def signing_sentences(deal: Deal, version: DealVersion | None = None) -> list[str]:
    """ "61 exclusive grants: China × SVOD (subscription) × 2027-01-01 → 2030-01-01", one a term,
    in the reader's language: what the confirmation of a signature states, on the page and in the
    API's refusal to sign unconfirmed."""
    lang = from_interface_code(get_language() or "en")
    lines = []
    for p in signing_preview(deal, version):
        values = {
            "count": p["grants"],
            "territories": territories_text(p["territories"], p["territories_excluded"], lang),
            "media": media_text(p["media"]),
            "start": p["start"],
            "end": p["end"] or _("open"),
        }
        if p["exclusive"]:
            text = ngettext(
                "%(count)s exclusive grant: %(territories)s × %(media)s × %(start)s → %(end)s",
                "%(count)s exclusive grants: %(territories)s × %(media)s × %(start)s → %(end)s",
                p["grants"],
            )
        else:
            text = ngettext(
                "%(count)s non-exclusive grant: %(territories)s × %(media)s × %(start)s → %(end)s",
                "%(count)s non-exclusive grants: %(territories)s × %(media)s × %(start)s → %(end)s",
                p["grants"],
            )
        lines.append(text % values)
    return lines


def territory_name(code: str, lang: str) -> str:
    """A country's or a group's name in the reader's language (the code where we have none)."""
    if code.upper() in GROUP_NAMES:
        return str(GROUP_NAMES[code.upper()])
    return territories.country_name(code.upper(), lang) if len(code) == 2 else code


def territories_text(include, exclude, lang: str) -> str:
    text = ", ".join(territory_name(c, lang) for c in include)
    return text + (_(" excluding %(list)s") % {"list": ", ".join(territory_name(c, lang) for c in exclude)} if exclude else "")


def media_text(codes) -> str:
    return ", ".join(media_taxonomy.name(c) for c in codes)


def version_changes(before: DealVersion | None, after: DealVersion) -> dict:
    """What a version changed against the one before it: each term's fields, the money, and the
    works added and removed (ids). The first version changes nothing: it is the offer."""
    if before is None:
        return {"terms": [], "money": [], "added": [], "removed": [], "any": False}
    terms = []
    for index in range(max(len(before.terms), len(after.terms))):
        old = before.terms[index] if index < len(before.terms) else {}
        new = after.terms[index] if index < len(after.terms) else {}
        terms += [
            {"term": index + 1, "field": f, "before": old.get(f), "after": new.get(f)}
            for f in TERM_FIELDS
            if _norm(old.get(f)) != _norm(new.get(f))
        ]
    money = [
        {"field": f, "before": getattr(before, f), "after": getattr(after, f)}
        for f in ("currency", *proposals.MONEY_FIELDS)
        if getattr(before, f) != getattr(after, f)
    ]
    old_works = set(before.items.values_list("work_id", flat=True))
    new_works = set(after.items.values_list("work_id", flat=True))
    committed = (proposals.committed_money(before, len(old_works)), proposals.committed_money(after, len(new_works)))
    if committed[0] != committed[1]:
        money.append({"field": "committed", "before": committed[0], "after": committed[1]})
    added, removed = sorted(new_works - old_works), sorted(old_works - new_works)
    return {"terms": terms, "money": money, "added": added, "removed": removed, "any": bool(terms or money or added or removed)}


def _norm(value):
    """A term field as compared: absent, empty and False are the same; lists compare as lists."""
    return value or None
