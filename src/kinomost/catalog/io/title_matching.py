"""The catalogue's matcher for titles arriving in a partner's file (EMA Avails today): each title
is matched among the works the importer may see (`catalog.selectors.visible_to`: its own and
listed ones) by ALID, content ID, EIDR or — for works an earlier import created — ref, and the
rest are created as the importer's own through the catalogue's services (`bulk.create_fresh`
for films, `save_work` for series, seasons and episodes). A catalogue service: the rights app
calls it and never builds works from catalogue internals itself.

Rows are read by attribute in the EMA vocabulary (alid, content_id, title_id, work_type,
series_*/season_*/episode_*, titles, runtime, release_year, asset_language, source), so any
reader of that vocabulary can use it; problems come back in the caller's own shape (`problem`)."""

from __future__ import annotations

import hashlib
from typing import Callable

from kinomost.catalog import search
from kinomost.catalog import selectors as catalog
from kinomost.catalog.io import bulk
from kinomost.catalog.models import Identifier, Work
from kinomost.catalog.services import WorkInput, save_work, validate
from kinomost.core.errors import ImportRejected, InvalidInput, NotFound
from kinomost.core.identifiers import normalise_eidr
from kinomost.parties.models import Organisation

#: WorkType → catalogue kind for works the import creates (Collection and Volume are bundles).
KIND_OF_WORK_TYPE = {
    "Movie": "feature",
    "Short": "short",
    "Collection": "feature",
    "Volume": "programme",
    "Series": "series",
    "Season": "season",
    "Episode": "episode",
}


class TitleMatcher:
    """Works are matched among those the importer may see (its own and listed ones) by ALID,
    content ID, EIDR or — for works an earlier import created — ref; the rest are created as the
    importer's own, through the catalogue's services."""

    def __init__(self, org: Organisation, actor, *, source: str = "", problem: Callable[[str, str, str], dict]):
        self.org, self.actor = org, actor if not isinstance(actor, Organisation) else None
        self.source = source
        self.problem = problem  # (row's place in the file, column, message) → a problem in the file's own shape
        self.created_ids: list[int] = []

    def counts(self, found: dict[int, Work]) -> tuple[int, int]:
        """(works created, works matched) by a `resolve`."""
        return len(self.created_ids), len({w.pk for w in found.values()} - set(self.created_ids))

    def resolve(self, rows: list) -> dict[int, Work]:
        self._load(rows)
        found: dict[int, Work] = {}
        movies = [r for r in rows if not r.is_tv or r.work_type == "Volume"]
        for row in movies:
            work = self._match(row.alid, row.content_id, row.title_id)
            if work is not None:
                found[id(row)] = work
        self._create_movies([r for r in movies if id(r) not in found], found)
        tv = sorted(
            (r for r in rows if r.is_tv and r.work_type != "Volume"), key=lambda r: ("Series", "Season", "Episode").index(r.work_type)
        )
        for row in tv:
            found[id(row)] = self._tv_work(row)
        if self.created_ids:
            search.index_works(self.created_ids)
        return found

    def _load(self, rows: list) -> None:
        values = {v for r in rows for v in (r.alid, r.content_id, r.series_content_id, r.season_content_id) if v}
        eidrs = {v for r in rows for v in (r.title_id, r.series_id, r.season_id) if v}
        visible = catalog.visible_to(self.org)
        self.by_id: dict[tuple[str, str], Work] = {}
        idents = Identifier.objects.filter(namespace__in=("alid", "content_id"), value__in=values, work__in=visible).select_related("work")
        for ident in sorted(idents, key=lambda i: i.work.owner_id != self.org.pk):  # own works first
            self.by_id.setdefault((ident.namespace, ident.value), ident.work)
        for work in visible.filter(eidr__in=eidrs).order_by("id"):
            self.by_id.setdefault(("eidr", work.eidr), work)
        for work in Work.objects.filter(owner=self.org, ref__in={_ref(v) for v in values}):
            self.by_id.setdefault(("ref", work.ref), work)

    def _match(self, alid, content_id=None, eidr=None) -> Work | None:
        for key in (("alid", alid), ("content_id", content_id), ("eidr", eidr), ("ref", _ref(alid or ""))):
            if key[1] and key in self.by_id:
                return self.by_id[key]
        return None

    def _remember(self, work: Work, alid=None, content_id=None) -> Work:
        for key in (("alid", alid), ("content_id", content_id), ("ref", work.ref)):
            if key[1]:
                self.by_id[key] = work
        return work

    def _create_movies(self, rows: list, found: dict[int, Work]) -> None:
        """New stand-alone works in bulk (catalog.io.bulk); one work per ALID."""
        by_ref: dict = {}  # ref → the first row of that ALID
        for row in rows:
            by_ref.setdefault(_ref(row.alid), row)
        inputs = [self._input(ref, row, KIND_OF_WORK_TYPE[row.work_type], _title(row)) for ref, row in by_ref.items()]
        problems = [(row, p) for (ref, row), data in zip(by_ref.items(), inputs) if (p := _validate(data))]
        if problems:
            raise ImportRejected(
                "Some titles cannot be catalogued; nothing was imported",
                problems=[self.problem(row.source, "TitleInternalAlias", p) for row, p in problems],
            )
        created = bulk.create_fresh(self.org, inputs, actor=self.actor, audit_each=False, source=self.source)
        for row, work in zip(by_ref.values(), created):
            self._remember(work, row.alid, row.content_id)
            self.created_ids.append(work.pk)
        for row in rows:
            found[id(row)] = self.by_id[("ref", _ref(row.alid))]

    def _input(self, ref: str, row, kind: str, title: str, **extra) -> WorkInput:
        identifiers = {k: v for k, v in (("alid", row.alid), ("content_id", row.content_id)) if v}
        eidr = _valid_eidr(row.title_id) if kind not in ("series", "season") else None
        runtime = int(row.runtime.total_seconds() // 60) or None if row.runtime else None
        return WorkInput(
            ref=ref,
            kind=kind,
            original_title=title,
            original_language=row.asset_language or None,
            year=row.release_year if kind not in ("series", "season") else None,
            runtime_minutes=runtime,
            eidr=eidr,
            identifiers=identifiers,
            **extra,
        )

    def _tv_work(self, row) -> Work:
        own = self._match(row.alid, row.content_id)
        if own is not None:
            return own
        series = self._series(row)
        if row.work_type == "Series":
            return self._remember(series, row.alid, row.content_id)
        season = self._season(row, series)
        if row.work_type == "Season":
            return self._remember(season, row.alid, row.content_id)
        existing = season.children.filter(kind="episode", number=row.episode_number).first() if row.episode_number else None
        if existing is not None:
            return self._remember(existing, row.alid, row.content_id)
        title = row.episode_title_display or row.episode_title_alias or row.title_display or row.title_alias or row.alid
        data = self._input(_ref(row.alid), row, "episode", title, parent_ref=season.ref, number=row.episode_number)
        return self._remember(self._save(row, data, season), row.alid, row.content_id)

    def _series(self, row) -> Work:
        key = row.series_content_id or row.series_id or row.series_title_alias
        found = self._match(None, row.series_content_id, row.series_id) or self.by_id.get(("series", key))
        if found is None:
            found = Work.objects.filter(owner=self.org, kind="series", ref=_ref(f"series:{key}")).first()
        if found is None:
            title = row.series_title_display or row.series_title_alias
            data = WorkInput(
                ref=_ref(f"series:{key}"),
                kind="series",
                original_title=title,
                identifiers={"content_id": row.series_content_id} if row.series_content_id else None,
            )
            found = self._save(row, data, None)
        self.by_id[("series", key)] = found
        return self._remember(found, None, row.series_content_id)

    def _season(self, row, series: Work) -> Work:
        number = row.season_number
        found = self._match(row.alid if row.work_type == "Season" else None, row.season_content_id, row.season_id)
        if found is None and number is not None:
            found = series.children.filter(kind="season", number=number).first()
        if found is None:
            title = row.season_title_display or row.season_title_alias or f"{series.original_title} — {number or ''}".strip(" —")
            ident = {"content_id": row.season_content_id} if row.season_content_id else {}
            if row.work_type == "Season":
                ident["alid"] = row.alid
            ref = _ref(row.alid) if row.work_type == "Season" else _ref(f"{series.ref}/S{number or row.season_content_id}")
            data = WorkInput(ref=ref, kind="season", original_title=title, parent_ref=series.ref, number=number, identifiers=ident or None)
            found = self._save(row, data, series)
        return self._remember(found, None, row.season_content_id)

    def _save(self, row, data: WorkInput, parent: Work | None) -> Work:
        if parent is not None and parent.owner_id != self.org.pk:
            raise ImportRejected(
                "A title belongs to another organisation's series; nothing was imported",
                problems=[
                    self.problem(
                        row.source,
                        "SeriesContentID",
                        f"'{parent.original_title}' belongs to another organisation: its seasons and episodes cannot be catalogued here",
                    )
                ],
            )
        try:
            work, created = save_work(
                self.org, data, actor=self.actor, pending_parents={parent.ref: parent} if parent else None, reindex=False
            )
        except (InvalidInput, NotFound) as exc:
            raise ImportRejected(
                "A title cannot be catalogued; nothing was imported", problems=[self.problem(row.source, "", exc.message)]
            ) from exc
        if created:
            self.created_ids.append(work.pk)
        return work


def _ref(value: str) -> str:
    """A work's ref: the ALID itself when it fits, else a stable digest of it."""
    return value if len(value) <= 100 else "alid:" + hashlib.sha1(value.encode()).hexdigest()


def _title(row) -> str:
    if row.work_type == "Volume":
        return row.volume_title_display or row.volume_title_alias or row.title_display or row.title_alias or row.alid
    return row.title_display or row.title_alias or row.alid


def _valid_eidr(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return normalise_eidr(value)
    except InvalidInput:
        return None


def _validate(data: WorkInput) -> str:
    problems = validate(data)
    return "; ".join(f"{k}: {v}" for k, v in problems.items())
