"""Writes to the catalogue. `save_work` is the one way a work is created or updated (pages, API,
imports and the demo all call it), so validation and search indexing happen in one place."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from kinomost.catalog import search
from kinomost.catalog.models import PARENT_KIND, AgeRating, Genre, Identifier, Work, WorkKind, WorkLocalization
from kinomost.catalog.signals import works_changed
from kinomost.core import audit
from kinomost.core.errors import Conflict, InvalidInput, NotFound
from kinomost.core.genres import GENRES
from kinomost.core.identifiers import normalise_eidr
from kinomost.core.languages import normalise_tag
from kinomost.core.ratings import normalise_rating
from kinomost.core.territories import normalise_country, normalise_origin_country


@dataclass
class WorkInput:
    """What a user says about a work; `None` means "leave as it is" on update."""

    ref: str
    kind: str
    titles: dict[str, str] = field(default_factory=dict)
    synopses: dict[str, str] = field(default_factory=dict)
    original_title: str | None = None
    original_language: str | None = None
    year: int | None = None
    runtime_minutes: int | None = None
    countries: list[str] | None = None
    genres: list[str] | None = None
    keywords: list[str] | None = None
    eidr: str | None = None
    parent_ref: str | None = None
    number: int | None = None
    ratings: list[tuple[str, str, str]] | None = None  # (territory, system, value)
    identifiers: dict[str, str] | None = None
    is_listed: bool | None = None
    popularity: float | None = None


def validate(data: WorkInput) -> dict[str, str]:
    """Every problem with `data` as {field: message}; empty when it can be saved. Pure, no queries."""
    problems: dict[str, str] = {}
    if not (data.ref or "").strip():
        problems["ref"] = "required"
    if data.kind not in WorkKind.values:
        problems["kind"] = f"unknown kind '{data.kind}'; one of: {', '.join(WorkKind.values)}"
    elif data.kind in PARENT_KIND and not data.parent_ref:
        problems["series_ref"] = f"a {data.kind} needs its parent's ref"
    for lang in list(data.titles) + list(data.synopses):
        try:
            normalise_tag(lang)
        except InvalidInput as exc:
            problems[f"title:{lang}"] = exc.message
    if not data.original_title and not any(t.strip() for t in data.titles.values()):
        problems["title"] = "a work needs an original title or at least one title"
    checks = [
        ("original_language", data.original_language, lambda v: normalise_tag(v)),
        ("eidr", data.eidr, normalise_eidr),
        ("countries", data.countries, lambda v: [normalise_origin_country(c) for c in v]),
    ]
    for name, value, check in checks:
        if value:
            try:
                check(value)
            except InvalidInput as exc:
                problems[name] = exc.message
    if data.year is not None and not 1878 <= data.year <= 2100:
        problems["year"] = f"{data.year} is not a plausible year"
    if data.runtime_minutes is not None and not 0 < data.runtime_minutes < 10000:
        problems["runtime"] = f"{data.runtime_minutes} is not a plausible runtime in minutes"
    unknown = [g for g in data.genres or [] if g not in GENRES]
    if unknown:
        problems["genres"] = f"unknown genre(s): {', '.join(unknown)}"
    for territory, system, value in data.ratings or []:
        try:
            normalise_country(territory)
            normalise_rating(system, value)
        except InvalidInput as exc:
            problems["rating"] = exc.message
    return problems


def _resolve_parent(owner, data: WorkInput, pending: dict[str, Work] | None) -> Work | None:
    if not data.parent_ref:
        return None
    parent = (pending or {}).get(data.parent_ref) or Work.objects.filter(owner=owner, ref=data.parent_ref).first()
    if parent is None:
        raise NotFound(f"no work with ref '{data.parent_ref}' to be the parent of '{data.ref}'")
    expected = PARENT_KIND.get(data.kind)
    if expected and parent.kind != expected:
        raise InvalidInput(f"the parent of a {data.kind} must be a {expected}, '{parent.ref}' is a {parent.kind}")
    return parent


def apply_fields(work: Work, data: WorkInput) -> None:
    """Copy a validated input's own fields onto an unsaved or loaded work (no related rows).

    Public so that bulk paths (catalog.io.bulk) set fields by the same rules as save_work."""
    titles = {normalise_tag(k): v.strip() for k, v in data.titles.items() if v and v.strip()}
    if data.original_language is not None:
        work.original_language = normalise_tag(data.original_language) if data.original_language else ""
    if data.original_title:
        work.original_title = data.original_title.strip()
    elif not work.original_title:
        work.original_title = titles.get(work.original_language) or titles.get("en") or next(iter(titles.values()))
    simple = {
        "kind": data.kind,
        "year": data.year,
        "runtime_minutes": data.runtime_minutes,
        "number": data.number,
        "keywords": data.keywords,
        "is_listed": data.is_listed,
        "popularity": data.popularity,
    }
    for name, value in simple.items():
        if value is not None:
            setattr(work, name, value)
    if data.countries is not None:
        work.countries = list(dict.fromkeys(normalise_origin_country(c) for c in data.countries))
    if data.eidr is not None:
        work.eidr = normalise_eidr(data.eidr) if data.eidr else ""


def _apply_related(work: Work, data: WorkInput) -> None:
    for lang in {*data.titles, *data.synopses}:
        tag = normalise_tag(lang)
        title = (data.titles.get(lang) or "").strip()
        synopsis = data.synopses.get(lang)
        loc = WorkLocalization.objects.filter(work=work, language=tag).first()
        if loc is None:
            if not title and not synopsis:
                continue  # an empty cell or field says nothing about a language the work lacks
            WorkLocalization.objects.create(work=work, language=tag, title=title or work.original_title, synopsis=synopsis or "")
            continue
        loc.title = title or loc.title
        loc.synopsis = loc.synopsis if synopsis is None else synopsis
        loc.save()
    if data.genres is not None:
        work.genres.set([Genre.objects.get_or_create(slug=g)[0] for g in data.genres])
    if data.ratings is not None:
        AgeRating.objects.filter(work=work).delete()
        for territory, system, value in data.ratings:
            system, value, minimum_age = normalise_rating(system, value)
            AgeRating.objects.create(work=work, territory=normalise_country(territory), system=system, value=value, minimum_age=minimum_age)
    for namespace, value in (data.identifiers or {}).items():
        Identifier.objects.update_or_create(work=work, namespace=namespace, defaults={"value": value})


def save_work(
    owner, data: WorkInput, *, actor=None, pending_parents: dict[str, Work] | None = None, reindex: bool = True
) -> tuple[Work, bool]:
    """Create or update (by `ref`) one work of `owner`. Returns (work, created).

    `pending_parents` lets a batch refer to parents created earlier in the same batch;
    `reindex=False` lets a batch index all its works at once at the end.
    """
    problems = validate(data)
    if problems:
        raise InvalidInput(f"work '{data.ref}': " + "; ".join(f"{k}: {v}" for k, v in problems.items()), details=problems)
    with transaction.atomic():
        work = Work.objects.filter(owner=owner, ref=data.ref.strip()).first()
        created = work is None
        work = work or Work(owner=owner, ref=data.ref.strip())
        parent_before = work.parent_id
        work.parent = _resolve_parent(owner, data, pending_parents) or work.parent
        apply_fields(work, data)
        work.save()
        _apply_related(work, data)
        if not created and (data.ratings is not None or work.parent_id != parent_before):
            works_changed.send(sender=Work, works={work.pk})  # what it may be shown to, or whose rights it inherits
        audit.record("work.created" if created else "work.updated", actor=actor, organisation=owner, obj=work, ref=work.ref)
        if reindex:
            search.index_works([work.pk])
    return work, created


@transaction.atomic
def set_listed(actor, work: Work, listed: bool) -> Work:
    work.is_listed = listed
    work.save(update_fields=["is_listed", "updated_at"])
    audit.record("work.listed" if listed else "work.unlisted", actor=actor, obj=work)
    search.index_works([work.pk])  # the index carries the listing, for tenancy inside the index
    return work


@transaction.atomic
def delete_work(actor, work: Work) -> None:
    """Refused (409) while the rights ledger, an offer or a deal names the work: those records
    protect it (on_delete=PROTECT), and the refusal must not leave an audit event behind."""
    try:
        with transaction.atomic():
            audit.record("work.deleted", actor=actor, obj=work, ref=work.ref)
            work.delete()
    except ProtectedError:
        raise Conflict(
            _("%(ref)s cannot be deleted: rights, offers or deals name it.") % {"ref": work.ref},
            details=[{"work": work.pk, "reason": "referenced"}],
        ) from None


def set_credits(work: Work, credits) -> None:
    """Replace a work's credits with `credits` (objects with role, name, names, character, order).

    People are shared by every catalogue, so an import never edits one: a person is reused only
    when both the name and every localised spelling are the same, otherwise a new one is made."""
    from kinomost.catalog.models import Credit, Person

    Credit.objects.filter(work=work).delete()
    people: dict[tuple, Person] = {}
    for credit in credits:
        names = {normalise_tag(k): v for k, v in (credit.names or {}).items() if v}
        key = (credit.name, tuple(sorted(names.items())))
        person = people.get(key) or next((p for p in Person.objects.filter(name=credit.name) if p.names == names), None)
        person = person or Person.objects.create(name=credit.name, names=names)
        people[key] = person
        Credit.objects.create(work=work, person=person, role=credit.role, character=credit.character or "", order=credit.order)
