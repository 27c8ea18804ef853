"""Usage reported from platforms outside Kinomost: `kinomost royalties import-usage FILE --org SLUG`.

CSV columns `period` (YYYY-MM), `platform`, `work` (the licensor's work ref or EIDR), `territory`,
`media`, `views`, `seconds`, `receipts`, `currency`. The importer is the licensee (for its own
platforms) or the licensor (for a licensee outside Kinomost). Each row is attributed to the
licence that covers its work, territory and media in that month — a contract with commercial
terms the importer is party to — or refused. All or nothing, every bad row named; the same
file twice, or the same row in another file, changes nothing; a row that contradicts one
already imported is refused (a correction is a new row in a later month, not an edit)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from kinomost.catalog.io.reading import read_csv
from kinomost.catalog import selectors as catalog
from kinomost.core import media as media_taxonomy
from kinomost.core import money, territories
from kinomost.core.audit import record
from kinomost.core.errors import ImportRejected, InvalidInput
from kinomost.core.identifiers import normalise_eidr
from kinomost.parties.roles import REPORT_USAGE
from kinomost.rights import commercial
from kinomost.royalties import periods
from kinomost.royalties.models import UsageReport, UsageRow

COLUMNS = ("period", "platform", "work", "territory", "media", "views", "seconds", "receipts", "currency")
MAX_COUNT = 10**15  # views and seconds: bounded integers (BigIntegerField)


@dataclass(frozen=True)
class UsageImported:
    rows: int
    created: int
    unchanged: int
    already_imported: bool = False


def import_usage(actor, data: bytes, filename: str = "") -> UsageImported:
    actor.require(REPORT_USAGE, _("report usage"))
    org = actor.organisation
    digest = hashlib.sha256(data).hexdigest()
    previous = UsageReport.objects.filter(organisation=org, sha256=digest).first()
    if previous is not None:
        return UsageImported(previous.rows, 0, previous.rows, already_imported=True)
    header, rows = read_csv(data)
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise ImportRejected(
            _("The file lacks columns: %(columns)s") % {"columns": ", ".join(missing)},
            problems=[{"row": 1, "column": c, "message": _("missing column")} for c in missing],
        )
    problems: list[dict] = []
    parsed: dict[tuple, dict] = {}
    works = _works_named(org)
    for number, row in rows:
        try:
            item = _row(row, works)
            item["contract_id"] = _licence(org, item)
        except InvalidInput as exc:
            problems.append(
                {"row": number, "column": next((d["column"] for d in exc.details if "column" in d), ""), "message": exc.message}
            )
            continue
        key = _key(item)
        if key in parsed and _figures(parsed[key]) != _figures(item):
            problems.append({"row": number, "column": "", "message": _("the same usage is given twice with different figures")})
        parsed[key] = item
    if problems:
        raise ImportRejected(_("%(n)d bad rows: nothing was imported.") % {"n": len(problems)}, problems=problems)
    with transaction.atomic():
        existing = {
            _key(r): r
            for r in UsageRow.objects.filter(
                contract_id__in={i["contract_id"] for i in parsed.values()}, month__in={i["month"] for i in parsed.values()}
            )
        }
        clashes = [k for k, item in parsed.items() if k in existing and _figures(_stored(existing[k])) != _figures(item)]
        if clashes:
            raise ImportRejected(
                _("Usage already imported with other figures: nothing was imported."),
                problems=[
                    {
                        "row": None,
                        "column": "",
                        "message": _("%(month)s %(platform)s %(work)s %(territory)s %(media)s: already imported")
                        % {
                            "month": k[1].strftime("%Y-%m"),
                            "platform": k[2],
                            "work": parsed[k]["work_ref"],
                            "territory": k[4],
                            "media": k[5],
                        },
                    }
                    for k in clashes
                ],
            )
        report = UsageReport.objects.create(organisation=org, sha256=digest, filename=filename[:300], rows=len(parsed))
        new = [
            UsageRow(report=report, **{k: v for k, v in item.items() if k != "work_ref"}) for k, item in parsed.items() if k not in existing
        ]
        UsageRow.objects.bulk_create(new)
        record("royalties.usage_imported", actor=actor.user, organisation=org, obj=report, rows=len(parsed), created=len(new))
    return UsageImported(len(parsed), len(new), len(parsed) - len(new))


def _key(item) -> tuple:
    get = item.get if isinstance(item, dict) else lambda k: getattr(item, k)
    return (get("contract_id"), get("month"), get("platform"), get("work_id"), get("territory"), get("media"))


def _figures(item: dict) -> tuple:
    return (item["views"], item["seconds"], item["receipts"], item["currency"])


def _stored(row: UsageRow) -> dict:
    return {"views": row.views, "seconds": row.seconds, "receipts": row.receipts, "currency": row.currency}


def _row(row: dict, works: dict[str, int]) -> dict:
    def text(column: str) -> str:
        return (row.get(column) or "").strip()

    def fail(column: str, message: str):
        raise InvalidInput(message, details=[{"column": column}])

    try:
        month = periods.parse_month(text("period"))
    except InvalidInput as exc:
        fail("period", exc.message)
    platform = text("platform")
    if not platform or len(platform) > 200:
        fail("platform", _("a platform name of at most 200 characters is needed"))
    ref = text("work")
    work_id = works.get(ref) or works.get(_eidr(ref))
    if work_id is None:
        fail("work", _("no work '%(ref)s' under your licences (a work ref or EIDR)") % {"ref": ref})
    try:
        territory = territories.normalise_country(text("territory"))
    except Exception:
        fail("territory", _("'%(value)s' is not an ISO country code") % {"value": text("territory")})
    media = text("media").lower()
    if media not in media_taxonomy.LEAVES:
        fail("media", _("'%(value)s' is not one medium (e.g. svod)") % {"value": text("media")})
    counts = {}
    for column in ("views", "seconds"):
        value = text(column)
        if not value.isdigit() or int(value) >= MAX_COUNT:
            fail(column, _("a whole number from 0 is needed"))
        counts[column] = int(value)
    try:
        code = money.currency(text("currency"))
    except InvalidInput as exc:
        fail("currency", exc.message)
    try:
        receipts = money.amount(text("receipts"), field="receipts")
    except InvalidInput as exc:
        fail("receipts", exc.message)
    return {
        "month": month,
        "platform": platform,
        "work_id": work_id,
        "work_ref": ref,
        "territory": territory,
        "media": media,
        "views": counts["views"],
        "seconds": counts["seconds"],
        "receipts": receipts,
        "currency": code,
    }


def _eidr(value: str) -> str:
    try:
        return normalise_eidr(value)
    except Exception:
        return ""


def _works_named(org) -> dict[str, int]:
    """ref and EIDR → work id, for every work under a contract with commercial terms the
    organisation is party to (licensor or licensee)."""
    names: dict[str, int] = {}
    for wid, ref, eidr in catalog.refs_and_eidrs(commercial.work_ids_under_terms(org)):
        names.setdefault(ref, wid)
        if eidr:
            names.setdefault(eidr, wid)
    return names


def _licence(org, item: dict) -> int:
    """The contract (with commercial terms, the organisation a party) licensing this work, territory
    and media during the month: a licence out or in first, then any."""
    month: date = item["month"]
    end = periods.containing(month, "month").end
    found = commercial.licence_with_terms(org, item["work_id"], item["territory"], item["media"], month, end)
    if found is None:
        raise InvalidInput(
            _("no licence with commercial terms covers this work in %(territory)s for %(media)s in %(month)s")
            % {"territory": item["territory"], "media": item["media"], "month": month.strftime("%Y-%m")},
            details=[{"column": "work"}],
        )
    return found
