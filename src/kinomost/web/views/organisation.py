"""The organisation page: its group, members and API keys; owners create and revoke keys."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kinomost.parties import selectors, services
from kinomost.parties.models import Role
from kinomost.parties.roles import MANAGE_ORGANISATION, can
from kinomost.web.decorators import member_required


# The languages an organisation is named in on the page's form (each its own field: people type
# names, not JSON); the admin edits any other as JSON.
NAME_LANGUAGES = [
    ("ru", gettext_lazy("Name in Russian")),
    ("zh-Hans", gettext_lazy("Name in Chinese")),
    ("en", gettext_lazy("Name in English")),
]


@member_required
def organisation_page(request):
    org = request.actor.organisation
    is_owner = can(request.actor.role, MANAGE_ORGANISATION)
    return render(
        request,
        "web/organisation.html",
        {
            "org": org,
            "group": [o for o in selectors.group_of(org) if o.pk != org.pk],
            "members": selectors.members_of(org),
            "api_keys": selectors.api_keys_of(org) if is_owner else [],
            "is_owner": is_owner,
            "roles": Role.choices,
            "new_token": request.session.pop("kinomost_new_token", None),
            "name_fields": [(tag, label, (org.names or {}).get(tag, "")) for tag, label in NAME_LANGUAGES],
        },
    )


@require_POST
@member_required
def create_api_key(request):
    request.actor.require(MANAGE_ORGANISATION, "manage API keys")
    _key, token = services.create_api_key(
        organisation=request.actor.organisation,
        name=request.POST.get("name", "").strip()[:100],
        role=request.POST.get("role", Role.READ_ONLY),
        actor=request.user,
    )
    request.session["kinomost_new_token"] = token
    messages.success(request, _("API key created. Copy the token now: it is shown only once."))
    return redirect("web:organisation")


@require_POST
@member_required
def revoke_api_key(request, prefix: str):
    request.actor.require(MANAGE_ORGANISATION, "manage API keys")
    services.revoke_api_key(organisation=request.actor.organisation, prefix=prefix, actor=request.user)
    messages.success(request, _("API key revoked."))
    return redirect("web:organisation")


@require_POST
@member_required
def rename_organisation(request):
    """An owner names the acting organisation in each language; a name left empty is removed
    (pages then show another language's, or the name as stored)."""
    request.actor.require(MANAGE_ORGANISATION, "rename the organisation")
    org = request.actor.organisation
    names = {tag: request.POST.get(f"name_{tag}", "")[:200] for tag, _label in NAME_LANGUAGES}
    kept = {tag: value for tag, value in (org.names or {}).items() if tag not in names}  # others, set in the admin
    services.rename_organisation(organisation=org, names={**kept, **names}, actor=request.user)
    messages.success(request, _("Names saved."))
    return redirect("web:organisation")
