"""EMA avails → the rights ledger (docs/avails.md, "Into the ledger").

An avail file is imported by one organisation, which is either the licensor of its rows
(DisplayName names it: the rows are grants it made, checked by the grant rules) or the licensee
(the rows are rights it received: its holdings, from a licensor named in the file). Rows that
differ only in format profile or price are one right and become one term; everything the ledger
has no column for is kept on the term (`Term.avail`) so an export gives the same rows back.
A file with any bad row, or any row the ledger refuses, changes nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from operator import attrgetter
from dataclasses import MISSING, dataclass, field, fields
from io import BytesIO
from typing import TYPE_CHECKING, Callable

from django.db import transaction

from kinomost.catalog.io.title_matching import TitleMatcher
from kinomost.core import collector, periods, spreadsheets
from kinomost.core.errors import Conflict, ImportRejected, InvalidInput, NotFound
from kinomost.parties.models import Organisation
from kinomost.parties.roles import WRITE_CATALOGUE
from kinomost.rights import ledger
from kinomost.rights.avails.export import derived_content_id
from kinomost.rights.avails.model import AvailRow, AvailsFile
from kinomost.rights.avails.xlsx import read_xlsx
from kinomost.rights.avails.xml import read_xml
from kinomost.rights.models import AtomKind, ContractKind, LanguageUse, Term

if TYPE_CHECKING:
    from kinomost.catalog.models import Work

#: LicenseType → media leaf of core.media. VOD is the standard name for transactional VOD.
MEDIA_OF_LICENSE = {
    "EST": "est",
    "POEST": "poest",
    "VOD": "tvod",
    "TVOD": "tvod",
    "SVOD": "svod",
    "AVOD": "avod",
    "FVOD": "fvod",
    "Pre-Release": "pvod",
}
#: Fields that make two rows the same right; rows equal on these merge into one term.
RIGHT_FIELDS = (
    "licensor",
    "licensee",
    "work_type",
    "alid",
    "content_id",
    "series_content_id",
    "season_content_id",
    "season_number",
    "episode_number",
    "volume_number",
    "territory",
    "territory_exclusions",
    "license_type",
    "start",
    "start_condition",
    "start_lag",
    "end",
    "end_condition",
    "end_lag",
    "exclusive",
    "contract_id",
)
_EXCLUSIVE = RIGHT_FIELDS.index("exclusive")
_CONTENT_ID = RIGHT_FIELDS.index("content_id")
WITHDRAWALS = ("Delete", "Full Delete")
#: LocalizationType → the uses of a language it allows; blank and "any" allow every use.
USES_OF_LOCALIZATION = {
    "sub": (LanguageUse.SUBTITLED.value,),
    "dub": (LanguageUse.DUBBED.value,),
    "subdub": (LanguageUse.DUBBED.value, LanguageUse.SUBTITLED.value),
}
EVERY_USE = tuple(LanguageUse.values)
_MOMENTS = ("start", "end", "suppression_lift_date")
_TUPLES = ("territory_exclusions", "allowed_languages")
_ROW_DEFAULTS = [(f.name, f.default if f.default is not MISSING else None) for f in fields(AvailRow) if f.name != "source"]
EXTERNAL_PREFIX = "avails:"


@dataclass
class AvailsImport:
    """What an import did: counts a person can check against the file, and what it skipped."""

    rows: int = 0
    role: str = ""  # "licensor" (grants made) or "licensee" (holdings received)
    terms_created: int = 0
    terms_already_recorded: int = 0
    rows_skipped: int = 0
    works_created: int = 0
    works_matched: int = 0
    warnings: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            k: getattr(self, k)
            for k in (
                "rows",
                "role",
                "terms_created",
                "terms_already_recorded",
                "rows_skipped",
                "works_created",
                "works_matched",
                "warnings",
            )
        }


def read_avails(data: bytes, filename: str = "") -> AvailsFile:
    """A spreadsheet (a zip: starts with PK) or XML, whatever the file is called; either within the
    import limits (core.spreadsheets)."""
    spreadsheets.check_size(len(data))
    if data[:2] == b"PK" or filename.lower().endswith((".xlsx", ".xlsm")):
        return read_xlsx(BytesIO(data))
    return read_xml(BytesIO(data))


@collector.paused()
def import_avails(
    actor_or_org, data: bytes, filename: str = "", *, licensee: Organisation | None = None, progress: Callable[[int], None] | None = None
) -> AvailsImport:
    """Read, check and record a whole avails file, or raise ImportRejected listing every problem.
    The cyclic garbage collector waits until the end (core.collector: it was a fifth of the time)."""
    if isinstance(actor_or_org, Organisation):
        org = actor_or_org
    else:
        actor_or_org.require(WRITE_CATALOGUE, "import avails")
        org = actor_or_org.organisation
    parsed = read_avails(data, filename)
    result = AvailsImport(rows=len(parsed.rows), warnings=list(parsed.warnings))
    if progress:
        progress(len(parsed.rows) // 2)
    rows = _recordable(parsed.rows, result)
    as_licensor = [r for r in rows if _names(r.licensor, org)]
    if as_licensor and len(as_licensor) != len(rows):
        raise ImportRejected(
            "A file is either this organisation's own avails or avails it received, not both.",
            problems=[_problem(rows[0].source, "DisplayName", "the file mixes this organisation and others as licensor")],
        )
    result.role = "licensor" if as_licensor else "licensee"
    if result.role == "licensor" and licensee is None:
        raise ImportRejected(
            "These are this organisation's own avails: say which organisation they license to (--licensee).",
            problems=[_problem(rows[0].source, "Licensee", "the licensee organisation is required")],
        )
    if result.role == "licensee" and licensee is not None:
        result.warnings.append(
            _problem(
                rows[0].source if rows else "",
                "Licensee",
                f"these are {rows[0].licensor if rows else 'another licensor'}'s avails: they are recorded as your holdings and the licensee given is not used",
            )
        )
    if licensee is not None and licensee.pk == org.pk:
        raise ImportRejected(
            "An organisation cannot license rights to itself.",
            problems=[_problem(rows[0].source if rows else "", "Licensee", "the licensee is the importer")],
        )
    skipped: list[dict] = []
    windows = _resolve_windows(rows, skipped)
    result.warnings += skipped
    result.rows_skipped += len(skipped)
    groups = _merge([r for r in rows if id(r) in windows], windows)
    with transaction.atomic():
        kind = AtomKind.GRANT if result.role == "licensor" else AtomKind.HOLDING
        fresh = _not_yet_recorded(org, kind, licensee, groups, result)
        matcher = TitleMatcher(org, actor_or_org, source=filename, problem=_problem)
        works = matcher.resolve([g.rows[0] for g in fresh])
        result.works_created, result.works_matched = matcher.counts(works)
        records = [g.record(works[id(g.rows[0])]) for g in fresh]
        try:
            created = ledger.record_terms(actor_or_org, kind, records, licensee=licensee, source=filename)
        except (InvalidInput, NotFound, Conflict) as exc:
            raise ImportRejected(exc.message, problems=_ledger_problems(exc, groups)) from exc
        result.terms_created = len(created)
    if progress:
        progress(len(parsed.rows) - len(parsed.rows) // 2)
    return result


# ---------------------------------------------------------------- rows → rights


def _names(display_name: str, org: Organisation) -> bool:
    name = (display_name or "").strip().casefold()
    return name in (org.name.casefold(), org.slug.casefold())


def _recordable(rows: list[AvailRow], result: AvailsImport) -> list[AvailRow]:
    """Rows that state a right in time. Withdrawals and windows hanging on an undated event are
    skipped with a warning; a license type with no medium refuses the file."""
    keep, problems = [], []
    for row in rows:
        if row.entry_type in WITHDRAWALS:
            result.warnings.append(
                _problem(
                    row.source, "EntryType", f"{row.entry_type}: a withdrawal is not applied to the ledger; terminate the contract instead"
                )
            )
        elif row.start is None:
            result.warnings.append(
                _problem(
                    row.source, "Start", f"Start {row.start_condition} has no date yet: the row is not recorded until it is sent with one"
                )
            )
        elif row.end is None and row.end_condition not in ("Open", "ESTStart"):
            result.warnings.append(
                _problem(row.source, "End", f"End {row.end_condition} has no date yet: the row is not recorded until it is sent with one")
            )
        elif row.license_type not in MEDIA_OF_LICENSE:
            problems.append(
                _problem(
                    row.source,
                    "LicenseType",
                    f"license type {row.license_type} names no medium; send EST, POEST, VOD, TVOD, SVOD, AVOD or FVOD",
                )
            )
        else:
            keep.append(row)
    if problems:
        raise ImportRejected(f"{len(problems)} row(s) cannot be recorded; nothing was imported", problems=problems)
    result.rows_skipped = len(rows) - len(keep)
    return keep


def _resolve_windows(rows: list[AvailRow], skipped: list[dict]) -> dict[int, tuple[dt.date, dt.date | None]]:
    """Each row's window as dates. End = ESTStart closes a pre-order when the EST window of the same
    title and territory opens; without that row in the file the end has no date yet (skipped)."""
    est_start: dict[tuple, dt.date] = {}
    for row in rows:
        if row.license_type == "EST":
            key = (row.alid, row.territory)
            est_start[key] = min(est_start.get(key, _day(row.start)), _day(row.start))
    windows, problems = {}, []
    for row in rows:
        start = _day(row.start)
        if row.end is not None:
            end = (
                _day(row.end)
                if not isinstance(row.end, dt.datetime) or row.end.time() == dt.time(0)
                else _day(row.end) + dt.timedelta(days=1)
            )
        elif row.end_condition == "ESTStart":
            end = est_start.get((row.alid, row.territory))
            if end is None:
                skipped.append(
                    _problem(
                        row.source,
                        "End",
                        "End ESTStart: the file has no EST window of this title and territory, so the pre-order has no end date yet; the row is not recorded until it is sent with one",
                    )
                )
                continue
        else:
            end = None
        if periods.is_empty(start, end):
            problems.append(_problem(row.source, "End", f"the window {start} – {end} is empty"))
            continue
        windows[id(row)] = (start, end)
    if problems:
        raise ImportRejected(f"{len(problems)} row(s) have no window the ledger can record; nothing was imported", problems=problems)
    return windows


def _day(moment) -> dt.date:
    """The ledger keeps days: a date-time counts from its own calendar day (the exact moment is
    kept on the term for export)."""
    return moment.date() if isinstance(moment, dt.datetime) else moment


@dataclass
class _Group:
    """Rows that state one right (they differ in format profile, price or descriptive fields)."""

    rows: list[AvailRow]
    window: tuple[dt.date, dt.date | None]
    key: str

    def record(self, work: Work) -> ledger.TermRecord:
        row = self.rows[0]
        contract_ref = row.contract_id or f"Avails {row.licensor}"
        return ledger.TermRecord(
            term=ledger.TermInput(
                works=[work],
                territories=[row.territory],
                territories_excluded=list(row.territory_exclusions),
                media=[MEDIA_OF_LICENSE[row.license_type]],
                start=self.window[0],
                end=self.window[1],
                exclusive=bool(row.exclusive),
                sublicensable=False,
                languages=term_languages(self.rows),
            ),
            contract=ledger.ContractInput(
                reference=contract_ref[:100],
                counterparty_name=row.licensor[:200],
                external_ref=f"{EXTERNAL_PREFIX}{row.licensor}:{row.contract_id or '-'}"[:200],
            ),
            label=row.source,
            avail={"key": self.key, "rows": _rows_json(self.rows)},
        )


def term_languages(rows: list[AvailRow]) -> list[dict]:
    """The languages one right names in the ledger (docs/avails.md, "Languages"): the union of
    its rows' languages, or none (every language) as soon as one row allows every language."""
    pairs: dict[tuple[str, str], None] = {}
    for row in rows:
        mine = row_languages(row)
        if not mine:
            return []
        pairs.update(dict.fromkeys(mine))
    return [{"language": tag, "use": use} for tag, use in pairs]


def row_languages(row: AvailRow) -> list[tuple[str, str]]:
    """(language, use) pairs one row allows; empty for every language.

    AllowedLanguages lists the only languages the licensee may publish (blank: all of them);
    without it, a row that names a LocalizationType is the localised version of its
    AssetLanguage (the TV templates' way). LocalizationType says the uses; without one every use.
    AssetLanguage alone describes the asset and restricts nothing."""
    uses = USES_OF_LOCALIZATION.get(row.localization_type, EVERY_USE)
    if row.allowed_languages:
        tags = row.allowed_languages
    elif row.localization_type and row.asset_language:
        tags = (row.asset_language,)
    else:
        return []
    return [(tag, use) for tag in tags for use in uses]


def _merge(rows: list[AvailRow], windows: dict) -> list[_Group]:
    groups: dict[tuple, _Group] = {}
    right_of = attrgetter(*RIGHT_FIELDS[:_EXCLUSIVE], *RIGHT_FIELDS[_EXCLUSIVE + 1 :])
    for row in rows:
        values = (*right_of(row), bool(row.exclusive))  # Exclusive blank and No: the same right, last
        if row.content_id is not None and row.content_id == derived_content_id(row.alid):
            # the XML writer's stand-in for a missing content ID says nothing the ALID does not:
            # our own export of a row without one is the same right when it comes back
            values = (*values[:_CONTENT_ID], None, *values[_CONTENT_ID + 1 :])
        group = groups.get(values)
        if group is None:
            groups[values] = _Group([row], windows[id(row)], _right_key(values))
        else:
            group.rows.append(row)
    return list(groups.values())


def _right_key(values: tuple) -> str:
    """A stable name for one right (Exclusive blank and No are the same right); a letter first,
    so that a database never reads it back as a JSON number."""
    return "r" + hashlib.sha1(repr(values).encode()).hexdigest()[:20]


def _not_yet_recorded(org, kind, licensee, groups: list[_Group], result: AvailsImport) -> list[_Group]:
    """Re-importing a file changes nothing: an avail whose key is already on one of this side's
    avails contracts is recognised and left as it is."""
    terms = Term.objects.filter(kind=kind, contract__external_ref__startswith=EXTERNAL_PREFIX)
    if kind == AtomKind.HOLDING:
        terms = terms.filter(contract__kind=ContractKind.ACQUISITION, contract__licensee=org)
    else:
        terms = terms.filter(contract__licensor=org, contract__licensee=licensee)
    known = set(terms.values_list("avail__key", flat=True))
    fresh = [g for g in groups if g.key not in known]
    result.terms_already_recorded = len(groups) - len(fresh)
    return fresh


def _ledger_problems(exc, groups: list[_Group]) -> list[dict]:
    """The ledger's refusal, one entry per row named (a conflict names the blocking contract)."""
    sources = {g.rows[0].source: [r.source for r in g.rows] for g in groups}
    details = exc.details or [{"row": "", "message": exc.message}]
    problems = []
    for d in details:
        message = d.get("message") or _conflict_text(d)
        for source in sources.get(d.get("row"), [d.get("row", "")]):
            problems.append(_problem(source, d.get("field", ""), message))
    return list({(p.get("sheet"), p.get("row"), p.get("path"), p["message"]): p for p in problems}.values())


_REASONS = {"missing_holding": "not held with the right to sublicense", "conflicting_grant": "already granted", "holdback": "held back"}


def _conflict_text(d: dict) -> str:
    text = f"{d.get('territory')}, {d.get('media')}, {d.get('window')}: {_REASONS.get(d.get('reason'), d.get('reason'))}"
    if d.get("contract"):
        text += f" (contract {d['contract']}" + (f" to {d['licensee']})" if d.get("licensee") else ")")
    return text


def _problem(source: str, column: str, message: str) -> dict:
    """Same shape as the readers' problems: a sheet row and column, or an XML path and field."""
    if "!" in source and not source.startswith("/"):
        sheet, _, number = source.rpartition("!")
        return {"sheet": sheet, "row": int(number) if number.isdigit() else number, "column": column, "message": message}
    return {"path": source, "field": column, "message": message}


# ---------------------------------------------------------------- rows ↔ JSON kept on the term


_ROW_NAMES = tuple(name for name, _ in _ROW_DEFAULTS)
_ROW_VALUES = attrgetter(*_ROW_NAMES)
_ROW_DEFAULT_VALUES = tuple(default for _, default in _ROW_DEFAULTS)


def row_to_json(row: AvailRow) -> dict:
    """Only the fields that differ from their default, in JSON types (dates as ISO text)."""
    return {
        name: _json_value(value)
        for name, default, value in zip(_ROW_NAMES, _ROW_DEFAULT_VALUES, _ROW_VALUES(row))
        if value is not None and value != default
    }


def _json_value(value):
    kind = value.__class__
    if kind is str or kind is int or kind is bool:
        return value
    if kind is tuple:
        return [list(v) if v.__class__ is tuple else v for v in value]
    if kind is dt.timedelta:
        return value.total_seconds()
    return value.isoformat()


def _rows_json(rows: list[AvailRow]) -> list[dict]:
    """The first row whole; the others (other formats of the same right) as what differs from it,
    a null standing for a field the first row has and this one lacks. Fields are compared as
    values (one field's values all have one JSON spelling each), so only what differs is converted."""
    first_values = _ROW_VALUES(rows[0])
    out = [row_to_json(rows[0])]
    for row in rows[1:]:
        diff = {}
        for name, default, mine, theirs in zip(_ROW_NAMES, _ROW_DEFAULT_VALUES, _ROW_VALUES(row), first_values):
            if mine is theirs or (mine == theirs and mine.__class__ is not dt.datetime):  # 10:00Z == 11:00+01
                continue
            if mine is not None and mine != default:
                diff[name] = _json_value(mine)
            elif theirs is not None and theirs != default:
                diff[name] = None
        out.append(diff)
    return out


def kept_rows(avail: dict) -> list[AvailRow]:
    """The rows an imported term was made of (see `_rows_json`)."""
    stored = avail.get("rows") or []
    if not stored:
        return []
    first = stored[0]
    return [row_from_json(first)] + [row_from_json({k: v for k, v in {**first, **diff}.items() if v is not None}) for diff in stored[1:]]


def row_from_json(data: dict) -> AvailRow:
    values = dict(data)
    for name in _MOMENTS:
        if name in values:
            text = values[name]
            values[name] = dt.datetime.fromisoformat(text) if "T" in text else dt.date.fromisoformat(text)
    if "runtime" in values:
        values["runtime"] = dt.timedelta(seconds=values["runtime"])
    for name in _TUPLES:
        if name in values:
            values[name] = tuple(values[name])
    if "terms" in values:
        values["terms"] = tuple(tuple(t) for t in values["terms"])
    return AvailRow(**values)
