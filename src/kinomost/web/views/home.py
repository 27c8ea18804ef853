"""The start page. Signed in: what needs this person now, ordered for their role — deals
awaiting our step, offers about to expire, approvals pending or revoked, quotas near or over
their limit, recent imports, ingest jobs and unread notices, each a link. Signed out: what
Kinomost is, sign-in and the storefronts.

Thin: each list comes from its app's selectors (exchange, cinema) or the audit trail; this
module only picks the few rows a start page shows.
"""

from __future__ import annotations

from datetime import timedelta

from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.http import require_POST

from kinomost.catalog import selectors as catalog
from kinomost.cinema import selectors as cinema
from kinomost.cinema.choices import AssetStatus
from kinomost.core.http import safe_next
from kinomost.core.languages import from_interface_code
from kinomost.core.models import AuditEvent
from kinomost.exchange import deals as deal_steps
from kinomost.exchange import clearance, inbox, quota_usage
from kinomost.exchange import selectors as exchange
from kinomost.exchange.choices import ApprovalStatus, DealState
from kinomost.parties.middleware import SESSION_KEY
from kinomost.parties.models import Role
from kinomost.parties.selectors import acting_options
from kinomost.web.views.exchange.presenters import STEP_LABELS

SHOWN = 6  # rows per list: a start page points, the lists' own pages show the rest
EXPIRING_DAYS = 14
OPEN_STATES = (DealState.DRAFT, DealState.PROPOSED, DealState.COUNTERED, DealState.AGREED, DealState.SIGNED)
# Steps that move a deal on (withdrawing, calling off and terminating are always possible, never awaited).
AWAITED_STEPS = frozenset({"propose", "counter", "accept", "sign", "activate"})
# Which lists come first for each role (the others follow).
ORDER = {
    Role.PLATFORM_OPERATOR: ["ingest", "notices", "approvals", "quotas", "deals", "expiring", "imports"],
    Role.LICENSING_MANAGER: ["deals", "expiring", "approvals", "quotas", "notices", "imports", "ingest"],
}
DEFAULT_ORDER = ["deals", "expiring", "notices", "approvals", "quotas", "imports", "ingest"]


def home(request):
    if request.actor is None:
        return render(request, "web/home.html", {"storefronts": _storefronts()})
    return render(request, "web/home.html", {"sections": _sections(request.actor), "role_label": Role(request.actor.role).label})


def _storefronts() -> list:
    return cinema.storefronts(24)


def _sections(actor) -> list[dict]:
    language = from_interface_code(get_language() or "en")
    makers = {
        "deals": _awaiting,
        "expiring": _expiring,
        "approvals": _approvals,
        "quotas": _quotas,
        "imports": _imports,
        "ingest": _ingest,
        "notices": _notices,
    }
    return [{"key": key, "rows": makers[key](actor, language)} for key in ORDER.get(actor.role, DEFAULT_ORDER)]


def _awaiting(actor, language) -> list[dict]:
    rows = []
    for deal in exchange.deals_of(actor).filter(state__in=OPEN_STATES).order_by("-updated_at")[:100]:
        steps = [s for s in deal_steps.steps_for(actor, deal) if s in AWAITED_STEPS]
        if steps:
            rows.append(
                {
                    "deal": deal,
                    "steps": [STEP_LABELS[s] for s in steps if s in STEP_LABELS],
                    "other": deal.licensee if deal.licensor_id == actor.organisation_id else deal.licensor,
                }
            )
        if len(rows) >= SHOWN:
            break
    return rows


def _expiring(actor, language) -> list[dict]:
    today = timezone.localdate()
    soon = exchange.deals_of(actor).filter(
        state__in=(DealState.PROPOSED, DealState.COUNTERED), expires_on__gte=today, expires_on__lte=today + timedelta(days=EXPIRING_DAYS)
    )
    return [{"deal": d, "days": (d.expires_on - today).days} for d in soon.order_by("expires_on")[:SHOWN]]


def _approvals(actor, language) -> list[dict]:
    found = clearance.approvals_of(actor).filter(status__in=(ApprovalStatus.PENDING, ApprovalStatus.REVOKED))
    found = found.select_related("work").prefetch_related("work__localizations").order_by("-id")[:SHOWN]
    return [{"approval": a, "title": catalog.display_title(a.work, language)} for a in found]


def _quotas(actor, language) -> list[dict]:
    return [{"counter": c} for c in quota_usage.quota_counters(actor, year=timezone.localdate().year) if c.near_limit][:SHOWN]


def _imports(actor, language) -> list[dict]:
    events = AuditEvent.objects.filter(organisation_id=actor.organisation_id, action="works.created_in_bulk")[:SHOWN]
    return [{"event": e, "source": e.data.get("source") or "", "count": len(e.data.get("works") or [])} for e in events]


def _ingest(actor, language) -> list[dict]:
    assets = (
        cinema.assets_of(actor)
        .exclude(status=AssetStatus.READY)
        .select_related("work")
        .prefetch_related("work__localizations")
        .order_by("-id")[:SHOWN]
    )
    return [{"asset": a, "title": catalog.display_title(a.work, language)} for a in assets]


def _notices(actor, language) -> list[dict]:
    return [{"n": n, "text": inbox.notification_text(n)} for n, _read in inbox.inbox_page(actor, unread_only=True, limit=SHOWN)]


@require_POST
def switch_organisation(request):
    """Act for another organisation: one the user is a member of, or a subsidiary of one
    (parties.selectors.acting_options); anything else is ignored."""
    wanted = request.POST.get("organisation")
    if any(str(org.pk) == wanted for org, _role, _depth in acting_options(request.memberships)):
        request.session[SESSION_KEY] = int(wanted)
    return HttpResponseRedirect(safe_next(request, reverse("web:home")))
