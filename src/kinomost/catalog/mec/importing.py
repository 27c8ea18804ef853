"""Importing MEC files into one organisation's catalogue: all files checked, then all written.

As the spreadsheet import does (catalog/io/importing.py), a batch with any bad file changes
nothing, and the refusal names every problem by file, element path and line. Works are created
or updated by ref (the ContentID's local part) in the caller's organisation only; a parent is
looked up in the same batch or in that organisation's catalogue, never in another's.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kinomost.catalog import search, services
from kinomost.catalog.mec.reader import MecWork, read_mec
from kinomost.catalog.models import PARENT_KIND, Work
from kinomost.core.errors import ImportRejected

MAX_FILES = 1000  # one batch; the CLI and API refuse more rather than hold them all in memory
KIND_ORDER = {"series": 0, "season": 1, "episode": 2}


@dataclass
class MecImportResult:
    files: int = 0
    created: int = 0
    updated: int = 0
    works: list[dict] = field(default_factory=list)  # {"ref", "id", "created"}


def _problem(work: MecWork, element: str, message: str) -> dict:
    return {"file": work.file, "element": element, "line": work.line, "message": message}


def _check_batch(works: list[MecWork], owner, problems: list[dict]) -> None:
    """Refs unique in the batch; every parent a work of the right kind in the batch or the catalogue."""
    seen: dict[str, MecWork] = {}
    for work in works:
        other = seen.setdefault(work.data.ref, work)
        if other is not work:
            problems.append(
                _problem(
                    work,
                    "/CoreMetadata/Basic/@ContentID",
                    _("Ref '%(ref)s' is also in %(file)s.") % {"ref": work.data.ref, "file": other.file},
                )
            )
    wanted = {w.data.parent_ref for w in works if w.data.parent_ref}
    existing = dict(Work.objects.filter(owner=owner, ref__in=wanted).values_list("ref", "kind"))
    in_batch = {w.data.ref: w.data.kind for w in works}
    for work in works:
        ref, expected = work.data.parent_ref, PARENT_KIND.get(work.data.kind)
        if not ref or not expected:
            continue
        kind = in_batch.get(ref, existing.get(ref))
        if kind is None:
            problems.append(
                _problem(
                    work,
                    "/CoreMetadata/Basic/Parent",
                    _("No work with ref '%(ref)s' in these files or in the catalogue to be the parent.") % {"ref": ref},
                )
            )
        elif kind != expected:
            problems.append(
                _problem(
                    work,
                    "/CoreMetadata/Basic/Parent",
                    _("The parent of a %(kind)s must be a %(expected)s; '%(ref)s' is a %(actual)s.")
                    % {"kind": work.data.kind, "expected": expected, "ref": ref, "actual": kind},
                )
            )


def import_mec(files: list[tuple[str, bytes]], owner, *, actor=None, dry_run: bool = False, max_files: int = MAX_FILES) -> MecImportResult:
    """Read every file, then write every work (or, with `dry_run`, nothing). Raises
    ImportRejected listing every problem; nothing is written then."""
    if not files:
        raise ImportRejected(_("No MEC files were given."), problems=[])
    if len(files) > max_files:
        raise ImportRejected(_("At most %(limit)d MEC files at once.") % {"limit": max_files}, problems=[])
    works: list[MecWork] = []
    problems: list[dict] = []
    for name, data in files:
        read, found = read_mec(data, name)
        works += read
        problems += found
    _check_batch(works, owner, problems)
    if problems:
        bad = len({p["file"] for p in problems})
        message = ngettext(
            "%(count)d file has problems; nothing was imported.", "%(count)d files have problems; nothing was imported.", bad
        ) % {"count": bad}
        raise ImportRejected(message, problems=problems)
    result = MecImportResult(files=len(files))
    if dry_run:
        return result
    with transaction.atomic():
        pending: dict[str, Work] = {}
        for item in sorted(works, key=lambda w: KIND_ORDER.get(w.data.kind, 0)):
            work, created = services.save_work(owner, item.data, actor=actor, pending_parents=pending, reindex=False)
            if item.credits is not None:
                services.set_credits(work, item.credits)
            pending[work.ref] = work
            result.created += created
            result.updated += not created
            result.works.append({"ref": work.ref, "id": work.pk, "created": created})
        search.index_works([w["id"] for w in result.works])
    return result
