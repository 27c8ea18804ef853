"""How the exchange's pages write what the services and selectors return: step and reason
labels, terms and money, work cards in the reader's language, refusals as rows, balance rows."""

from __future__ import annotations

from decimal import Decimal

from babel import UnknownLocaleError
from babel.numbers import format_currency
from django.core.paginator import Paginator
from django.utils.formats import date_format, number_format
from django.utils.translation import get_language, gettext_lazy, to_locale
from django.utils.translation import gettext as _

from kinomost.catalog import selectors as catalog
from kinomost.core import periods
from kinomost.core.errors import DomainError
from kinomost.core.languages import from_interface_code, language_name
from kinomost.exchange import proposals, summary
from kinomost.exchange.summary import media_text, territories_text, territory_name
from kinomost.exchange.errors import ApprovalsMissing, QuotaExceeded, SigningRefused
from kinomost.exchange.choices import OPEN_STATES, ApprovalKind
from kinomost.rights import blocking
from kinomost.parties.selectors import organisation_names
from kinomost.rights.choices import LanguageUse

STEP_LABELS = {
    "propose": gettext_lazy("Propose"),
    "accept": gettext_lazy("Accept"),
    "reject": gettext_lazy("Reject"),
    "withdraw": gettext_lazy("Withdraw"),
    "call_off": gettext_lazy("Call off"),
    "countersign": gettext_lazy("Countersign"),
    "sign": gettext_lazy("Sign"),
    "activate": gettext_lazy("Activate"),
    "terminate": gettext_lazy("Terminate"),
}
REASON_LABELS = {
    "missing_holding": gettext_lazy("not held with the right to sublicense"),
    "conflicting_grant": gettext_lazy("already granted"),
    "holdback": gettext_lazy("held back"),
}


def language() -> str:
    return from_interface_code(get_language() or "en")


def party_label(party: str | None) -> str:
    return {"licensor": _("licensor"), "licensee": _("licensee")}.get(party or "", "")


def other_party(deal, organisation_id: int):
    return deal.licensee if deal.licensor_id == organisation_id else deal.licensor


def why_blocked(deal, version, works) -> dict[int, list[str]]:
    """Per work of an open deal, why the licensor could not grant it now (empty: it could): the
    ledger's blockers in words, over every term."""
    if deal.state not in OPEN_STATES or not works:
        return {}
    out: dict[int, list[str]] = {w.pk: [] for w in works}
    for term in version.terms:
        found = blocking.blockers(
            deal.licensor,
            [w.pk for w in works],
            term["territories"],
            term["media"],
            (term["start"], term.get("end")),
            term.get("exclusive", False),
            term.get("languages") or [],
        )
        for pk, blockers in found.items():
            out[pk] += [t for t in map(blocker_text, blockers) if t not in out[pk]]
    return out


def blocker_text(blocker) -> str:
    """ "granted to Pearl Media under KM-DEAL-1 until 1 January 2030" — one blocker in words."""
    until = date_format(blocker.until, "DATE_FORMAT") if blocker.until else None
    if blocker.reason == blocking.GRANTED:
        values = {"licensee": blocker.licensee or _("another licensee"), "contract": blocker.contract, "until": until}
        return (
            _("granted to %(licensee)s under %(contract)s until %(until)s")
            if until
            else _("granted to %(licensee)s under %(contract)s, open-ended")
        ) % values
    if blocker.reason == blocking.HELD_BACK:
        values = {"contract": blocker.contract, "until": until}
        return (_("held back under %(contract)s until %(until)s") if until else _("held back under %(contract)s, open-ended")) % values
    if blocker.language:
        return _("not held for %(language)s") % {"language": blocker.language}
    return _("not held with the right to sublicense for this territory, media and window")


def refusal(exc: DomainError) -> dict:
    """A refusal as the page writes it: the sentence and, where the service listed them, one row
    per conflict, quota or missing approval."""
    details = exc.details
    if isinstance(exc, SigningRefused):
        names = titles({d["work"] for d in details})
        licensees = organisation_names({d.get("licensee_id") for d in details}, language())
        rows = [
            {
                **d,
                "title": names.get(d["work"], d.get("work_ref")),
                "reason_text": REASON_LABELS.get(d.get("reason"), d.get("reason")),
                "licensee": licensees.get(d.get("licensee_id"), d.get("licensee", "")),
            }
            for d in details
        ]
        return {"message": exc.message, "kind": "conflicts", "rows": rows}
    if isinstance(exc, QuotaExceeded):
        return {"message": exc.message, "kind": "quota", "rows": details}
    if isinstance(exc, ApprovalsMissing):
        names = titles({d["work"] for d in details})
        labels = dict(ApprovalKind.choices)
        rows = [
            {**d, "title": names.get(d["work"], d.get("work_ref")), "approval_text": labels.get(d["approval"], d["approval"])}
            for d in details
        ]
        return {"message": exc.message, "kind": "approvals", "rows": rows}
    return {"message": exc.message, "kind": "plain", "rows": []}


def titles(ids) -> dict[int, str]:
    lang = language()
    return {w.pk: catalog.display_title(w, lang) for w in catalog.titled(ids)}


def term_text(term: dict) -> dict:
    excluded = term.get("territories_excluded") or []
    return {
        "territories": ", ".join(term["territories"]) + (f" − {', '.join(excluded)}" if excluded else ""),
        "media": ", ".join(term["media"]),
        "start": term["start"],
        "end": term.get("end") or _("open"),
        "exclusive": term.get("exclusive", False),
        "languages": ", ".join(f"{x['language']} ({x['use']})" for x in term.get("languages") or []),
    }


def money_of(obj, count: int) -> dict:
    return {
        "currency": obj.currency,
        "fee_per_work": obj.fee_per_work,
        "flat_fee": obj.flat_fee,
        "revenue_share": obj.revenue_share,
        "minimum_guarantee": obj.minimum_guarantee,
        "committed": proposals.committed_money(obj, count),
    }


def work_cards(works, availability=None, why=None) -> list[dict]:
    """What a buyer browses in its own language: title, synopsis, poster, runtime, ratings,
    and — on an open deal — whether the seller can still grant it, and if not, why."""
    lang = language()
    availability = availability or {}
    why = why or {}
    return [
        {
            "work": w,
            "title": catalog.display_title(w, lang),
            "synopsis": catalog.display_synopsis(w, lang),
            "ratings": ", ".join(f"{r.territory} {r.value}" for r in w.ratings.all()),
            "available": availability.get(w.pk),
            "why": "; ".join(why.get(w.pk) or []),
        }
        for w in sorted(works, key=lambda w: (w.year or 0, w.ref))
    ]


def balance_row(row) -> dict:
    index = row.index()
    currencies = sorted(set(row.a_to_b.money) | set(row.b_to_a.money))
    return {
        "row": row,
        "works_ab": len(row.a_to_b.works),
        "works_ba": len(row.b_to_a.works),
        "index_works": index["works"],
        "index_hours": index["hours"],
        "money": [
            {"currency": c, "ab": row.a_to_b.money.get(c, 0), "ba": row.b_to_a.money.get(c, 0), "index": index.get(f"money_{c}")}
            for c in currencies
        ],
    }


def chart(result) -> dict:
    """The numbers the browser draws (chart.js): works and hours each way per period."""
    return {
        "labels": [r.period for r in result.rows],
        "a": result.a,
        "b": result.b,
        "works_ab": [len(r.a_to_b.works) for r in result.rows],
        "works_ba": [len(r.b_to_a.works) for r in result.rows],
        "hours_ab": [float(r.a_to_b.hours) for r in result.rows],
        "hours_ba": [float(r.b_to_a.hours) for r in result.rows],
    }


# ---------------------------------------------------------------- the deal at a glance

USE_LABELS = dict(LanguageUse.choices)
CHANGE_LABELS = {
    "territories": gettext_lazy("Territories"),
    "territories_excluded": gettext_lazy("Excluded territories"),
    "media": gettext_lazy("Media"),
    "start": gettext_lazy("Start"),
    "end": gettext_lazy("End"),
    "exclusive": gettext_lazy("Exclusive"),
    "languages": gettext_lazy("Languages"),
    "currency": gettext_lazy("Currency"),
    "fee_per_work": gettext_lazy("Fee per work"),
    "flat_fee": gettext_lazy("Flat fee for the package"),
    "revenue_share": gettext_lazy("Revenue share (%)"),
    "minimum_guarantee": gettext_lazy("Minimum guarantee"),
    "committed": gettext_lazy("Committed"),
}
WORKS_PER_PAGE = 25


def languages_text(items, lang: str) -> str:
    return ", ".join(f"{language_name(x['language'], lang)} ({USE_LABELS.get(x['use'], x['use'])})" for x in items or [])


def day_text(value) -> str:
    day = periods.parse_date(value)
    return date_format(day, "DATE_FORMAT") if day else _("open")


def amount(value, currency: str) -> str:
    """An amount in the reader's conventions (CLDR via Babel): 189 800,00 $ · US$189,800.00 · US$189,800.00."""
    try:
        return format_currency(Decimal(value or 0), currency, locale=to_locale(get_language() or "en"))
    except (ValueError, UnknownLocaleError):
        return f"{value} {currency}"


def percent(value) -> str:
    return f"{number_format(Decimal(value or 0).normalize(), use_l10n=True)} %"


def term_glance(term: dict, lang: str) -> dict:
    """One term in words: territories, media and languages by name, the window in the reader's dates."""
    return {
        "territories": territories_text(term["territories"], term.get("territories_excluded") or [], lang),
        "media": media_text(term["media"]),
        "start": day_text(term["start"]),
        "end": day_text(term.get("end")),
        "exclusive": term.get("exclusive", False),
        "languages": languages_text(term.get("languages"), lang),
    }


def money_glance(version, count: int) -> dict:
    c = version.currency
    return {
        "currency": c,
        "works": count,
        "fee_per_work": amount(version.fee_per_work, c),
        "flat_fee": amount(version.flat_fee, c),
        "revenue_share": percent(version.revenue_share),
        "minimum_guarantee": amount(version.minimum_guarantee, c),
        "fees": amount(proposals.committed_fees(version, count), c),
        "committed": amount(proposals.committed_money(version, count), c),
    }


def turn_glance(deal, organisation_id: int) -> dict:
    """Whose step it is, in words: "Waiting for Pearl Media: Accept, Counter-propose"."""
    turn = summary.whose_turn(deal)
    labels = {**STEP_LABELS, "counter": _("Counter-propose")}
    return {
        "organisation": turn.organisation,
        "ours": turn.organisation is not None and turn.organisation.pk == organisation_id,
        "steps": [str(labels.get(s, s)) for s in turn.steps],
    }


def approvals_glance(missing: list[dict]) -> list[dict]:
    """The approvals activation still needs, one line per kind and territory with how many works
    lack it (a package of 61 films needs 61 registrations, not 61 lines)."""
    kinds = dict(ApprovalKind.choices)
    lang = language()
    groups: dict[tuple, dict] = {}
    for m in missing:
        key = (m["approval"], m["territory"], m["per_platform"])
        groups.setdefault(
            key,
            {
                "approval_text": kinds.get(m["approval"], m["approval"]),
                "per_platform": m["per_platform"],
                "territory": territory_name(m["territory"], lang),
                "works": set(),
            },
        )["works"].add(m["work"])
    return [{**g, "works": len(g["works"])} for g in groups.values()]


def deal_glance(deal, latest, works, organisation_id: int) -> dict:
    """The summary the deal page opens with (issue 17 §4): parties, state, whose step, the terms
    in words, the money, the quota forecast, the approvals activation needs, what signing writes."""
    lang = language()
    return {
        "turn": turn_glance(deal, organisation_id),
        "terms": [term_glance(t, lang) for t in latest.terms],
        "money": money_glance(latest, len(works)),
        "quotas": summary.quota_forecast(deal, latest, works),
        "approvals": approvals_glance(summary.approvals_needed(deal, latest)),
        "signing": summary.signing_sentences(deal, latest),
    }


def works_page(cards: list[dict], params) -> dict:
    """The package as a table a person can page and filter (title or reference; available or not)."""
    query = (params.get("q") or "").strip().lower()
    show = params.get("show") if params.get("show") in ("available", "blocked") else ""
    rows = [c for c in cards if not query or query in c["title"].lower() or query in c["work"].ref.lower()]
    if show:
        rows = [c for c in rows if c["available"] is (show == "available")]
    page = Paginator(rows, WORKS_PER_PAGE).get_page(params.get("page"))
    return {
        "page": page,
        "q": params.get("q") or "",
        "show": show,
        "total": len(cards),
        "shown": len(rows),
        "blocked": sum(1 for c in cards if c["available"] is False),
    }


def version_rows(versions: list, lang: str) -> list[dict]:
    """Every version, newest first, with what it changed against the one before it."""
    all_ids = {i.work_id for v in versions for i in v.items.all()}
    names = titles(all_ids)
    rows = []
    for before, after in zip([None, *versions[:-1]], versions):
        changes = summary.version_changes(before, after)
        rows.append(
            {
                "version": after,
                "count": len(after.items.all()),
                "terms": [term_glance(t, lang) for t in after.terms],
                "money": money_glance(after, len(after.items.all())),
                "any": changes["any"],
                "changes": [
                    {
                        "label": CHANGE_LABELS[c["field"]],
                        "before": _change_text(c, after.currency, lang),
                        "after": _change_text(c, after.currency, lang, side="after"),
                    }
                    for c in changes["terms"] + changes["money"]
                ],
                "added": [names.get(w, str(w)) for w in changes["added"]],
                "removed": [names.get(w, str(w)) for w in changes["removed"]],
            }
        )
    return list(reversed(rows))


def _change_text(change: dict, currency: str, lang: str, side: str = "before") -> str:
    value, name = change[side], change["field"]
    if name in ("territories", "territories_excluded"):
        return territories_text(value or [], [], lang) or "—"
    if name == "media":
        return media_text(value or []) or "—"
    if name in ("start", "end"):
        return day_text(value)
    if name == "exclusive":
        return _("exclusive") if value else _("non-exclusive")
    if name == "languages":
        return languages_text(value, lang) or "—"
    if name == "revenue_share":
        return percent(value)
    if name in ("fee_per_work", "flat_fee", "minimum_guarantee", "committed"):
        return amount(value, currency)
    return str(value)


def thread_items(deal, versions) -> list[dict]:
    """The thread as it happened: the messages, and each counter-proposal's note where it was made."""
    items = [{"kind": "message", "author": m.author, "at": m.created_at, "body": m.body} for m in deal.messages.all()]
    items += [
        {"kind": "version", "author": v.author, "at": v.created_at, "body": v.note, "number": v.number}
        for v in versions
        if v.note and v.number > 1
    ]
    return sorted(items, key=lambda i: i["at"])
