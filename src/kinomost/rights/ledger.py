"""Writes to the rights ledger: one function per business action, each one transaction.

Each action validates its input, checks the rules with the same selector users read
(`availability`), writes the term and its atoms, and records an audit event — all in one
`transaction.atomic()`, so a check and its insert can never be separated by another writer:
SQLite's IMMEDIATE transactions serialise writers; on PostgreSQL a transaction-level advisory
lock per licensor serialises its grants and the exclusion constraint is the last line of defence.
"""

from __future__ import annotations

import json
from functools import lru_cache
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Sequence

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.db.models import F, Max, Value
from django.db.models.functions import Greatest, Least

from kinomost.catalog import selectors as catalog
from kinomost.core import audit, periods, territories
from kinomost.core import media as media_taxonomy
from kinomost.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from kinomost.core.periods import Period
from kinomost.parties.models import Organisation
from kinomost.parties.roles import WRITE_CATALOGUE
from kinomost.rights import availability as avail
from kinomost.rights import commercial, language_pairs
from kinomost.rights.models import OPEN_END, AtomKind, Contract, ContractKind, RightAtom, Term
from kinomost.rights.signals import ledger_changed

if TYPE_CHECKING:
    from kinomost.catalog.models import Work

EXCLUSIVE_GRANT_CONSTRAINT = "rights_exclusive_grant_no_overlap"
_LOCK_NAMESPACE = 7301  # first key of pg_advisory_xact_lock(int, int): "rights ledger, per licensor"


@dataclass(frozen=True)
class TermInput:
    """A term as a user states it; groups (WORLD, vod) are expanded by the ledger."""

    works: Sequence[Work | int]
    territories: Sequence[str] | str
    media: Sequence[str] | str
    start: date | str
    end: date | str | None = None  # exclusive; None = open
    territories_excluded: Sequence[str] | str = ()
    languages: Sequence[dict | tuple] = ()  # {"language": "ru", "use": "dubbed"} or ("ru", "dubbed")
    exclusive: bool = False
    sublicensable: bool = False


@dataclass(frozen=True)
class ContractInput:
    reference: str
    signed_on: date | str | None = None
    external_ref: str = ""  # e.g. "exchange.deal:42"; the ledger never follows it
    counterparty_name: str = ""  # an acquisition's licensor outside Kinomost
    money: dict | None = None  # commercial terms, shaped by rights.commercial


@dataclass(frozen=True)
class _Prepared:
    works: list[Work]
    countries: list[str]
    leaves: list[str]
    period: Period
    languages: list[dict]
    term: TermInput


# ---------------------------------------------------------------- actions


def record_holding(actor_or_org, term: TermInput, *, contract: ContractInput, licensor: Organisation | None = None) -> Term:
    """Rights in from an acquisition: the organisation now holds them (and may sublicense them
    only if the term says so). Works must be the organisation's own or listed in the marketplace."""
    org, who = _who(actor_or_org)
    prepared = _prepare(term)
    _require_visible(org, prepared.works)
    with transaction.atomic():
        record = _contract(ContractKind.ACQUISITION, contract, licensor=licensor, licensee=org)
        created = _write(AtomKind.HOLDING, record, prepared, holder=org)
        _tell(prepared, org)
        audit.record("rights.holding_recorded", actor=who, organisation=org, obj=created, **_summary(record, prepared))
    return created


def grant(actor_or_org, licensee, term: TermInput, *, contract: ContractInput) -> Term:
    """Rights out: license `term` to `licensee`, or raise Conflict naming every blocking atom.

    Rule 1: the licensor must hold every cell sublicensably (exclusively, for an exclusive grant)
    for the whole window. Rule 2: no overlap with its own exclusive grants, nor — for an exclusive
    grant — with any of its grants. Rule 3: its holdbacks block their windows. Rule 4: check and
    insert are serialised, so of two racing requests exactly one wins.
    """
    org, who = _who(actor_or_org)
    receiver = _organisation(licensee, "licensee")
    if receiver.pk == org.pk:
        raise InvalidInput("An organisation cannot grant rights to itself.")
    prepared = _prepare(term)
    with transaction.atomic():
        _lock_licensor(org)
        _refuse_conflicts(org, prepared)
        record = _contract(ContractKind.LICENCE, contract, licensor=org, licensee=receiver)
        try:
            with transaction.atomic():
                created = _write(AtomKind.GRANT, record, prepared, holder=org, licensee=receiver)
        except IntegrityError as exc:
            if EXCLUSIVE_GRANT_CONSTRAINT not in str(exc):
                raise
            _refuse_conflicts(org, prepared)  # the winner is committed now: name it
            raise Conflict("Another exclusive grant of these rights was recorded at the same time.") from exc
        _tell(prepared, org, receiver)
        audit.record("rights.granted", actor=who, organisation=org, obj=created, licensee=receiver.pk, **_summary(record, prepared))
    return created


def record_holdback(actor_or_org, term: TermInput, *, contract: ContractInput, beneficiary: Organisation | None = None) -> Term:
    """A promise by the organisation not to exploit or license these cells in the window."""
    org, who = _who(actor_or_org)
    prepared = _prepare(term)
    with transaction.atomic():
        _lock_licensor(org)
        record = _contract(ContractKind.HOLDBACK, contract, licensor=org, licensee=beneficiary)
        created = _write(AtomKind.HOLDBACK, record, prepared, holder=org)
        _tell(prepared, org)
        audit.record("rights.holdback_recorded", actor=who, organisation=org, obj=created, **_summary(record, prepared))
    return created


def terminate(actor_or_org, target: Contract | Term, on_date: date | str) -> int:
    """End a term (or every term of a contract) on `on_date`: its atoms' effective end moves
    there, the rest of the window is free again, nothing is deleted. Returns the atoms shortened.
    Only the party whose position the rows describe (licensor of a grant, holder of a holding,
    party bound by a holdback) may terminate."""
    org, who = _who(actor_or_org)
    day = periods.parse_date(on_date)
    if day is None:
        raise InvalidInput("A termination needs a date.")
    terms = list(target.terms.all()) if isinstance(target, Contract) else [target]
    if not terms:
        raise InvalidInput("The contract has no terms to terminate.")
    with transaction.atomic():
        _lock_licensor(org)
        changed = 0
        for term in Term.objects.select_for_update().filter(pk__in=[t.pk for t in terms]):
            changed += _terminate_term(org, term, day)
        ends = RightAtom.objects.filter(term__in=[t.pk for t in terms])
        ledger_changed.send(
            sender=Term,
            organisations={org.pk} | set(ends.exclude(licensee=None).values_list("licensee_id", flat=True)),
            works=set(ends.values_list("work_id", flat=True)),
        )
        audit.record(
            "rights.terminated", actor=who, organisation=org, obj=terms[0], terms=[t.pk for t in terms], on=day.isoformat(), atoms=changed
        )
    return changed


@dataclass(frozen=True)
class TermRecord:
    """One term of a bulk write (`record_terms`): its own contract, the label a person knows it
    by (a spreadsheet row, an XML path) and any avail details to keep on the term."""

    term: TermInput
    contract: ContractInput
    label: str = ""
    avail: dict = field(default_factory=dict)


def record_terms(
    actor_or_org, kind: str, records: Sequence[TermRecord], *, licensee=None, counterparty: Organisation | None = None, source: str = ""
) -> list[int]:
    """Many holdings or grants at once (returns the new terms' ids, in the order given), all or nothing, under the same rules as
    `record_holding` and `grant`: one query for the works, one `availability` call per kind of
    exclusivity for the conflict check, bulk inserts, one audit event with counts. Per-term
    calls cost a dozen queries each — an avails file of 20,000 rows needs this path.

    Terms that name the same `ContractInput.external_ref` share one contract (an existing one
    with that reference is reused). Refusals name the record's `label`:
    `InvalidInput.details` / `Conflict.details` are lists of {"row", "field" or "reason", ...}.
    """
    if kind not in (AtomKind.HOLDING, AtomKind.GRANT):
        raise InvalidInput("Only holdings and grants are recorded in bulk.")
    org, who = _who(actor_or_org)
    receiver = _organisation(licensee, "licensee") if kind == AtomKind.GRANT else None
    if receiver is not None and receiver.pk == org.pk:
        raise InvalidInput("An organisation cannot grant rights to itself.")
    if not records:
        return []
    prepared = _prepare_batch(records)
    if kind == AtomKind.HOLDING:
        _require_visible_batch(org, records, prepared)
    with transaction.atomic():
        _lock_licensor(org)  # also keeps the new term ids contiguous per licensor (see _write_batch)
        if kind == AtomKind.GRANT:
            _refuse_batch_conflicts(org, records, prepared)
        try:
            with transaction.atomic():
                ids = _write_batch(kind, org, receiver, counterparty, records, prepared)
        except IntegrityError as exc:
            if EXCLUSIVE_GRANT_CONSTRAINT not in str(exc):
                raise
            _refuse_batch_conflicts(org, records, prepared)
            raise Conflict("Another exclusive grant of these rights was recorded at the same time.") from exc
        ledger_changed.send(
            sender=Term, organisations={org.pk} | ({receiver.pk} if receiver else set()), works={w.pk for p in prepared for w in p.works}
        )
        audit.record(
            "rights.holdings_recorded" if kind == AtomKind.HOLDING else "rights.granted_in_bulk",
            actor=who,
            organisation=org,
            obj=Term.objects.get(pk=ids[0]),
            licensee=receiver.pk if receiver else None,
            terms=len(ids),
            atoms=sum(len(p.works) * len(p.countries) * len(p.leaves) for p in prepared),
            source=source,
        )
    return ids


def _prepare_batch(records: Sequence[TermRecord]) -> list[_Prepared]:
    ids = {catalog.work_id(w) for r in records for w in r.term.works or []}
    known = catalog.by_ids(ids)
    cache: dict = {}
    prepared, problems = [], []
    for record in records:
        try:
            prepared.append(_prepare(record.term, known_works=known, cache=cache))
        except InvalidInput as exc:
            problems += [{"row": record.label, "field": name, "message": text} for name, text in exc.field_problems().items()]
    if problems:
        raise InvalidInput(_batch_message(problems, "have problems"), details=problems)
    return prepared


def _batch_message(problems: list[dict], what: str) -> str:
    rows = list(dict.fromkeys(p["row"] for p in problems))
    return f"{len(rows)} term(s) {what}, first {rows[0]}: {problems[0]['message']}; nothing was recorded."


def _require_visible_batch(org: Organisation, records, prepared: list[_Prepared]) -> None:
    problems = [
        {"row": record.label, "field": "works", "message": f"no such work: {w.pk}"}
        for record, p in zip(records, prepared)
        for w in p.works
        if not catalog.may_see(org, w)
    ]
    if problems:
        raise NotFound(_batch_message(problems, "name works this organisation cannot see"), details=problems)


def _refuse_batch_conflicts(org: Organisation, records, prepared: list[_Prepared]) -> None:
    """Every record checked against the ledger (one `availability` call per exclusivity and set
    of languages, over the span of all windows; each gap is then cut to the record's own window)
    and against the records before it in the batch."""
    details: list[dict] = []
    groups: dict[tuple, list] = {}
    for r, p in zip(records, prepared):
        groups.setdefault((not p.term.exclusive, _language_key(p.languages)), []).append((r, p))
    for key in sorted(groups, key=lambda k: k[0]):  # exclusive records first, then in order of appearance
        group = groups[key]
        details += _ledger_conflicts(org, group, group[0][1].term.exclusive)
    details += _conflicts_within(zip(records, prepared))
    if details:
        first = details[0]
        raise Conflict(f"{first['row']}: " + _conflict_message(details), details=details)


def _language_key(langs: list[dict]) -> tuple:
    return tuple(sorted((d["language"], d["use"]) for d in langs))


def _ledger_conflicts(org: Organisation, group, exclusive: bool) -> list[dict]:
    """One `availability` call for records sharing exclusivity and languages."""
    works = {w.pk: w for _, p in group for w in p.works}
    countries = sorted({c for _, p in group for c in p.countries})
    leaves = sorted({m for _, p in group for m in p.leaves})
    start = min(p.period.start for _, p in group)
    end = None if any(p.period.end is None for _, p in group) else max(p.period.end for _, p in group)
    result = avail.availability(org, list(works.values()), countries, leaves, Period(start, end), exclusive, group[0][1].languages)
    cells = {(wid, cell.territory, cell.media): cell for wid, found in result.items() for cell in found.problems()}
    details = []
    for record, p in group:
        for w in p.works:
            for c in p.countries:
                for m in p.leaves:
                    cell = cells.get((w.pk, c, m))
                    for gap in cell.gaps if cell else ():
                        part = gap.period.intersection(p.period)
                        if part is not None:
                            details.append(
                                {
                                    "row": record.label,
                                    "work": w.pk,
                                    "work_ref": w.ref,
                                    "territory": c,
                                    "media": m,
                                    **gap.as_dict(),
                                    "window": str(part),
                                }
                            )
    return details


def _conflicts_within(pairs) -> list[dict]:
    """Two records of one batch on the same cell may not overlap when either is exclusive."""
    seen: dict[tuple, list[tuple[str, _Prepared]]] = {}
    details = []
    for record, p in pairs:
        for w in p.works:
            for c in p.countries:
                for m in p.leaves:
                    earlier = seen.setdefault((w.pk, c, m), [])
                    for label, other in earlier:
                        part = other.period.intersection(p.period)
                        if part is not None and (other.term.exclusive or p.term.exclusive):
                            details.append(
                                {
                                    "row": record.label,
                                    "work": w.pk,
                                    "work_ref": w.ref,
                                    "territory": c,
                                    "media": m,
                                    "reason": avail.CONFLICTING_GRANT,
                                    "window": str(part),
                                    "atom": None,
                                    "on_work": w.pk,
                                    "contract": label,
                                    "licensee": "",
                                    "licensee_id": None,
                                    "exclusive": other.term.exclusive,
                                }
                            )
                    earlier.append((record.label, p))
    return details


def _write_batch(kind: str, org: Organisation, receiver, counterparty, records, prepared: list[_Prepared]) -> list[int]:
    """Terms, work links and atoms inserted with plain `executemany`: every value is already
    checked and normalised by `_prepare`, and Django's per-field preparation of bulk_create was
    most of an avails import's time (docs/avails.md, Speed). Returns the new term ids in order.
    The caller holds the licensor's lock, so the new terms are the ones above the old maximum."""
    contracts = _batch_contracts(kind, org, receiver, counterparty, records)
    now = timezone.now()
    pg = connection.vendor == "postgresql"
    term_rows = []
    for r, p in zip(records, prepared):
        t = p.term
        term_rows.append(
            (
                contracts[r.contract.external_ref or r.contract.reference].pk,
                kind,
                _json(_as_list(t.territories)),
                _json(_as_list(t.territories_excluded)),
                _json(_as_list(t.media)),
                _json(p.languages),
                p.period.start,
                p.period.end,
                None,
                t.exclusive,
                t.sublicensable,
                _json(r.avail),
                now,
            )
        )
    contract_ids = sorted({row[0] for row in term_rows})
    json_mark = "%s::jsonb" if pg else "%s"
    with connection.cursor() as cursor:
        before = Term.objects.aggregate(top=Max("id"))["top"] or 0
        cursor.executemany(
            f'INSERT INTO {Term._meta.db_table} (contract_id, kind, territories, territories_excluded, media, languages, start, "end", '
            f"ends_early_on, exclusive, sublicensable, avail, created_at) VALUES (%s, %s, {json_mark}, {json_mark}, {json_mark}, "
            f"{json_mark}, %s, %s, %s, %s, %s, {json_mark}, %s)",
            term_rows,
        )
        ids = list(Term.objects.filter(contract_id__in=contract_ids, id__gt=before).order_by("id").values_list("id", flat=True))
        through = Term.works.through._meta.db_table
        cursor.executemany(
            f"INSERT INTO {through} (term_id, work_id) VALUES (%s, %s)", [(tid, w.pk) for tid, p in zip(ids, prepared) for w in p.works]
        )
        _insert_atoms(cursor, _atom_rows(kind, org, receiver, ids, term_rows, prepared))
    return ids


def _insert_atoms(cursor, rows: list[tuple]) -> None:
    """The atoms of one term or of a batch, by plain `executemany`: a world holding of one film
    is ~6,500 atoms, and bulk_create's per-field preparation cost ~0.8 s of CPU for it (5–10×
    this insert). Errors are Django's (IntegrityError for the exclusion constraint): the cursor is
    Django's wrapper."""
    cursor.executemany(
        f'INSERT INTO {RightAtom._meta.db_table} (kind, work_id, territory, media, start, "end", ends_early_on, effective_end, '
        "holder_id, licensee_id, exclusive, sublicensable, term_id, contract_id) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
        rows,
    )


def _atom_rows(kind: str, org: Organisation, receiver, ids: list[int], term_rows: list[tuple], prepared: list[_Prepared]) -> list[tuple]:
    """One row per (work, country, leaf) of each term; what is the same for a whole term is read once."""
    licensee_id = receiver.pk if receiver else None
    holder_id = org.pk
    rows: list[tuple] = []
    append = rows.append
    for tid, row, p in zip(ids, term_rows, prepared):
        start, end = p.period.start, p.period.end or OPEN_END
        exclusive, sublicensable, contract_id = p.term.exclusive, p.term.sublicensable, row[0]
        for w in p.works:
            work_id = w.pk
            for c in p.countries:
                for m in p.leaves:
                    append((kind, work_id, c, m, start, end, None, end, holder_id, licensee_id, exclusive, sublicensable, tid, contract_id))
    return rows


def _json(value) -> str:
    if value.__class__ is list and len(value) <= 4 and all(v.__class__ is str for v in value):
        return _small_json(tuple(value))  # territories and media repeat across a batch
    return _encode(value)


# One encoder for every term of a batch: json.dumps with any option builds a new one per call.
_encode = json.JSONEncoder(ensure_ascii=False, check_circular=False).encode


@lru_cache(maxsize=4096)
def _small_json(values: tuple) -> str:
    return _encode(list(values))


def _batch_contracts(kind: str, org: Organisation, receiver, counterparty, records) -> dict[str, Contract]:
    """One contract per external reference (or per reference when there is none); existing
    contracts of the same side with that external reference are reused."""
    contract_kind = ContractKind.ACQUISITION if kind == AtomKind.HOLDING else ContractKind.LICENCE
    licensor, licensee = (counterparty, org) if kind == AtomKind.HOLDING else (org, receiver)
    wanted: dict[str, ContractInput] = {}
    for r in records:
        wanted.setdefault(r.contract.external_ref or r.contract.reference, r.contract)
    refs = [k for k, data in wanted.items() if data.external_ref]
    side = {"licensee": licensee} if kind == AtomKind.HOLDING else {"licensor": licensor, "licensee": licensee}
    found = {c.external_ref: c for c in Contract.objects.filter(kind=contract_kind, external_ref__in=refs, **side)}
    missing = []
    for key, data in wanted.items():
        if key in found:
            continue
        if not (data.reference or "").strip():
            raise InvalidInput("A contract needs a reference.", details={"reference": "required"})
        missing.append(
            Contract(
                kind=contract_kind,
                licensor=licensor,
                licensor_name=data.counterparty_name.strip(),
                licensee=licensee,
                reference=data.reference.strip(),
                signed_on=periods.parse_date(data.signed_on),
                external_ref=data.external_ref.strip(),
                money=commercial.clean(data.money),
            )
        )
    Contract.objects.bulk_create(missing)
    found.update({c.external_ref or c.reference: c for c in missing})
    return found


# ---------------------------------------------------------------- validation


def _who(actor_or_org) -> tuple[Organisation, object | None]:
    """An Actor (checked for permission) or an Organisation (trusted internal caller); the second
    value is what the audit log records as having acted (the Actor, so an API key is named)."""
    if isinstance(actor_or_org, Organisation):
        return actor_or_org, None
    if hasattr(actor_or_org, "require"):
        actor_or_org.require(WRITE_CATALOGUE, "record rights")
        return actor_or_org.organisation, actor_or_org
    raise InvalidInput("Rights are recorded by an organisation or an actor acting for one.")


def _organisation(value, what: str) -> Organisation:
    if isinstance(value, Organisation):
        return value
    found = Organisation.objects.filter(pk=getattr(value, "pk", value)).first()
    if found is None:
        raise NotFound(f"No such {what}.")
    return found


def _prepare(term: TermInput, *, known_works: dict[int, Work] | None = None, cache: dict | None = None) -> _Prepared:
    """Validate a term and expand its sets; every problem is reported at once.

    A batch passes the works it fetched in one query and a cache of expansions, so that
    thousands of terms cost no query each (see record_terms)."""
    problems: dict[str, str] = {}
    works = []
    try:
        works = _works(term.works, known_works)
    except (InvalidInput, NotFound) as exc:
        problems["works"] = exc.message
    sets, set_problems = _term_sets(term, {} if cache is None else cache)
    problems.update(set_problems)
    if problems:
        raise InvalidInput("The term is not valid: " + "; ".join(f"{k}: {v}" for k, v in problems.items()), details=problems)
    countries, leaves, window, langs = sets
    return _Prepared(works, countries, leaves, window, langs, term)


def check_term(term: TermInput) -> tuple[list[str], list[str], Period, list[dict]]:
    """(countries, media leaves, window, languages) of a term, or InvalidInput naming each
    problem (`details` by field). The one validation of a term's sets: the exchange checks a
    proposal's terms with it long before the ledger records them."""
    sets, problems = _term_sets(term, {})
    if problems:
        raise InvalidInput("; ".join(problems.values()), details=problems)
    return sets


def _term_sets(term: TermInput, cache: dict):
    problems: dict[str, str] = {}
    countries = leaves = langs = []
    window = None
    try:
        countries = _cached(
            cache,
            ("territories", _key(term.territories), _key(term.territories_excluded)),
            lambda: territories.expand(_spec(term.territories), _spec(term.territories_excluded)),
        )
        if not countries:
            problems["territories"] = _("the territory expression leaves no country")
    except InvalidInput as exc:
        problems["territories"] = exc.message
    try:
        leaves = _cached(cache, ("media", _key(term.media)), lambda: media_taxonomy.expand(_spec(term.media)))
        if not leaves:
            problems["media"] = _("at least one media code is needed")
    except InvalidInput as exc:
        problems["media"] = exc.message
    try:
        start = periods.parse_date(term.start)
        if start is None:
            raise InvalidInput(_("a term needs a start date"))
        window = Period(start, periods.parse_date(term.end))
    except InvalidInput as exc:
        problems["window"] = exc.message
    try:
        langs = language_pairs.normalise(term.languages)
    except InvalidInput as exc:
        problems["languages"] = exc.message
    return (countries, leaves, window, langs), problems


def _key(value):
    return value if isinstance(value, str) else tuple(value or ())


def _cached(cache: dict, key, compute):
    if key not in cache:
        cache[key] = compute()
    return cache[key]


def _spec(value):
    """Strings go to the expanders as written (they parse `;`, `,` and `excluding`)."""
    return value if isinstance(value, str) else list(value or [])


def _as_list(value) -> list[str]:
    return [value] if isinstance(value, str) else list(value or [])


def _works(refs, known: dict[int, Work] | None = None) -> list[Work]:
    ids = [catalog.work_id(w) for w in refs or []]
    if not ids:
        raise InvalidInput("at least one work is needed")
    found = known if known is not None else catalog.by_ids(ids)
    missing = [i for i in ids if i not in found]
    if missing:
        raise NotFound(f"no such work: {', '.join(map(str, missing))}")
    return [found[i] for i in dict.fromkeys(ids)]


def _require_visible(org: Organisation, works: list[Work]) -> None:
    hidden = [w.pk for w in works if not catalog.may_see(org, w)]
    if hidden:
        raise NotFound(f"no such work: {', '.join(map(str, hidden))}")


# ---------------------------------------------------------------- rules and writes


def _lock_licensor(org: Organisation) -> None:
    """PostgreSQL: serialise this licensor's ledger writes until commit. The exclusion
    constraint alone cannot catch "non-exclusive vs exclusive" races; this lock can. (SQLite
    needs nothing: IMMEDIATE transactions already take the database's write lock at BEGIN.)
    `::int` casts keep psycopg from guessing small ints as int2."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s::int, %s::int)", [_LOCK_NAMESPACE, org.pk])


def _refuse_conflicts(org: Organisation, prepared: _Prepared) -> None:
    """Raise Conflict listing every (work, territory, media, window) the grant may not cover."""
    result = avail.availability(
        org, prepared.works, prepared.countries, prepared.leaves, prepared.period, prepared.term.exclusive, prepared.languages
    )
    refs = {w.pk: w.ref for w in prepared.works}
    details = [
        {"work": wid, "work_ref": refs.get(wid, ""), "territory": cell.territory, "media": cell.media, **gap.as_dict()}
        for wid, work in result.items()
        for cell in work.problems()
        for gap in cell.gaps
    ]
    if details:
        raise Conflict(_conflict_message(details), details=details)


_REASON_TEXT = {
    avail.MISSING_HOLDING: "not held with the right to sublicense",
    avail.CONFLICTING_GRANT: "already granted",
    avail.HOLDBACK: "held back",
}


def _conflict_message(details: list[dict]) -> str:
    first = details[0]
    text = f"work {first['work_ref'] or first['work']}, {first['territory']}, {first['media']}, {first['window']}: {_REASON_TEXT[first['reason']]}"
    if first.get("language"):  # held, but not for this language (rule 1 by language)
        text += f" for {first['language']}"
    if first["contract"]:
        text += f" (contract {first['contract']}" + (f" to {first['licensee']})" if first["licensee"] else ")")
    more = f" and {len(details) - 1} more" if len(details) > 1 else ""
    return f"These rights cannot be granted: {text}{more}."


def _contract(kind: str, data: ContractInput, *, licensor=None, licensee=None) -> Contract:
    reference = (data.reference or "").strip()
    if not reference:
        raise InvalidInput("A contract needs a reference.", details={"reference": "required"})
    return Contract.objects.create(
        kind=kind,
        licensor=licensor,
        licensor_name=data.counterparty_name.strip(),
        licensee=licensee,
        reference=reference,
        signed_on=periods.parse_date(data.signed_on),
        external_ref=data.external_ref.strip(),
        money=commercial.clean(data.money),
    )


def _write(kind: str, contract: Contract, p: _Prepared, *, holder: Organisation, licensee: Organisation | None = None) -> Term:
    """The term as stated, and its atoms: one per work × country × media leaf."""
    t = p.term
    term = Term.objects.create(
        contract=contract,
        kind=kind,
        territories=_as_list(t.territories),
        territories_excluded=_as_list(t.territories_excluded),
        media=_as_list(t.media),
        languages=p.languages,
        start=p.period.start,
        end=p.period.end,
        exclusive=t.exclusive,
        sublicensable=t.sublicensable,
    )
    term.works.set(p.works)
    with connection.cursor() as cursor:
        _insert_atoms(cursor, _atom_rows(kind, holder, licensee, [term.pk], [(contract.pk,)], [p]))
    return term


def _terminate_term(org: Organisation, term: Term, day: date) -> int:
    atoms = RightAtom.objects.filter(term=term)
    if atoms.exclude(holder=org).exists():
        raise PermissionDenied("Only the party that granted, holds or is bound by these rights may terminate them.")
    if periods.has_ended(term.ends_early_on, day):  # terminated already, on or before that day
        return 0
    term.ends_early_on = day
    term.save(update_fields=["ends_early_on"])
    return atoms.filter(effective_end__gt=day).update(
        ends_early_on=Value(day), effective_end=Greatest(F("start"), Least(F("end"), Value(day)))
    )


def _tell(p: _Prepared, *organisations: Organisation) -> None:
    """Inside the action's transaction: whoever derives data from the ledger updates it now."""
    ledger_changed.send(sender=Term, organisations={o.pk for o in organisations}, works={w.pk for w in p.works})


def _summary(contract: Contract, p: _Prepared) -> dict:
    return {
        "contract": contract.reference,
        "works": [w.pk for w in p.works],
        "territories": len(p.countries),
        "media": p.leaves,
        "window": str(p.period),
        "exclusive": p.term.exclusive,
    }
