"""The library of a large online cinema, for benchmarks: 5,000 films and 100,000 series with a
season and episodes each, titles in ru, zh-Hans and en. Written with bulk inserts, then indexed."""

from __future__ import annotations

import itertools
import random
import sys
from dataclasses import dataclass, field
from datetime import date

from django.db import connection, transaction
from django.db.models import Q

from kinomost.catalog import search
from kinomost.catalog.models import Work, WorkLocalization
from kinomost.core import media as media_taxonomy
from kinomost.core import periods, territories
from kinomost.parties import services as parties
from kinomost.parties.models import Organisation

OWNER = "scale-cinema"
NOUNS = [
    ("Город", "城市", "The City"),
    ("Море", "大海", "The Sea"),
    ("Ветер", "风", "The Wind"),
    ("Дорога", "道路", "The Road"),
    ("Река", "河流", "The River"),
    ("Гора", "高山", "The Mountain"),
    ("Звезда", "星辰", "The Star"),
    ("Сердце", "心", "The Heart"),
    ("Луна", "月亮", "The Moon"),
    ("Огонь", "火焰", "The Fire"),
    ("Лес", "森林", "The Forest"),
    ("Снег", "雪", "The Snow"),
    ("Дом", "家", "The House"),
    ("Мост", "桥", "The Bridge"),
    ("Поезд", "列车", "The Train"),
    ("Сад", "花园", "The Garden"),
    ("Остров", "岛屿", "The Island"),
    ("Небо", "天空", "The Sky"),
    ("Тень", "影子", "The Shadow"),
    ("Песня", "歌声", "The Song"),
    ("Мечта", "梦想", "The Dream"),
    ("Память", "记忆", "Memory"),
    ("Граница", "边境", "The Border"),
    ("Весна", "春天", "Spring"),
    ("Осень", "秋天", "Autumn"),
    ("Зима", "冬天", "Winter"),
    ("Лето", "夏天", "Summer"),
    ("Рассвет", "黎明", "Dawn"),
    ("Закат", "日落", "Sunset"),
    ("Ночь", "夜晚", "The Night"),
    ("Тайна", "秘密", "The Secret"),
    ("Война", "战争", "War"),
    ("Любовь", "爱情", "Love"),
    ("Семья", "家庭", "The Family"),
    ("Друг", "朋友", "The Friend"),
    ("Учитель", "老师", "The Teacher"),
    ("Доктор", "医生", "The Doctor"),
    ("Капитан", "船长", "The Captain"),
    ("Сыщик", "侦探", "The Detective"),
    ("Пилот", "飞行员", "The Pilot"),
    ("Империя", "帝国", "The Empire"),
    ("Пустыня", "沙漠", "The Desert"),
    ("Степь", "草原", "The Steppe"),
    ("Озеро", "湖泊", "The Lake"),
    ("Корабль", "船", "The Ship"),
    ("Крепость", "城堡", "The Fortress"),
    ("Облако", "云朵", "The Cloud"),
    ("Ключ", "钥匙", "The Key"),
    ("Письмо", "信", "The Letter"),
    ("Танец", "舞蹈", "The Dance"),
    ("Чай", "茶", "Tea"),
    ("Шёлк", "丝绸", "Silk"),
    ("Нефрит", "玉", "Jade"),
    ("Дракон", "龙", "The Dragon"),
    ("Тигр", "老虎", "The Tiger"),
    ("Журавль", "仙鹤", "The Crane"),
    ("Волк", "狼", "The Wolf"),
    ("Медведь", "熊", "The Bear"),
    ("Феникс", "凤凰", "The Phoenix"),
    ("Лотос", "莲花", "The Lotus"),
]


def _titles(count: int, rng: random.Random) -> list[dict[str, str]]:
    pairs = [(a, b) for a in NOUNS for b in NOUNS if a is not b]
    rng.shuffle(pairs)
    out = []
    part = 1
    while len(out) < count:
        for a, b in pairs:
            if len(out) >= count:
                break
            suffix_ru, suffix_zh, suffix_en = ("", "", "") if part == 1 else (f", часть {part}", f"第{part}部", f", Part {part}")
            out.append(
                {
                    "ru": f"{a[0]} и {b[0].lower()}{suffix_ru}",
                    "zh-Hans": f"{a[1]}与{b[1]}{suffix_zh}",
                    "en": f"{a[2]} and {b[2].removeprefix('The ').lower()}{suffix_en}",
                }
            )
        part += 1
    return out


def _bulk(owner: Organisation, specs: list[dict], rng: random.Random) -> list[Work]:
    works = Work.objects.bulk_create([Work(owner=owner, is_listed=True, **s["work"]) for s in specs], batch_size=5000)
    locs = [WorkLocalization(work=w, language=lang, title=title) for w, s in zip(works, specs) for lang, title in s["titles"].items()]
    WorkLocalization.objects.bulk_create(locs, batch_size=10000)
    return works


def generate(films: int = 5000, series: int = 100000, *, seed: int = 105, progress: bool = False, rights: bool = True) -> int:
    """Create the library and (with `rights`) its rights ledger and storefront, each once;
    returns the number of works of the scale owner."""
    owner = Organisation.objects.filter(slug=OWNER).first()
    if owner is not None:
        top = Work.objects.filter(owner=owner, kind__in=["feature", "series"]).count()
        if top != films + series:
            raise ValueError(
                f"a scale library of {top} films and series is already here, not {films + series}; start from an empty database"
            )
    else:
        _library(films, series, seed, progress)
        owner = Organisation.objects.get(slug=OWNER)
    if rights:
        atoms = generate_rights(owner, seed=seed, progress=progress)
        if progress:
            print(f"  rights ledger: {atoms} atoms", file=sys.stderr, flush=True)
        rows = generate_storefront(owner, progress=progress)
        if progress:
            print(f"  storefront /watch/{OWNER}/{PLATFORM}/: {rows} visible rows", file=sys.stderr, flush=True)
    return Work.objects.filter(owner=owner).count()


def _library(films: int, series: int, seed: int, progress: bool) -> None:
    rng = random.Random(seed)
    owner = parties.create_organisation(slug=OWNER, name="Scale Cinema 规模影院", kind="platform", country="RU")
    titles = _titles(films + series, rng)
    top_ids: list[int] = []
    step = 10000
    for start in range(0, films + series, step):
        with transaction.atomic():
            batch = []
            for i in range(start, min(start + step, films + series)):
                kind = "feature" if i < films else "series"
                lang = rng.choice(["ru", "zh-Hans", "en"])
                batch.append(
                    {
                        "work": {
                            "ref": f"S-{i:06d}",
                            "kind": kind,
                            "original_title": titles[i][lang],
                            "original_language": lang,
                            "year": rng.randint(1950, 2026),
                            "popularity": round(rng.random() * 1000, 1),
                            "runtime_minutes": rng.randint(80, 160) if kind == "feature" else None,
                        },
                        "titles": titles[i],
                    }
                )
            works = _bulk(owner, batch, rng)
            top_ids += [w.pk for w in works]
            _children(owner, [w for w in works if w.kind == "series"], rng)
        if progress:
            print(f"  works {min(start + step, films + series):>7}/{films + series}", file=sys.stderr, flush=True)
    for start in range(0, len(top_ids), 20000):
        search.index_works(top_ids[start : start + 20000])
        if progress:
            print(f"  indexed {min(start + 20000, len(top_ids)):>7}/{len(top_ids)}", file=sys.stderr, flush=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # fresh statistics, or the planner guesses wrong on tables this new


def _children(owner: Organisation, series: list[Work], rng: random.Random) -> None:
    seasons = _bulk(
        owner,
        [
            {
                "work": {
                    "ref": f"{s.ref}/S1",
                    "kind": "season",
                    "parent": s,
                    "number": 1,
                    "original_title": "Сезон 1",
                    "original_language": "ru",
                },
                "titles": {"ru": "Сезон 1", "zh-Hans": "第1季", "en": "Season 1"},
            }
            for s in series
        ],
        rng,
    )
    episodes = []
    for season in seasons:
        for e in range(1, rng.randint(2, 3) + 1):
            episodes.append(
                {
                    "work": {
                        "ref": f"{season.ref}E{e}",
                        "kind": "episode",
                        "parent": season,
                        "number": e,
                        "original_title": f"Серия {e}",
                        "original_language": "ru",
                        "runtime_minutes": 50,
                    },
                    "titles": {"ru": f"Серия {e}", "zh-Hans": f"第{e}集", "en": f"Episode {e}"},
                }
            )
    _bulk(owner, episodes, rng)


# ---------------------------------------------------------------- the rights ledger at scale
#
# About 19 atoms per top-level work (2,000,000 over the default 105,000): the cinema's
# acquisitions (one term per batch of works, sometimes a second on other territories), grants of
# parts of them to licensee platforms, some holdbacks and terminations. Rows are written in bulk,
# but every atom is computed with the ledger's own rules (core.territories / core.media
# expansion, OPEN_END, effective_end), and the data never breaks the ledger's rules: grants lie
# inside sublicensable holdings (exclusive ones inside exclusive holdings) and no two grants of
# one cell overlap unless both are non-exclusive; holdbacks sit on cells nobody was granted.

LICENSEES = [
    ("scale-lic-ru-svod", "Volna Online", "RU"),
    ("scale-lic-cn-video", "Jinhe Video 金河视频", "CN"),
    ("scale-lic-kz-tv", "Dala TV", "KZ"),
    ("scale-lic-eu-stream", "Eurostream", "DE"),
    ("scale-lic-asia-vod", "Lotus VOD", "TH"),
    ("scale-lic-global", "Globe Screens", "US"),
]
# (territories, excluded, media, weight): what an online cinema buys, from one market to the world.
HOLDING_PROFILES = [
    (["RU"], [], ["vod"], 16),
    (["CN"], [], ["vod"], 8),
    (["KZ"], [], ["vod", "tv"], 3),
    (["BY"], [], ["svod", "avod"], 2),
    (["UZ"], [], ["tv"], 2),
    (["US"], [], ["svod"], 3),
    (["DE"], [], ["svod", "tvod"], 2),
    (["TR"], [], ["vod"], 2),
    (["VN"], [], ["svod", "avod"], 2),
    (["TH"], [], ["svod"], 2),
    (["RU"], [], ["all"], 6),
    (["RU", "BY", "KZ"], [], ["vod"], 8),
    (["CIS"], [], ["svod", "avod", "tvod"], 9),
    (["GREATER_CHINA"], [], ["vod"], 8),
    (["030"], [], ["svod"], 5),
    (["035"], [], ["svod", "avod"], 4),
    (["151"], [], ["svod", "est"], 4),
    (["155"], [], ["svod"], 3),
    (["EU"], [], ["svod"], 3),
    (["WORLD"], ["CN", "RU"], ["svod"], 0.8),
    (["WORLD"], [], ["svod", "avod"], 0.2),
]
ATOM_COLUMNS = (
    "kind",
    "work_id",
    "territory",
    "media",
    "start",
    "end",
    "ends_early_on",
    "effective_end",
    "holder_id",
    "licensee_id",
    "exclusive",
    "sublicensable",
    "term_id",
    "contract_id",
)


@dataclass
class _PlannedTerm:
    """A term before it has an id: what the contract says and the atoms' shared values."""

    contract: int  # index into the planned contracts
    kind: str
    works: list[int]
    territories: list[str]
    excluded: list[str]
    media: list[str]
    start: date
    end: date | None
    exclusive: bool
    sublicensable: bool
    holder: int
    licensee: int | None = None
    ends_early_on: date | None = None
    countries: list[str] = field(default_factory=list)
    leaves: list[str] = field(default_factory=list)

    def atom_count(self) -> int:
        return len(self.works) * len(self.countries) * len(self.leaves)


def generate_rights(owner: Organisation, *, seed: int = 105, progress: bool = False) -> int:
    """The rights ledger of the scale library (once; returns the number of atoms)."""
    from kinomost.rights.models import RightAtom

    if RightAtom.objects.filter(holder=owner).exists():
        return RightAtom.objects.filter(Q(holder=owner) | Q(licensee=owner)).count()
    rng = random.Random(seed)
    top = list(Work.objects.filter(owner=owner, kind__in=["feature", "series"]).order_by("id").values_list("id", flat=True))
    licensees = [
        Organisation.objects.filter(slug=slug).first()
        or parties.create_organisation(slug=slug, name=name, kind="platform", country=country)
        for slug, name, country in LICENSEES
    ]
    contracts, terms = _plan_ledger(owner.pk, [o.pk for o in licensees], top, rng)
    with transaction.atomic():
        written = _write_ledger(contracts, terms, progress)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return written


def _plan_ledger(owner_id: int, licensee_ids: list[int], top: list[int], rng: random.Random):
    contracts: list[tuple] = []  # (kind, licensor_id, licensor_name, licensee_id, reference, signed_on)
    terms: list[_PlannedTerm] = []
    order = top[:]
    rng.shuffle(order)
    weights = [p[3] for p in HOLDING_PROFILES]
    ungranted: list[_PlannedTerm] = []
    free: list[_PlannedTerm] = []  # every holding of a batch without grants
    i = 0
    while i < len(order):
        batch = sorted(order[i : i + rng.randint(1, 60)])
        i += len(batch)
        start = date(rng.randint(2019, 2026), rng.randint(1, 12), 1)
        end = None if rng.random() < 0.15 else _add_months(start, 12 * rng.randint(3, 10))
        contracts.append(("acquisition", None, f"Studio {rng.randint(1, 400):03d}", owner_id, f"ACQ-{len(contracts) + 1:05d}", start))
        held = []
        for profile in _profiles(rng, weights):
            territories_, excluded, media_, _ = profile
            term = _term(
                len(contracts) - 1,
                "holding",
                batch,
                territories_,
                excluded,
                media_,
                start,
                end,
                exclusive=rng.random() < 0.6,
                sublicensable=rng.random() < 0.85,
                holder=owner_id,
            )
            if any(set(term.countries) & set(h.countries) and set(term.leaves) & set(h.leaves) for h in held):
                continue  # one holding per cell: a second acquisition covers other cells
            held.append(term)
        terms += held
        granted = False
        for holding in held:
            if holding.sublicensable and rng.random() < 0.45:
                terms += _grants(holding, contracts, owner_id, licensee_ids, rng)
                granted = True
        if not granted:
            ungranted.append(held[0])
            free += held
            if rng.random() < 0.08:
                terms.append(_holdback(held[0], contracts, owner_id, licensee_ids, rng))
    _every_kind(terms, ungranted, contracts, owner_id, licensee_ids, rng)
    _shared_and_successive(terms, free, contracts, owner_id, licensee_ids)
    return contracts, terms


def _every_kind(
    terms: list[_PlannedTerm], ungranted: list[_PlannedTerm], contracts: list, owner_id: int, licensee_ids: list[int], rng
) -> None:
    """Even a tiny library has a holdback and a termination, so tests see every kind of row."""
    if ungranted and not any(t.kind == "holdback" for t in terms):
        terms.append(_holdback(ungranted[-1], contracts, owner_id, licensee_ids, rng))
    grants = [t for t in terms if t.kind == "grant"]
    if grants and not any(t.ends_early_on for t in grants):
        last = ([t for t in grants if not t.exclusive] or grants)[-1]
        last.ends_early_on = last.start + (last.end - last.start) / 2


def _shared_and_successive(
    terms: list[_PlannedTerm], free: list[_PlannedTerm], contracts: list, owner_id: int, licensee_ids: list[int]
) -> None:
    """Whatever the library's size and seed, one cell granted twice non-exclusively in overlapping
    windows (to two platforms) and one cell granted exclusively twice in succession (the second
    starting the day the first ends), so the ledger's overlap rule is exercised, not only checked
    (tests/demo/test_scale_rights.py). Each on cells of a holding whose batch was never granted or
    held back, so the new grants meet no other."""
    held_back = {id(t.works) for t in terms if t.kind == "holdback"}  # a holdback shares its holding's list
    candidates = [h for h in free if h.sublicensable and id(h.works) not in held_back]
    shared = next(iter(candidates), None)
    successive = next((h for h in candidates if h.exclusive and h is not shared), None)
    for holding, exclusive in ((shared, False), (successive, True)):
        if holding is None:
            continue
        first_end, second_start = _add_months(holding.start, 24), _add_months(holding.start, 12 if not exclusive else 24)
        windows = [(holding.start, first_end), (second_start, _add_months(second_start, 12))]
        for licensee, (start, end) in zip(licensee_ids[:2], windows):
            contracts.append(("licence", owner_id, "", licensee, f"LIC-{len(contracts) + 1:05d}", start))
            terms.append(
                _term(
                    len(contracts) - 1,
                    "grant",
                    holding.works[:1],
                    [holding.countries[0]],
                    [],
                    [holding.leaves[0]],
                    start,
                    end,
                    exclusive=exclusive,
                    sublicensable=False,
                    holder=owner_id,
                    licensee=licensee,
                )
            )


def _profiles(rng: random.Random, weights: list[float]) -> list[tuple]:
    first = rng.choices(HOLDING_PROFILES, weights)[0]
    return [first, rng.choices(HOLDING_PROFILES, weights)[0]] if rng.random() < 0.12 else [first]


def _term(contract, kind, works, territories_, excluded, media_, start, end, **values) -> _PlannedTerm:
    term = _PlannedTerm(contract, kind, works, territories_, excluded, media_, start, end, **values)
    term.countries = territories.expand(territories_, excluded)
    term.leaves = media_taxonomy.expand(media_)
    return term


def _grants(holding: _PlannedTerm, contracts: list, owner_id: int, licensee_ids: list[int], rng: random.Random) -> list[_PlannedTerm]:
    """One or two grants of parts of a holding: the second either shares the first's window
    (both non-exclusive, to two platforms) or starts when the first ends."""
    works = sorted(rng.sample(holding.works, max(1, int(len(holding.works) * rng.uniform(0.3, 1.0)))))
    if len(holding.countries) <= 10 and rng.random() < 0.5:
        where = holding.territories, holding.excluded
    else:
        where = [rng.choice(holding.countries)], []
    leaves = holding.media if len(holding.leaves) <= 7 and rng.random() < 0.5 else [rng.choice(holding.leaves)]
    start = _add_months(holding.start, rng.randint(0, 12))
    out: list[_PlannedTerm] = []
    licensees = rng.sample(licensee_ids, 2)
    exclusive = holding.exclusive and rng.random() < 0.5
    for n, licensee in enumerate(licensees[: rng.choice([1, 1, 2])]):
        if n == 1 and (exclusive or rng.random() < 0.5):
            start, exclusive = out[0].end, holding.exclusive and rng.random() < 0.5
            if start is None:
                break
        elif n == 1:
            start = out[0].start
        end = _add_months(start, 12 * rng.randint(1, 4)) if n == 0 or start != out[0].start else out[0].end
        if holding.end is not None and end > holding.end:
            end = holding.end
        if start >= end:
            break
        contracts.append(("licence", owner_id, "", licensee, f"LIC-{len(contracts) + 1:05d}", start))
        term = _term(
            len(contracts) - 1,
            "grant",
            works,
            where[0],
            where[1],
            leaves,
            start,
            end,
            exclusive=exclusive,
            sublicensable=rng.random() < 0.2,
            holder=owner_id,
            licensee=licensee,
        )
        if rng.random() < 0.06:
            term.ends_early_on = start + (end - start) * rng.uniform(0.1, 0.9)
        out.append(term)
    return out


def _holdback(holding: _PlannedTerm, contracts: list, owner_id: int, licensee_ids: list[int], rng: random.Random) -> _PlannedTerm:
    start = _add_months(holding.start, rng.randint(0, 12))
    contracts.append(("holdback", owner_id, "", rng.choice(licensee_ids), f"HB-{len(contracts) + 1:05d}", start))
    return _term(
        len(contracts) - 1,
        "holdback",
        holding.works,
        [holding.countries[0]],
        [],
        [rng.choice(holding.leaves)],
        start,
        _add_months(start, 12 * rng.randint(1, 2)),
        exclusive=False,
        sublicensable=False,
        holder=owner_id,
    )


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    return date(day.year + month // 12, month % 12 + 1, 1)


def _write_ledger(contracts: list[tuple], planned: list[_PlannedTerm], progress: bool) -> int:
    from kinomost.rights.models import Contract, Term

    made = Contract.objects.bulk_create(
        [
            Contract(kind=k, licensor_id=lor, licensor_name=name, licensee_id=lee, reference=ref, signed_on=signed)
            for k, lor, name, lee, ref, signed in contracts
        ],
        batch_size=5000,
    )
    contract_ids = [c.pk for c in made]
    terms = Term.objects.bulk_create(
        [
            Term(
                contract_id=contract_ids[p.contract],
                kind=p.kind,
                territories=p.territories,
                territories_excluded=p.excluded,
                media=p.media,
                start=p.start,
                end=p.end,
                ends_early_on=p.ends_early_on,
                exclusive=p.exclusive,
                sublicensable=p.sublicensable,
            )
            for p in planned
        ],
        batch_size=5000,
    )
    Through = Term.works.through
    Through.objects.bulk_create([Through(term_id=t.pk, work_id=w) for t, p in zip(terms, planned) for w in p.works], batch_size=20000)
    rows = _atom_rows(contract_ids, terms, planned)
    return _insert_atoms(rows, sum(p.atom_count() for p in planned), progress)


def _atom_rows(contract_ids: list[int], terms: list, planned: list[_PlannedTerm]):
    """The ledger's `_write` and `_terminate_term`, row by row: one atom per work × country ×
    leaf; open ends as OPEN_END; effective_end where a termination cut it (`periods.cut_short`)."""
    from kinomost.rights.models import OPEN_END

    for term, p in zip(terms, planned):
        end = p.end or OPEN_END
        effective = periods.cut_short(p.start, p.end, p.ends_early_on) or OPEN_END
        shared = (
            p.start,
            end,
            p.ends_early_on,
            effective,
            p.holder,
            p.licensee,
            p.exclusive,
            p.sublicensable,
            term.pk,
            contract_ids[p.contract],
        )
        for work in p.works:
            for country in p.countries:
                for leaf in p.leaves:
                    yield (p.kind, work, country, leaf, *shared)


def _insert_atoms(rows, total: int, progress: bool) -> int:
    """Plain indexes are dropped and rebuilt around the load (much faster than keeping nine
    btrees up to date row by row); constraints stay. PostgreSQL takes the rows by COPY."""
    with connection.cursor() as cursor:
        indexes = _plain_indexes(cursor)
        for name, _ in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        written = 0
        columns = ", ".join(f'"{c}"' for c in ATOM_COLUMNS)
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # foreign keys checked by the COPY, not queued for the indexes
            with cursor.cursor.copy(f"COPY rights_rightatom ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    written += 1
                    if progress and written % 500000 == 0:
                        print(f"  atoms {written:>8}/{total}", file=sys.stderr, flush=True)
        else:
            sql = f"INSERT INTO rights_rightatom ({columns}) VALUES ({', '.join(['%s'] * len(ATOM_COLUMNS))})"
            raw = cursor.cursor
            while chunk := list(itertools.islice(rows, 200000)):
                raw.executemany(sql, [_sqlite_row(r) for r in chunk])
                written += len(chunk)
                if progress:
                    print(f"  atoms {written:>8}/{total}", file=sys.stderr, flush=True)
        for name, definition in indexes:
            if progress:
                print(f"  index {name}", file=sys.stderr, flush=True)
            cursor.execute(definition)
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    return written


def _sqlite_row(row: tuple) -> tuple:
    return tuple(v.isoformat() if isinstance(v, date) else v for v in row)


def _plain_indexes(cursor) -> list[tuple[str, str]]:
    """(name, CREATE INDEX statement) of the atom table's indexes that back no constraint."""
    if connection.vendor == "postgresql":
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'rights_rightatom'"
            " AND indexname NOT IN (SELECT conname FROM pg_constraint)"
        )
    else:
        cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'rights_rightatom' AND sql IS NOT NULL")
    return list(cursor.fetchall())


# ---------------------------------------------------------------- the storefront over the library
#
# The platform `scale` of the scale cinema sells in Russia by subscription; it holds SVOD in RU
# for every film and series (a series' holding covers its episodes) and has a ready package of
# every film and episode. The packages are rows only — the storefront benchmark measures the
# catalogue, not the disk — and share one key; their visibility set is built once at the end.

PLATFORM = "scale"
VIEWER_EMAIL = "viewer@scale.example"
STOREFRONT_CONTRACT = "SCALE-STOREFRONT-RU-SVOD"


def generate_storefront(owner: Organisation, *, progress: bool = False) -> int:
    """Platform, holding, packages, viewer and visibility set (once; returns the visible rows)."""
    from kinomost.cinema import visibility
    from kinomost.cinema.models import Platform
    from kinomost.cinema.visibility_models import VisibleWork

    platform = Platform.objects.filter(organisation=owner, slug=PLATFORM).first()
    if platform is not None:
        return VisibleWork.objects.filter(platform=platform).count()
    with transaction.atomic():
        platform = Platform.objects.create(
            organisation=owner,
            slug=PLATFORM,
            name="Scale Cinema 规模影院",
            territories=["RU"],
            media=["svod"],
            languages=["ru", "zh-Hans", "en"],
            currency="RUB",
        )
        _storefront_holding(owner)
        _genres(owner)
        packages = _packages(owner, platform)
        if progress:
            print(f"  storefront: {packages} packages", file=sys.stderr, flush=True)
        _subscribed_viewer(platform)
        rows = visibility.rebuild(platform)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return rows


def _storefront_holding(owner: Organisation) -> None:
    """SVOD in RU for every film and series, open-ended: one acquisition, its atoms inserted in bulk."""
    from kinomost.rights.models import (
        OPEN_END,
        AtomKind,
        Contract,
        ContractKind,
        RightAtom,
        Term,
    )

    top = list(Work.objects.filter(owner=owner, kind__in=["feature", "series"]).order_by("id").values_list("id", flat=True))
    start = date(2020, 1, 1)
    contract = Contract.objects.create(
        kind=ContractKind.ACQUISITION, licensee=owner, licensor_name="Scale Studios", reference=STOREFRONT_CONTRACT, signed_on=start
    )
    term = Term.objects.create(contract=contract, kind=AtomKind.HOLDING, territories=["RU"], media=["svod"], start=start)
    Through = Term.works.through
    Through.objects.bulk_create([Through(term_id=term.pk, work_id=w) for w in top], batch_size=20000)
    RightAtom.objects.bulk_create(
        [
            RightAtom(
                kind=AtomKind.HOLDING,
                work_id=w,
                territory="RU",
                media="svod",
                start=start,
                end=OPEN_END,
                effective_end=OPEN_END,
                holder_id=owner.pk,
                term_id=term.pk,
                contract_id=contract.pk,
            )
            for w in top
        ],
        batch_size=20000,
    )


def _genres(owner: Organisation) -> None:
    """One or two genres per film and series (the storefront's rows), where the library has none."""
    from kinomost.catalog.models import Genre

    Through = Work.genres.through
    if Through.objects.filter(work__owner=owner).exists():
        return
    rng = random.Random(106)
    slugs = list(Genre.objects.order_by("slug").values_list("slug", flat=True))
    top = Work.objects.filter(owner=owner, kind__in=["feature", "series"]).order_by("id").values_list("id", flat=True)
    Through.objects.bulk_create(
        [Through(work_id=w, genre_id=g) for w in top for g in rng.sample(slugs, rng.randint(1, 2))], batch_size=20000
    )


def _packages(owner: Organisation, platform) -> int:
    """A ready package of every film and episode, newest first in the order of the library."""
    from datetime import timedelta

    from django.utils import timezone

    from kinomost.cinema import keys
    from kinomost.cinema.models import Asset, AssetStatus

    key, iv = keys.new_key()
    playable = list(Work.objects.filter(owner=owner, kind__in=["feature", "episode"]).order_by("id").values_list("id", flat=True))
    now = timezone.now()
    for first in range(0, len(playable), 20000):
        Asset.objects.bulk_create(
            [
                Asset(
                    organisation=owner,
                    work_id=w,
                    platform=platform,
                    status=AssetStatus.READY,
                    progress=100.0,
                    master_playlist="master.m3u8",
                    duration=50 * 60.0,
                    key=key,
                    iv=iv,
                    ladder=[360],
                    ready_at=now - timedelta(seconds=len(playable) - i),
                )
                for i, w in enumerate(playable[first : first + 20000], start=first)
            ],
            batch_size=5000,
        )
    return len(playable)


def _subscribed_viewer(platform) -> None:
    """viewer@scale.example with the demo password, subscribed for ten years."""
    from datetime import timedelta

    from django.utils import timezone

    from kinomost.cinema.viewers import sign_up
    from kinomost.cinema.viewing_models import Subscription
    from kinomost.demo import scenario

    viewer = sign_up(platform, email=VIEWER_EMAIL, password=scenario.password(), country="RU")
    Subscription.objects.create(viewer=viewer, active_until=timezone.now() + timedelta(days=3650), provider="demo", reference="scale")
