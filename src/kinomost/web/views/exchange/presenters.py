"""How the exchange's pages write what the services and selectors return: step and reason
labels, terms and money, work cards in the reader's language, refusals as rows, balance rows."""

from __future__ import annotations

from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kinomost.catalog import selectors as catalog
from kinomost.catalog.models import Work
from kinomost.core.errors import DomainError
from kinomost.core.languages import from_interface_code
from kinomost.exchange import deals, proposals
from kinomost.exchange.errors import ApprovalsMissing, QuotaExceeded, SigningRefused
from kinomost.exchange.models import ApprovalKind, DealState

STEP_LABELS = {
    "propose": gettext_lazy("Propose"),
    "accept": gettext_lazy("Accept"),
    "reject": gettext_lazy("Reject"),
    "withdraw": gettext_lazy("Withdraw"),
    "call_off": gettext_lazy("Call off"),
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


def grantable_now(deal, version, works) -> dict[int, bool]:
    """Whether the licensor could grant each work on these terms now (what signing will check)."""
    if deal.state not in (DealState.PROPOSED, DealState.COUNTERED, DealState.AGREED, DealState.DRAFT) or not works:
        return {}
    blocked = {c["work"] for c in deals.conflicts_of(deal.licensor, works, version.terms)}
    return {w.pk: w.pk not in blocked for w in works}


def refusal(exc: DomainError) -> dict:
    """A refusal as the page writes it: the sentence and, where the service listed them, one row
    per conflict, quota or missing approval."""
    details = exc.details
    if isinstance(exc, SigningRefused):
        names = titles({d["work"] for d in details})
        rows = [{**d, "title": names.get(d["work"], d.get("work_ref")), "reason_text": REASON_LABELS.get(d.get("reason"), d.get("reason"))}
                for d in details]
        return {"message": exc.message, "kind": "conflicts", "rows": rows}
    if isinstance(exc, QuotaExceeded):
        return {"message": exc.message, "kind": "quota", "rows": details}
    if isinstance(exc, ApprovalsMissing):
        names = titles({d["work"] for d in details})
        labels = dict(ApprovalKind.choices)
        rows = [{**d, "title": names.get(d["work"], d.get("work_ref")), "approval_text": labels.get(d["approval"], d["approval"])} for d in details]
        return {"message": exc.message, "kind": "approvals", "rows": rows}
    return {"message": exc.message, "kind": "plain", "rows": []}


def titles(ids) -> dict[int, str]:
    lang = language()
    return {w.pk: catalog.display_title(w, lang) for w in catalog.with_localizations(Work.objects.filter(pk__in=ids))}


def term_text(term: dict) -> dict:
    excluded = term.get("territories_excluded") or []
    return {"territories": ", ".join(term["territories"]) + (f" − {', '.join(excluded)}" if excluded else ""),
            "media": ", ".join(term["media"]), "start": term["start"], "end": term.get("end") or _("open"),
            "exclusive": term.get("exclusive", False),
            "languages": ", ".join(f"{x['language']} ({x['use']})" for x in term.get("languages") or [])}


def money_of(obj, count: int) -> dict:
    return {"currency": obj.currency, "fee_per_work": obj.fee_per_work, "flat_fee": obj.flat_fee, "revenue_share": obj.revenue_share,
            "minimum_guarantee": obj.minimum_guarantee, "committed": proposals.committed_money(obj, count)}


def work_cards(works, availability=None) -> list[dict]:
    """What a buyer browses in its own language: title, synopsis, poster, runtime, ratings,
    and — on an open deal — whether the seller can still grant it."""
    lang = language()
    availability = availability or {}
    return [{"work": w, "title": catalog.display_title(w, lang), "synopsis": catalog.display_synopsis(w, lang),
             "ratings": ", ".join(f"{r.territory} {r.value}" for r in w.ratings.all()), "available": availability.get(w.pk)}
            for w in sorted(works, key=lambda w: (w.year or 0, w.ref))]


def balance_row(row) -> dict:
    index = row.index()
    currencies = sorted(set(row.a_to_b.money) | set(row.b_to_a.money))
    return {"row": row, "works_ab": len(row.a_to_b.works), "works_ba": len(row.b_to_a.works),
            "index_works": index["works"], "index_hours": index["hours"],
            "money": [{"currency": c, "ab": row.a_to_b.money.get(c, 0), "ba": row.b_to_a.money.get(c, 0),
                       "index": index.get(f"money_{c}")} for c in currencies]}


def chart(result) -> dict:
    """The numbers the browser draws (chart.js): works and hours each way per period."""
    return {"labels": [r.period for r in result.rows], "a": result.a, "b": result.b,
            "works_ab": [len(r.a_to_b.works) for r in result.rows], "works_ba": [len(r.b_to_a.works) for r in result.rows],
            "hours_ab": [float(r.a_to_b.hours) for r in result.rows], "hours_ba": [float(r.b_to_a.hours) for r in result.rows]}
