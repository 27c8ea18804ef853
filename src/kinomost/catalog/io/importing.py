"""Importing works: every row is checked first, then all are written in one transaction.

A file with any bad row changes nothing; the refusal lists every bad row (as the user numbers
it: the header is row 1), the column and the reason. Re-importing updates works by `ref`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from django.db import transaction

from kinomost.catalog import search, services
from kinomost.catalog.io import bulk
from kinomost.catalog.io.columns import genres_from_text, kind_from_text, parse_header
from kinomost.catalog.io.reading import read_file
from kinomost.catalog.models import Work
from kinomost.core import territories
from kinomost.core.errors import ImportRejected, InvalidInput
from kinomost.core.ratings import DEFAULT_SYSTEM
from kinomost.core.spreadsheets import Formula
from kinomost.core.text import first_control_character, refusal

KIND_ORDER = {"series": 0, "season": 1, "episode": 2}
SEASON_TITLES = {"en": "Season {n}", "ru": "Сезон {n}", "zh-Hans": "第{n}季"}


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    rows: int = 0
    problems: list[dict] = field(default_factory=list)


@dataclass
class _Parsed:
    row: int
    data: services.WorkInput
    season: int | None = None  # for episodes: the season number under series_ref


def _problem(row: int, column: str, message: str) -> dict:
    return {"row": row, "column": column, "message": message}


def _integer(text: str, row: int, column: str, problems: list[dict]) -> int | None:
    if not text:
        return None
    try:
        return int(float(text)) if float(text).is_integer() else int(text)
    except ValueError:
        problems.append(_problem(row, column, f"'{text}' is not a whole number"))
        return None


def _parse_row(number: int, cells: dict[str, str], columns: dict[str, tuple[str, str | None]], problems: list[dict]) -> _Parsed | None:
    values = {columns[name]: (text or "").strip() for name, text in cells.items() if name in columns}
    plain = {base: text for (base, arg), text in values.items() if arg is None}
    before = len(problems)
    for name, text in cells.items():
        if isinstance(text, Formula):
            problems.append(_problem(number, name, "formulas are not imported; paste the values instead"))
        elif text and (char := first_control_character(text)) is not None:
            problems.append(_problem(number, name, refusal(char)))
    kind = ""
    try:
        kind = kind_from_text(plain.get("kind", ""))
    except InvalidInput as exc:
        problems.append(_problem(number, "kind", exc.message))
    genres = None
    if plain.get("genres"):
        try:
            genres = genres_from_text(plain["genres"])
        except InvalidInput as exc:
            problems.append(_problem(number, "genres", exc.message))
    season = _integer(plain.get("season", ""), number, "season", problems)
    episode = _integer(plain.get("episode", ""), number, "episode", problems)
    data = services.WorkInput(
        ref=plain.get("ref", ""),
        kind=kind or plain.get("kind", ""),
        titles={arg: text for (base, arg), text in values.items() if base == "title" and text},
        synopses={arg: text for (base, arg), text in values.items() if base == "synopsis" and text},
        original_title=plain.get("original_title") or None,
        original_language=plain.get("original_language") or None,
        year=_integer(plain.get("year", ""), number, "year", problems),
        runtime_minutes=_integer(plain.get("runtime", ""), number, "runtime", problems),
        countries=territories.split_codes(plain.get("countries")) or None,
        genres=genres,
        keywords=[k.strip() for k in plain.get("keywords", "").split(";") if k.strip()] or None,
        eidr=plain.get("eidr") or None,
        ratings=[(arg, DEFAULT_SYSTEM.get(arg, ""), text) for (base, arg), text in values.items() if base == "rating" and text] or None,
    )
    if kind == "season":
        data.parent_ref, data.number = plain.get("series_ref") or None, season
    elif kind == "episode":
        data.parent_ref, data.number = plain.get("series_ref") or None, episode
        if season is None and not problems[before:]:
            problems.append(_problem(number, "season", "an episode needs its season number"))
    for name, message in services.validate(data).items():
        problems.append(_problem(number, _column_of(name), message))
    return None if len(problems) > before else _Parsed(number, data, season if kind == "episode" else None)


def _column_of(field_name: str) -> str:
    return {"runtime_minutes": "runtime", "title": "title:<lang>", "rating": "rating:<country>"}.get(field_name, field_name)


def _check_duplicates(refs: list[tuple[int, str]], problems: list[dict]) -> None:
    seen: dict[str, int] = {}
    for row, ref in refs:
        if ref and ref in seen:
            problems.append(_problem(row, "ref", f"'{ref}' is also on row {seen[ref]}"))
        seen.setdefault(ref, row)


def _check_parents(parsed: list[_Parsed], owner, problems: list[dict]) -> None:
    """Parents must be series in the file or already in the catalogue."""
    in_file = {p.data.ref: p.data.kind for p in parsed}
    wanted = {p.data.parent_ref for p in parsed if p.data.parent_ref}
    existing = dict(Work.objects.filter(owner=owner, ref__in=wanted).values_list("ref", "kind"))
    for p in parsed:
        ref = p.data.parent_ref
        if ref and in_file.get(ref, existing.get(ref)) != "series":
            problems.append(_problem(p.row, "series_ref", f"no series '{ref}' in the file or in the catalogue"))


def _season_for(owner, series: Work, number: int, pending: dict[str, Work], actor) -> tuple[Work, bool]:
    """The series' season with this number, created (as the file implies) when missing."""
    found = series.children.filter(kind="season", number=number).first()
    if found:
        return found, False
    titles = {lang: t.format(n=number) for lang, t in SEASON_TITLES.items()}
    data = services.WorkInput(
        ref=f"{series.ref}/S{number}", kind="season", titles=titles, parent_ref=series.ref, number=number, is_listed=series.is_listed
    )
    season, _ = services.save_work(owner, data, actor=actor, pending_parents=pending, reindex=False)
    pending[season.ref] = season
    return season, True


def _write(parsed: list[_Parsed], owner, actor, progress) -> ImportResult:
    """New parentless works in bulk (see io/bulk.py); updates, seasons and episodes one by one."""
    result = ImportResult(rows=len(parsed))
    existing = set(Work.objects.filter(owner=owner, ref__in=[p.data.ref for p in parsed]).values_list("ref", flat=True))
    fresh = [p for p in parsed if p.data.ref not in existing and p.data.kind not in ("season", "episode")]
    created = bulk.create_fresh(owner, [p.data for p in fresh], actor=actor)
    pending: dict[str, Work] = {work.ref: work for work in created}
    saved_ids: list[int] = [work.pk for work in created]
    result.created += len(created)
    if progress:
        progress(len(created))
    rest = [p for p in parsed if p.data.ref in existing or p.data.kind in ("season", "episode")]
    for p in sorted(rest, key=lambda p: KIND_ORDER.get(p.data.kind, 0)):
        if p.data.kind == "episode":
            series = pending.get(p.data.parent_ref) or Work.objects.get(owner=owner, ref=p.data.parent_ref)
            season, created_season = _season_for(owner, series, p.season, pending, actor)
            result.created += created_season
            p.data.parent_ref = season.ref
        work, was_created = services.save_work(owner, p.data, actor=actor, pending_parents=pending, reindex=False)
        pending[work.ref] = work
        saved_ids.append(work.pk)
        result.created += was_created
        result.updated += not was_created
        if progress:
            progress(1)
    search.index_works(saved_ids)
    return result


def import_works(
    data: bytes,
    filename: str,
    owner,
    *,
    actor=None,
    encoding: str | None = None,
    dry_run: bool = False,
    progress: Callable[[int], None] | None = None,
) -> ImportResult:
    """Check every row, then write all (or, with `dry_run`, nothing). Raises ImportRejected listing every problem."""
    header, rows = read_file(data, filename, encoding)
    problems: list[dict] = []
    columns = _columns(header, problems)
    rows = list(rows)
    ref_column = next((name for name, parsed_name in columns.items() if parsed_name == ("ref", None)), None)
    _check_duplicates([(n, (cells.get(ref_column) or "").strip()) for n, cells in rows], problems)
    parsed = [p for p in (_parse_row(n, cells, columns, problems) for n, cells in rows) if p]
    _check_parents(parsed, owner, problems)
    if problems or not header:
        problems = problems or [_problem(1, "", "the file has no header row")]
        raise ImportRejected(
            f"{len({p['row'] for p in problems})} row(s) have problems; nothing was imported",
            problems=sorted(problems, key=lambda p: p["row"]),
        )
    if dry_run:
        return ImportResult(rows=len(parsed))
    with transaction.atomic():
        return _write(parsed, owner, actor, progress)


def _columns(header: list[str], problems: list[dict]) -> dict[str, tuple[str, str | None]]:
    columns = {}
    for name in header:
        try:
            parsed = parse_header(name)
        except InvalidInput as exc:
            problems.append(_problem(1, name, exc.message))
            continue
        if name in columns or parsed in columns.values():
            problems.append(_problem(1, name, "the column appears twice; which one would win is a guess"))
        columns[name] = parsed
    if ("ref", None) not in columns.values() or ("kind", None) not in columns.values():
        problems.append(_problem(1, "ref" if ("ref", None) not in columns.values() else "kind", "required column is missing"))
    return columns
