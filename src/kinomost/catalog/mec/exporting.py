"""Which works a caller may export as MEC, and the files: one per work, or a zip of an offer's.

Tenancy: an organisation exports its own works (any listing) and, for an offer's package, only
the works of the offer it may see (`selectors.visible_works`): its own and listed ones.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from kinomost.catalog.mec.writer import write_mec
from kinomost.catalog.models import AgeRating, Credit, Work
from kinomost.catalog.selectors import no_such_work, visible_works
from kinomost.core.errors import DomainError, NotFound

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def with_mec_fields(qs):
    """Everything the writer reads, in a fixed number of queries."""
    return (
        qs.select_related("owner", "parent", "parent__parent")
        .prefetch_related(
            "localizations",
            "genres",
            "identifiers",
            Prefetch("ratings", queryset=AgeRating.objects.order_by("territory")),
            Prefetch("credits", queryset=Credit.objects.select_related("person")),
        )
        .order_by("id")
    )


def mec_filename(work: Work) -> str:
    """`<ref>.mec.xml` with anything but letters, digits, dot, dash and underscore replaced, so
    a ref like `S-1/S2` names a file and never a folder."""
    return f"{_UNSAFE.sub('_', work.ref).strip('._') or work.pk}.mec.xml"


@dataclass
class MecExport:
    files: dict[str, bytes] = field(default_factory=dict)  # file name → MEC document
    skipped: list[dict] = field(default_factory=list)  # {"ref", "message"} of works MEC cannot describe


def _export(works) -> MecExport:
    out = MecExport()
    for work in works:
        try:
            data = write_mec(work)
        except DomainError as exc:
            out.skipped.append({"ref": work.ref, "message": exc.message})
            continue
        name = mec_filename(work)
        if name in out.files:
            name = f"{name[: -len('.mec.xml')]}-{work.pk}.mec.xml"
        out.files[name] = data
    return out


def export_mec(owner, refs: list[str] | None = None) -> MecExport:
    """The organisation's own works (all, or those named by `refs`) as MEC files. A ref the
    organisation has no work with is refused by name, never looked up in another catalogue."""
    works = Work.objects.filter(owner=owner)
    if refs:
        found = set(works.filter(ref__in=refs).values_list("ref", flat=True))
        missing = [ref for ref in refs if ref not in found]
        if missing:
            raise NotFound(_("No work with ref %(refs)s in this catalogue.") % {"refs": ", ".join(missing)}, details={"refs": missing})
        works = works.filter(ref__in=refs)
    return _export(with_mec_fields(works))


def work_mec(actor, work_id: int) -> tuple[str, bytes]:
    """One visible work's MEC file (name, bytes); NotFound for works the actor may not see."""
    work = with_mec_fields(visible_works(actor).filter(pk=work_id)).first()
    if work is None:
        raise no_such_work()
    return mec_filename(work), write_mec(work)


def offer_mec_zip(actor, offer) -> tuple[bytes, MecExport]:
    """ "Metadata for the buyer": a zip of the MEC files of the offer's works the actor may see
    (a recipient never gets an unlisted work of the sender this way), plus a README listing the
    works MEC could not describe."""
    works = with_mec_fields(visible_works(actor).filter(pk__in=offer.items.values("work_id")))
    export = _export(works)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in export.files.items():
            archive.writestr(name, data)
        if export.skipped:
            lines = [_("Works without a MEC file:")] + [f"{s['ref']}: {s['message']}" for s in export.skipped]
            archive.writestr("SKIPPED.txt", "\n".join(lines) + "\n")
    return buffer.getvalue(), export
