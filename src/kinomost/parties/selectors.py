"""Reads about organisations and people."""

from __future__ import annotations

from django.db.models import QuerySet

from kinomost.core.errors import NotFound
from kinomost.core.languages import name_for_reader
from kinomost.parties.models import Membership, Organisation


def organisation_name(org: Organisation | None, language: str | None = None) -> str:
    """An organisation as a reader of `language` (BCP 47; the active interface language when
    None) names it: «Шанхайская медиагруппа «Жемчужина»» on a Russian page for 上海明珠传媒集团; the
    name as stored when no translation fits. The one owner: templates reach it as `|org_name`."""
    if org is None:
        return ""
    return name_for_reader(org.names, org.name, language)


def organisation_by_slug(slug: str) -> Organisation:
    org = Organisation.objects.filter(slug=slug).first()
    if org is None:
        raise NotFound(f"no organisation '{slug}'")
    return org


def organisations() -> QuerySet[Organisation]:
    return Organisation.objects.select_related("parent").order_by("slug")


def organisation_names(ids, language: str | None = None) -> dict[int, str]:
    """{id: name for the reader} for many organisations in one query (reasons that name licensees)."""
    wanted = {i for i in ids if i}
    found = Organisation.objects.filter(pk__in=wanted).only("pk", "name", "names") if wanted else []
    return {org.pk: organisation_name(org, language) for org in found}


def organisations_matching(q: str, *, exclude_pk: int | None = None, limit: int = 20) -> list[Organisation]:
    """The directory by any of an organisation's names (stored or translated, any script) or its
    slug, for pickers: «жемчуж», 明珠 and `pearl` all find Shanghai Pearl Media Group. In Python,
    because a JSON field's text is escaped on SQLite; the directory is organisations, not works."""
    wanted = q.casefold().strip()
    found = []
    for org in Organisation.objects.exclude(pk=exclude_pk).only("pk", "slug", "name", "names").order_by("name"):
        spelled = (org.slug, org.name, *(org.names or {}).values())
        if not wanted or any(wanted in text.casefold() for text in spelled):
            found.append(org)
            if len(found) >= limit:
                break
    return found


def memberships_of(user) -> list[Membership]:
    if not getattr(user, "is_authenticated", False):
        return []
    return list(Membership.objects.filter(user=user).select_related("organisation").order_by("organisation__name"))


def acting_options(memberships: list[Membership]) -> list[tuple[Organisation, str, int]]:
    """What a person may act for: each organisation they are a member of, and below it every
    subsidiary, with the role of the membership it comes through (a parent's owner is an owner in
    its subsidiaries; a direct membership in a subsidiary wins over the one inherited) and its
    depth below that membership (for an indented list). Order: memberships by name, each followed
    by its subsidiaries."""
    direct = {m.organisation_id: m.role for m in memberships}
    options: list[tuple[Organisation, str, int]] = []
    seen: set[int] = set()
    for m in memberships:
        frontier, depth = [m.organisation], 0
        while frontier:
            for org in frontier:
                if org.pk not in seen:
                    seen.add(org.pk)
                    options.append((org, direct.get(org.pk, m.role), depth))
            frontier = list(Organisation.objects.filter(parent__in=frontier).exclude(pk__in=seen).order_by("name"))
            depth += 1
    return _depth_first(options)


def _depth_first(options: list[tuple[Organisation, str, int]]) -> list[tuple[Organisation, str, int]]:
    """Each organisation followed by its own subsidiaries (the breadth-first walk regrouped)."""
    by_parent: dict[int | None, list] = {}
    ids = {o.pk for o, _r, _d in options}
    for item in options:
        parent = item[0].parent_id if item[0].parent_id in ids and item[2] > 0 else None
        by_parent.setdefault(parent, []).append(item)
    ordered: list = []

    def walk(parent):
        for item in by_parent.get(parent, []):
            ordered.append(item)
            walk(item[0].pk)

    walk(None)
    return ordered


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
