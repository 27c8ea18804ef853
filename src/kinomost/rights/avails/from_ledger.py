"""The rights ledger → EMA avails rows (docs/avails.md, "Out of the ledger").

Rows are rebuilt from terms. A term that came from an avails import keeps the rows it was made
of (`Term.avail["rows"]`), so an export gives those rows back — the window cut short if the
term was terminated since. A term recorded any other way is written one row per work, territory
and VOD medium the term covers (media with no avails license type, such as theatrical, are left
out), in HD, with the price type NA where the template requires a price.
"""

from __future__ import annotations

import dataclasses
import itertools
from io import BytesIO
from typing import TYPE_CHECKING

from django.db.models import Prefetch, Q
from django.utils.translation import gettext

from kinomost.catalog import selectors as catalog
from kinomost.core import periods, territories
from kinomost.core import media as media_taxonomy
from kinomost.core.errors import InvalidInput
from kinomost.parties.models import Organisation
from kinomost.rights.avails.export import SchemaNotes, derived_content_id, write_xlsx, write_xml
from kinomost.rights.avails.model import AvailRow
from kinomost.rights.avails.records import USES_OF_LOCALIZATION, kept_rows
from kinomost.rights.models import AtomKind, ContractKind, LanguageUse, Term

if TYPE_CHECKING:
    from kinomost.catalog.models import Work

LICENSE_OF_MEDIA = {"est": "EST", "poest": "POEST", "tvod": "TVOD", "svod": "SVOD", "avod": "AVOD", "fvod": "FVOD", "pvod": "Pre-Release"}
WORK_TYPE_OF_KIND = {"short": "Short", "series": "Series", "season": "Season", "episode": "Episode"}
LOCALIZATION_OF_USES = {frozenset(uses): localization for localization, uses in USES_OF_LOCALIZATION.items()}
FORMATS = {"xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"), "xml": ("application/xml", "xml")}


@dataclasses.dataclass
class AvailsExport:
    """The file, and what the XML writer had to fill in for the schema (`export.SchemaNotes`:
    field, count, message), which the CLI, the API and the page show."""

    data: bytes
    notes: list[dict]
    rows: int


def export_avails(
    actor_or_org, fmt: str, *, licensee: Organisation | None = None, licensor: Organisation | str | None = None
) -> AvailsExport:
    """The file (xlsx or xml) of `avail_rows`. Nothing to export is refused (InvalidInput), in
    either format: an avails XML without an Avail is invalid, and an empty sheet says nothing."""
    if fmt not in FORMATS:
        raise InvalidInput(f"unknown format '{fmt}'; use xlsx or xml", details={"format": "xlsx or xml"})
    notes = SchemaNotes()
    rows = avail_rows(actor_or_org, licensee=licensee, licensor=licensor, notes=notes)
    if not rows:
        counterparty = licensee.name if licensee is not None else getattr(licensor, "name", licensor)
        raise InvalidInput(
            gettext("There is nothing to export: no rights between you and %(counterparty)s can be written as avails.")
            % {"counterparty": counterparty},
            details={"licensee" if licensee is not None else "licensor": "no avails"},
        )
    out = BytesIO()
    if fmt == "xlsx":
        write_xlsx(rows, out)
        return AvailsExport(out.getvalue(), [], len(rows))
    write_xml(rows, out, notes)
    return AvailsExport(out.getvalue(), notes.as_list(), len(rows))


def avail_rows(
    actor_or_org, *, licensee: Organisation | None = None, licensor: Organisation | str | None = None, notes: SchemaNotes | None = None
) -> list[AvailRow]:
    """As licensor: the organisation's grants to `licensee`. As licensee: what it received from
    `licensor` — grants from that Kinomost organisation, or holdings acquired from a licensor of
    that name (an avails import). Nothing else is ever read, so tenancy holds by construction.
    `notes` collects what was derived for the XML schema (the content IDs of series and seasons)."""
    org = actor_or_org if isinstance(actor_or_org, Organisation) else actor_or_org.organisation
    if (licensee is None) == (licensor is None):
        raise InvalidInput(
            "Say either the licensee (your grants to it) or the licensor (what it granted you).", details={"licensee": "or licensor"}
        )
    terms = _terms(org, licensee, licensor)
    notes = notes if notes is not None else SchemaNotes()
    rows: list[AvailRow] = []
    for term in terms:
        rows += _rows_of(term, notes)
    return rows


def _terms(org: Organisation, licensee, licensor):
    qs = Term.objects.select_related("contract", "contract__licensor", "contract__licensee")
    if licensee is not None:
        qs = qs.filter(kind=AtomKind.GRANT, contract__licensor=org, contract__licensee=licensee)
    elif isinstance(licensor, Organisation):
        qs = qs.filter(kind=AtomKind.GRANT, contract__licensor=licensor, contract__licensee=org)
    else:
        name = str(licensor).strip()
        received = Q(kind=AtomKind.GRANT, contract__licensee=org, contract__licensor__name__iexact=name)
        held = Q(
            kind=AtomKind.HOLDING,
            contract__kind=ContractKind.ACQUISITION,
            contract__licensee=org,
            contract__licensor__isnull=True,
            contract__licensor_name__iexact=name,
        )
        qs = qs.filter(received | held)
    return qs.prefetch_related(Prefetch("works", queryset=catalog.with_family_identifiers())).order_by("id")


def _licensor_name(term: Term) -> str:
    contract = term.contract
    return contract.licensor.name if contract.licensor_id else contract.licensor_name


def _rows_of(term: Term, notes: SchemaNotes) -> list[AvailRow]:
    if term.ends_early_on is not None and term.ends_early_on <= term.start:
        return []  # terminated before it began: nothing was ever available
    kept = kept_rows(term.avail) if isinstance(term.avail, dict) else []
    if kept:
        return [_cut(row, term) for row in kept]
    return _rows_from_term(term, notes)


def _cut(row: AvailRow, term: Term) -> AvailRow:
    """A terminated term ends early: its rows end on the termination date."""
    end = periods.earlier_end(term.end, term.ends_early_on)
    if end != term.end:
        return dataclasses.replace(row, end=end, end_condition=None, end_lag=None)
    return row


def _rows_from_term(term: Term, notes: SchemaNotes) -> list[AvailRow]:
    licensor = _licensor_name(term)
    licensee = term.contract.licensee.name if term.contract.licensee_id and term.kind == AtomKind.GRANT else None
    end = periods.earlier_end(term.end, term.ends_early_on)
    licenses = [LICENSE_OF_MEDIA[leaf] for leaf in media_taxonomy.expand(";".join(term.media)) if leaf in LICENSE_OF_MEDIA]
    excluded = tuple(territories.expand(";".join(term.territories_excluded))) if term.territories_excluded else ()
    rows = []
    for work in term.works.all():
        identity = _identity(work, notes)
        for territory in _territories(term.territories):
            for license_type, languages in itertools.product(licenses, _language_fields(term.languages)):
                rows.append(
                    AvailRow(
                        licensor=licensor,
                        licensee=licensee,
                        work_type=WORK_TYPE_OF_KIND.get(work.kind, "Movie"),
                        territory=territory,
                        territory_exclusions=excluded,
                        license_type=license_type,
                        format_profile="HD",
                        start=term.start,
                        end=end,
                        end_condition=None if end else "Open",
                        exclusive=term.exclusive,
                        suppression_lift_date=term.start if license_type == "POEST" else None,
                        price_type=None if license_type in ("SVOD", "AVOD", "FVOD") else "NA",
                        price_value=None if license_type in ("SVOD", "AVOD", "FVOD") else "NA",
                        contract_id=term.contract.reference,
                        **languages,
                        **identity,
                    )
                )
    return rows


def _language_fields(languages: list[dict]) -> list[dict]:
    """AllowedLanguages and LocalizationType saying a term's languages: one row for each set of
    languages sharing their uses (an import merges them back into one term). A term naming no
    language says nothing (every language). LocalizationType cannot say "original" alone: a
    language whose uses include the original is written without one, which reads as every use."""
    if not languages:
        return [{}]
    uses_of: dict[str, set] = {}
    for entry in languages:
        uses_of.setdefault(entry["language"], set()).add(entry.get("use") or LanguageUse.ORIGINAL.value)
    tags_of: dict[frozenset, list[str]] = {}
    for tag, uses in uses_of.items():
        tags_of.setdefault(frozenset(uses), []).append(tag)
    return [{"allowed_languages": tuple(tags), "localization_type": LOCALIZATION_OF_USES.get(uses)} for uses, tags in tags_of.items()]


def _territories(codes: list[str]) -> list[str]:
    """Avails speak ISO countries and UN M.49 regions; other groups (CIS, EU) are listed country by country."""
    out = []
    for code in codes:
        upper = code.strip().upper()
        if upper in ("WORLD", "WW", "001"):
            out.append("001")
        elif upper.isdigit():
            out.append(upper)
        elif upper.isalpha() and not territories.is_group(upper):
            out.append(territories.normalise_country(upper))
        else:  # a named group, or an expression as written ("CIS; -UA")
            out += territories.expand(code)
    return list(dict.fromkeys(out))


def _identity(work: Work, notes: SchemaNotes) -> dict:
    """ALID, content IDs and titles of a work and the levels above it. A work without an `alid`
    identifier is named by its ref; one without a `content_id` gets none here (the XML writer
    derives it from the ALID, with a note), and its series and season, which the schema requires
    too, get theirs derived the same way from their own ALID or ref."""
    idents = _identifiers(work)
    alid = idents.get("alid") or work.ref
    out = {"alid": alid, "content_id": idents.get("content_id"), "title_id": work.eidr or None}
    if work.kind == "episode":
        season, series = work.parent, work.parent.parent if work.parent else None
        out.update(
            episode_title_alias=work.original_title,
            episode_number=work.number,
            season_number=season.number if season else None,
            series_title_alias=series.original_title if series else work.original_title,
            season_content_id=_parent_content_id(season, notes),
            series_content_id=_parent_content_id(series, notes),
        )
    elif work.kind == "season":
        out.update(
            season_number=work.number,
            series_title_alias=work.parent.original_title if work.parent else work.original_title,
            season_content_id=out["content_id"],
            series_content_id=_parent_content_id(work.parent, notes),
        )
    elif work.kind == "series":
        out.update(series_title_alias=work.original_title, series_content_id=out["content_id"])
    else:
        out.update(title_alias=work.original_title, release_year=work.year)
    return out


def _identifiers(work: Work) -> dict[str, str]:
    return {i.namespace: i.value for i in work.identifiers.all()}


def _parent_content_id(work: Work | None, notes: SchemaNotes) -> str | None:
    if work is None:
        return None
    idents = _identifiers(work)
    if idents.get("content_id"):
        return idents["content_id"]
    notes.add("SeriesContentID" if work.kind == "series" else "SeasonContentID", "parent_content_id")
    return derived_content_id(idents.get("alid") or work.ref)
