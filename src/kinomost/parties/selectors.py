"""Reads about organisations and people."""

from __future__ import annotations

from django.db.models import QuerySet

from kinomost.core.errors import NotFound
from kinomost.parties.models import Membership, Organisation


def organisation_by_slug(slug: str) -> Organisation:
    org = Organisation.objects.filter(slug=slug).first()
    if org is None:
        raise NotFound(f"no organisation '{slug}'")
    return org


def organisations() -> QuerySet[Organisation]:
    return Organisation.objects.select_related("parent").order_by("slug")


def memberships_of(user) -> list[Membership]:
    if not getattr(user, "is_authenticated", False):
        return []
    return list(Membership.objects.filter(user=user).select_related("organisation").order_by("organisation__name"))


def group_of(organisation: Organisation) -> list[Organisation]:
    """The organisation, its parents up to the top, and then every subsidiary below the top."""
    top = organisation
    while top.parent_id:
        top = top.parent
    found, frontier = [top], [top]
    while frontier:
        children = list(Organisation.objects.filter(parent__in=frontier))
        found.extend(children)
        frontier = children
    return found


def members_of(organisation: Organisation) -> list[Membership]:
    return list(Membership.objects.filter(organisation=organisation).select_related("user").order_by("user__email"))


def api_keys_of(organisation: Organisation):
    from kinomost.parties.models import ApiKey

    return list(ApiKey.objects.filter(organisation=organisation).order_by("-created_at"))
