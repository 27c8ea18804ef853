"""The library of a large online cinema, for benchmarks: 5,000 films and 100,000 series with a
season and episodes each, titles in ru, zh-Hans and en. Written with bulk inserts, then indexed."""

from __future__ import annotations

import random
import sys

from django.db import connection, transaction

from kinomost.catalog import search
from kinomost.catalog.models import Work, WorkLocalization
from kinomost.parties import services as parties
from kinomost.parties.models import Organisation

OWNER = "scale-cinema"
NOUNS = [
    ("Город", "城市", "The City"), ("Море", "大海", "The Sea"), ("Ветер", "风", "The Wind"), ("Дорога", "道路", "The Road"),
    ("Река", "河流", "The River"), ("Гора", "高山", "The Mountain"), ("Звезда", "星辰", "The Star"), ("Сердце", "心", "The Heart"),
    ("Луна", "月亮", "The Moon"), ("Огонь", "火焰", "The Fire"), ("Лес", "森林", "The Forest"), ("Снег", "雪", "The Snow"),
    ("Дом", "家", "The House"), ("Мост", "桥", "The Bridge"), ("Поезд", "列车", "The Train"), ("Сад", "花园", "The Garden"),
    ("Остров", "岛屿", "The Island"), ("Небо", "天空", "The Sky"), ("Тень", "影子", "The Shadow"), ("Песня", "歌声", "The Song"),
    ("Мечта", "梦想", "The Dream"), ("Память", "记忆", "Memory"), ("Граница", "边境", "The Border"), ("Весна", "春天", "Spring"),
    ("Осень", "秋天", "Autumn"), ("Зима", "冬天", "Winter"), ("Лето", "夏天", "Summer"), ("Рассвет", "黎明", "Dawn"),
    ("Закат", "日落", "Sunset"), ("Ночь", "夜晚", "The Night"), ("Тайна", "秘密", "The Secret"), ("Война", "战争", "War"),
    ("Любовь", "爱情", "Love"), ("Семья", "家庭", "The Family"), ("Друг", "朋友", "The Friend"), ("Учитель", "老师", "The Teacher"),
    ("Доктор", "医生", "The Doctor"), ("Капитан", "船长", "The Captain"), ("Сыщик", "侦探", "The Detective"), ("Пилот", "飞行员", "The Pilot"),
    ("Империя", "帝国", "The Empire"), ("Пустыня", "沙漠", "The Desert"), ("Степь", "草原", "The Steppe"), ("Озеро", "湖泊", "The Lake"),
    ("Корабль", "船", "The Ship"), ("Крепость", "城堡", "The Fortress"), ("Облако", "云朵", "The Cloud"), ("Ключ", "钥匙", "The Key"),
    ("Письмо", "信", "The Letter"), ("Танец", "舞蹈", "The Dance"), ("Чай", "茶", "Tea"), ("Шёлк", "丝绸", "Silk"),
    ("Нефрит", "玉", "Jade"), ("Дракон", "龙", "The Dragon"), ("Тигр", "老虎", "The Tiger"), ("Журавль", "仙鹤", "The Crane"),
    ("Волк", "狼", "The Wolf"), ("Медведь", "熊", "The Bear"), ("Феникс", "凤凰", "The Phoenix"), ("Лотос", "莲花", "The Lotus"),
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
            out.append({"ru": f"{a[0]} и {b[0].lower()}{suffix_ru}", "zh-Hans": f"{a[1]}与{b[1]}{suffix_zh}", "en": f"{a[2]} and {b[2].removeprefix('The ').lower()}{suffix_en}"})
        part += 1
    return out


def _bulk(owner: Organisation, specs: list[dict], rng: random.Random) -> list[Work]:
    works = Work.objects.bulk_create([Work(owner=owner, is_listed=True, **s["work"]) for s in specs], batch_size=5000)
    locs = [WorkLocalization(work=w, language=lang, title=title) for w, s in zip(works, specs) for lang, title in s["titles"].items()]
    WorkLocalization.objects.bulk_create(locs, batch_size=10000)
    return works


def generate(films: int = 5000, series: int = 100000, *, seed: int = 105, progress: bool = False) -> int:
    """Create the library (once; returns the number of works of the scale owner)."""
    owner = Organisation.objects.filter(slug=OWNER).first()
    if owner is not None:
        top = Work.objects.filter(owner=owner, kind__in=["feature", "series"]).count()
        if top != films + series:
            raise ValueError(f"a scale library of {top} films and series is already here, not {films + series}; start from an empty database")
        return Work.objects.filter(owner=owner).count()
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
                batch.append({"work": {"ref": f"S-{i:06d}", "kind": kind, "original_title": titles[i][lang], "original_language": lang,
                                        "year": rng.randint(1950, 2026), "popularity": round(rng.random() * 1000, 1),
                                        "runtime_minutes": rng.randint(80, 160) if kind == "feature" else None},
                              "titles": titles[i]})
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
    return Work.objects.filter(owner=owner).count()


def _children(owner: Organisation, series: list[Work], rng: random.Random) -> None:
    seasons = _bulk(owner, [
        {"work": {"ref": f"{s.ref}/S1", "kind": "season", "parent": s, "number": 1, "original_title": "Сезон 1", "original_language": "ru"},
         "titles": {"ru": "Сезон 1", "zh-Hans": "第1季", "en": "Season 1"}} for s in series
    ], rng)
    episodes = []
    for season in seasons:
        for e in range(1, rng.randint(2, 3) + 1):
            episodes.append({"work": {"ref": f"{season.ref}E{e}", "kind": "episode", "parent": season, "number": e, "original_title": f"Серия {e}",
                                      "original_language": "ru", "runtime_minutes": 50},
                             "titles": {"ru": f"Серия {e}", "zh-Hans": f"第{e}集", "en": f"Episode {e}"}})
    _bulk(owner, episodes, rng)
